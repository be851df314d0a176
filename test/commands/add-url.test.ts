import { describe, expect, it } from 'vitest';
import { userUrl } from '../../src/commands/add.js';

describe('the URL given to comics add', () => {
  it.each([
    ['https://xkcd.com/atom.xml', 'https://xkcd.com/atom.xml', false],
    ['example.com', 'https://example.com/', true],
    ['  www.x.test:8080/feed?x=1 ', 'https://www.x.test:8080/feed?x=1', true],
    ['xkcd.com/atom.xml', 'https://xkcd.com/atom.xml', true],
  ])('reads %j as %s (assumed: %s)', (input, url, assumed) => {
    expect(userUrl(input)).toEqual({ url, assumed });
  });

  it.each(['ftp://x.test/', 'not a url', 'localhost', 'javascript:alert(1)', 'file:///etc/passwd'])('refuses %j as a usage error', (input) => {
    expect(() => userUrl(input)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});
