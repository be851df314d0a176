import { describe, expect, it } from 'vitest';
import { colors, sanitize, StatusLine, table, useColor, type Output } from '../../src/cli/terminal.js';

function buffer(isTTY: boolean): Output & { text: string } {
  return {
    text: '',
    isTTY,
    columns: 40,
    write(chunk: string) {
      this.text += chunk;
    },
  };
}

describe('sanitize', () => {
  it('removes escape sequences, control characters and bidi overrides from feed text', () => {
    expect(sanitize('Strip\u001b[2J\u001b[31m #1\u001b[0m')).toBe('Strip #1');
    expect(sanitize('title\u001b]0;pwned\u0007 here')).toBe('title here');
    expect(sanitize('a\u0000b\u0007c\u009bd')).toBe('abcd');
    expect(sanitize('evil\u202e gnp.exe')).toBe('evil gnp.exe');
    expect(sanitize('two\nlines\tand tab')).toBe('two lines and tab');
    expect(sanitize('Café ☕ 漫画')).toBe('Café ☕ 漫画');
    expect(sanitize(null)).toBe('');
  });
});

describe('colours', () => {
  it('are used on a terminal unless NO_COLOR is set', () => {
    expect(useColor(buffer(true), {})).toBe(true);
    expect(useColor(buffer(true), { NO_COLOR: '1' })).toBe(false);
    expect(useColor(buffer(false), {})).toBe(false);
    expect(colors(false).red('x')).toBe('x');
    expect(colors(true).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});

describe('StatusLine', () => {
  it('writes only to a terminal and clears itself', () => {
    const pipe = buffer(false);
    new StatusLine(pipe).update('Checking 1/2', true);
    expect(pipe.text).toBe('');
    const tty = buffer(true);
    const line = new StatusLine(tty);
    line.update('Checking 1/2', true);
    line.clear();
    expect(tty.text).toBe('\r\u001b[2KChecking 1/2\r\u001b[2K');
  });
});

describe('table', () => {
  it('aligns all columns but the last', () => {
    expect(table([['xkcd', '2 new', 'A · B'], ['Saturday Morning', 'error', 'boom']])).toBe(
      'xkcd              2 new  A · B\nSaturday Morning  error  boom',
    );
  });
});
