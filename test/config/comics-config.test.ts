import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findComic, loadConfig, saveConfig, validateConfig } from '../../src/config/comics-config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const label = 'config/comics.json';
const invalid = (json: unknown) => {
  try {
    validateConfig(json, label);
  } catch (error) {
    return (error as Error & { code: string }).code === 'E_CONFIG' ? (error as Error).message : `wrong code: ${error}`;
  }
  return 'accepted';
};

describe('config validation', () => {
  it('accepts feed and page comics with every optional field', () => {
    const config = validateConfig(
      {
        comics: [
          { name: 'xkcd', feed: 'https://xkcd.com/atom.xml', url: 'https://xkcd.com/', unread: 1, tags: ['science'] },
          { name: 'Oglaf', mode: 'page', url: 'https://www.oglaf.com/', selectors: { image: '#strip', prev: 'a[rel=prev]' }, maxWalk: 5 },
        ],
      },
      label,
    );
    expect(config.comics).toHaveLength(2);
  });

  it('accepts how strips open by default, and keeps it when the file is rewritten', () => {
    expect(validateConfig({ open: 'digest', comics: [] }, label).open).toBe('digest');
    const file = join(dir, 'comics.json');
    saveConfig(file, { open: 'digest', comics: [{ name: 'xkcd', feed: 'https://xkcd.com/atom.xml' }] });
    expect(loadConfig(file).open).toBe('digest');
  });

  it.each([
    [{ comics: [{ name: 'xkcd', feed: 'ftp://x.test/' }] }, 'config/comics.json: comics[0] ("xkcd"), field "feed": must be an absolute http(s) URL, got "ftp://x.test/"'],
    [{ comics: [{ name: 'xkcd', fead: 'https://x.test/' }] }, 'comics[0] ("xkcd"), field "fead": is not a known field'],
    [{ comics: [{ feed: 'https://x.test/' }] }, 'comics[0], field "name": is required'],
    [{ comics: [{ name: 'a', feed: 'https://x.test/', unread: -1 }] }, 'comics[0] ("a"), field "unread": must be 0 or more, got -1'],
    [{ comics: [{ name: 'a', feed: 'https://x.test/', unread: 1.5 }] }, 'field "unread": must be an integer, got 1.5'],
    [{ comics: [{ name: 'a', feed: 'https://x.test/', selectors: { imgae: 'img' } }] }, 'field "selectors.imgae": is not a known selector'],
    [{ comics: [{ name: 'a', mode: 'pages', url: 'https://x.test/' }] }, 'field "mode": must be "feed" or "page", got "pages"'],
    [{ comics: [{ name: 'a' }] }, 'comics[0] ("a"), field "feed": is required'],
    [{ comics: [{ name: 'a', mode: 'page' }] }, 'comics[0] ("a"), field "url": is required in page mode'],
    [{ comics: [{ name: 'a', feed: 'https://x.test/1' }, { name: 'A', feed: 'https://x.test/2' }] }, 'comics[1] ("A"), field "name": duplicates comics[0]'],
    [{ comics: [{ name: 'a', feed: 'https://x.test/1' }, { name: 'b', feed: 'https://x.test/1' }] }, 'comics[1] ("b"), field "feed": duplicates comics[0]'],
    [{ comics: {} }, 'field "comics": must be an array of comics'],
    [{ comic: [] }, 'field "comic": is not a known top-level field (known: comics, open)'],
    [{ open: 'tab', comics: [] }, 'field "open": must be "tabs" or "digest", got "tab"'],
    [[], 'must hold an object like {"comics": [...]}'],
  ])('rejects %j naming the file, entry and field', (json, message) => {
    const text = invalid(json);
    expect(text).toContain(message);
    expect(text.startsWith('config/comics.json: ')).toBe(true);
  });
});

describe('config files', () => {
  it('treats a missing file as empty only when asked, and says how to start', () => {
    const file = join(dir, 'missing.json');
    expect(loadConfig(file, { missingOk: true })).toEqual({ comics: [] });
    expect(() => loadConfig(file)).toThrow(/no such config file \(add a comic with: comics add <url>\)/);
  });

  it('reports invalid JSON with the file name', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"comics": [');
    expect(() => loadConfig(file)).toThrow(/broken\.json: not valid JSON/);
  });

  it('writes atomically and reads back what it wrote, creating folders', () => {
    const file = join(dir, 'nested', 'comics.json');
    saveConfig(file, { comics: [{ name: 'xkcd', feed: 'https://xkcd.com/atom.xml' }] });
    expect(loadConfig(file)).toEqual({ comics: [{ name: 'xkcd', feed: 'https://xkcd.com/atom.xml' }] });
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });

  it('finds comics by name case-insensitively and hints at near names', () => {
    const config = { comics: [{ name: 'xkcd', feed: 'https://x.test/1' }, { name: 'SMBC', feed: 'https://x.test/2' }] };
    expect(findComic(config, 'XKCD').name).toBe('xkcd');
    expect(() => findComic(config, 'xkc')).toThrow(/No comic named "xkc" is followed \(did you mean "xkcd"\?\)/);
  });
});
