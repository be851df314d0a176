import { describe, expect, it } from 'vitest';
import { parseSiteList } from '../../src/crawl/site-list.js';
import { Scope } from '../../src/crawl/scope.js';
import { hash53 } from '../../src/crawl/url-index.js';
import { hostOf, normaliseUrl, originOf, siteKey } from '../../src/crawl/url.js';

describe('normaliseUrl', () => {
  it.each([
    ['HTTP://Example.COM:80/a/./b/../c', undefined, 'http://example.com/a/c'],
    ['https://example.com:443/x#frag', undefined, 'https://example.com/x'],
    ['../up?q=1#x', 'https://example.com/a/b/page', 'https://example.com/a/up?q=1'],
    ['/path?', 'https://example.com/', 'https://example.com/path'],
    ['//cdn.example.com/x', 'https://example.com/', 'https://cdn.example.com/x'],
    ['  /spaced\n', 'https://example.com/', 'https://example.com/spaced'],
    ['https://example.com/caf\u00e9', undefined, 'https://example.com/caf%C3%A9'],
  ])('normalises %j', (href, base, expected) => {
    expect(normaliseUrl(href, base)).toBe(expected);
  });

  it.each(['mailto:me@example.com', 'javascript:alert(1)', 'tel:+123', 'data:text/html,hi', 'ftp://example.com/', 'http://'])(
    'skips %j',
    (href) => {
      expect(normaliseUrl(href, 'https://example.com/')).toBeNull();
    },
  );
});

describe('sites', () => {
  it('reads host, origin and site off a normalised URL', () => {
    expect(hostOf('https://user:pw@example.com:8443/a@b')).toBe('example.com:8443');
    expect(originOf('http://127.0.0.2:4000/x/y')).toBe('http://127.0.0.2:4000');
    expect(siteKey('https://www.example.com/')).toBe('example.com');
    expect(siteKey('http://example.com:8080/')).toBe('example.com:8080');
  });

  it('keeps each seed within its own site, www. and scheme variants included', () => {
    const scope = new Scope(['https://example.com/', 'https://www.other.test/'], { exclude: /\/private/g });
    expect(scope.siteOf('http://www.example.com/a')).toBe(0);
    expect(scope.siteOf('https://other.test/')).toBe(1);
    expect(scope.siteOf('https://third.test/')).toBe(-1);
    expect(scope.follows(0, 'https://example.com/a')).toBe(true);
    expect(scope.follows(0, 'https://other.test/a')).toBe(false);
    // A /g regex must not keep state between tests.
    expect(scope.follows(0, 'https://example.com/private/1')).toBe(false);
    expect(scope.follows(0, 'https://example.com/private/1')).toBe(false);
  });

  it('hashes URLs to distinct safe integers', () => {
    const hashes = new Set(Array.from({ length: 20_000 }, (_, i) => hash53(`https://example.com/p/${i}.html`)));
    expect(hashes.size).toBe(20_000);
    expect([...hashes].every(Number.isSafeInteger)).toBe(true);
  });
});

describe('parseSiteList', () => {
  it('reads one URL a line, skipping comments and blanks, and reports bad lines by number', () => {
    const list = parseSiteList(
      '\uFEFF# my comics\n\nhttps://xkcd.com/\n  https://www.smbc-comics.com/   # SMBC\nxkcd.com\nhttps://a.test/ https://b.test/\nftp://x.test/\nHTTPS://XKCD.com/\n',
    );
    expect(list.seeds).toEqual(['https://xkcd.com/', 'https://www.smbc-comics.com/']);
    expect(list.problems).toEqual([
      { line: 5, message: 'not an absolute http(s) URL: "xkcd.com"' },
      { line: 6, message: 'expected one URL, got "https://a.test/ https://b.test/"' },
      { line: 7, message: 'not an absolute http(s) URL: "ftp://x.test/"' },
    ]);
  });
});
