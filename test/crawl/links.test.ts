import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { extractLinks, hrefResolver, joinPlainPath, LinkTokenizer, loadTokenizer, refreshTarget } from '../../src/crawl/links.js';
import { normaliseUrl, originOf } from '../../src/crawl/url.js';

const PAGE = 'https://example.com/comic/1/';

describe('extractLinks', () => {
  it('resolves, normalises and de-duplicates links, skipping non-http ones', () => {
    const html = `<A HREF="../2/">next</A><a href='/archive#top'>a</a><a href=/archive>b</a>
      <a href="mailto:me@example.com">m</a><a href="javascript:void(0)">j</a><a href="#comments">c</a><a>none</a>
      <area href="https://Other.test:443/map"><iframe src="/embed"></iframe><a href="/q?a=1&amp;b=2">q</a>
      <img src="/strip.png"><script>var s = '<a href="/not-a-link">';</script><!-- <a href="/commented"> -->`;
    expect(extractLinks(html, PAGE).links).toEqual([
      'https://example.com/comic/2/',
      'https://example.com/archive',
      'https://other.test/map',
      'https://example.com/embed',
      'https://example.com/q?a=1&b=2',
    ]);
  });

  it('resolves against the first <base href>, even for links before it', () => {
    const html = '<a href="x">x</a><base href="https://cdn.example.com/root/"><base href="/ignored/"><a href="y">y</a>';
    expect(extractLinks(html, PAGE).links).toEqual(['https://cdn.example.com/root/x', 'https://cdn.example.com/root/y']);
  });

  it('follows page-like <link> rels and finds feeds', () => {
    const html = `<head><link rel="stylesheet" href="/s.css"><link rel="icon" href="/i.ico">
      <link rel="prev" href="/comic/0/"><link rel="canonical" href="/comic/1/">
      <link rel="alternate" type="application/rss+xml" title="RSS &amp; more" href="/feed.xml">
      <link rel="alternate" type="application/atom+xml" href="/atom.xml"><link rel="alternate" hreflang="fr" href="/fr/">
      <meta http-equiv="Refresh" content="5; URL='/moved'"></head>`;
    const found = extractLinks(html, PAGE);
    expect(found.links).toEqual([
      'https://example.com/comic/0/',
      'https://example.com/comic/1/',
      'https://example.com/feed.xml',
      'https://example.com/atom.xml',
      'https://example.com/fr/',
      'https://example.com/moved',
    ]);
    expect(found.feeds).toEqual([
      { url: 'https://example.com/feed.xml', type: 'application/rss+xml', title: 'RSS & more' },
      { url: 'https://example.com/atom.xml', type: 'application/atom+xml', title: null },
    ]);
  });

  it('survives malformed markup', () => {
    const html = '<a href="/ok">ok<a href="/unclosed<div <a href=\'/x\' <<<>>> <a href="/last"';
    expect(() => extractLinks(html, PAGE)).not.toThrow();
    expect(extractLinks(html, PAGE).links[0]).toBe('https://example.com/ok');
  });

  it('reads meta refresh targets', () => {
    expect(refreshTarget('0; url=/next')).toBe('/next');
    expect(refreshTarget('3;URL="https://x.test/"')).toBe('https://x.test/');
    expect(refreshTarget('10')).toBeNull();
  });
});

describe('LinkTokenizer', () => {
  /** Every callback the tokenizer makes, with its arguments. */
  function tokens(Kind: typeof Tokenizer, html: string): unknown[][] {
    const calls: unknown[][] = [];
    const callbacks = new Proxy({} as TokenizerCallbacks, {
      get: (_, name) => (...args: unknown[]) => calls.push([name, ...args]),
    });
    const tokenizer = new Kind({ xmlMode: false, decodeEntities: false }, callbacks);
    tokenizer.write(html);
    tokenizer.end();
    return calls;
  }

  it('is built on htmlparser2\'s own Tokenizer class, loaded without the package entry', () => {
    expect(loadTokenizer()).toBe(createRequire(import.meta.url)('htmlparser2').Tokenizer);
    expect(Object.getPrototypeOf(LinkTokenizer)).toBe(loadTokenizer());
  });

  it('overrides a method the stock tokenizer really has', () => {
    // If htmlparser2 renames it, the override would silently do nothing: fail here instead.
    expect(Object.hasOwn(Tokenizer.prototype, 'fastForwardTo')).toBe(true);
    expect(Object.hasOwn(LinkTokenizer.prototype, 'fastForwardTo')).toBe(true);
  });

  it('makes exactly the stock tokenizer\'s callbacks', () => {
    const pages = [
      '<!doctype html><html><head><title>a < b <a href="/t"></title><style>p{}</style></head><body>text &amp; more <a href="/x">x</a></body></html>',
      '<script>if (a < b) document.write("<a href=/no>")</script><a href=/yes>y</a><!-- <a href=/c> --><![CDATA[ <a> ]]>',
      '<textarea><a href=/no></textarea><xmp><a></xmp><p>tail without a tag',
      'no tags at all',
      '<<<a href="/z"',
      '<!-- unterminated comment <a href=/x>',
      '<script>unterminated <a href=/x>',
      '<a href="/1">1</a>'.repeat(50) + 'x'.repeat(5000) + '<a href="/2">',
    ];
    for (const html of pages) expect(tokens(LinkTokenizer, html)).toEqual(tokens(Tokenizer, html));
  });
});

describe('joinPlainPath', () => {
  const bases = ['https://example.com/comic/1/', 'http://127.0.0.1:8080/p/0.html', 'https://x.test/a?q=1'];
  const hrefs = [
    '/', '/p/2.html', '/p/2.html#top', '/a?b=1&c=2', '/a?', '/a?b?', '/a?b=/c', '/a/./b', '/a/../b', '/.', '/..', '/./a',
    '/a/.', '/a/..', '/a/..?x', '/.hidden', '/a/.b', '//other.test/x', '/a b', '/a%20b', '/a%2e%2e/b', "/a?b='c'", '/a\\b',
    '/ä', '/a"b', '/a<b>', '/a`b', '/a{b}', '/a|b', '/a^b', '/a[b]', '/a#b#c', '/#', '/?#', 'relative', '?q', '#f', 'https://x.test/',
    '/a:b@c', "/a!$&'()*+,;=", '/~user/-_.', '/a\tb', '/a\nb',
  ];

  it('agrees with the URL parser wherever it answers', () => {
    let answered = 0;
    for (const base of bases) {
      for (const href of hrefs) {
        const fast = joinPlainPath(href, originOf(base));
        if (fast === null) continue;
        answered++;
        expect([href, base, fast]).toEqual([href, base, normaliseUrl(href, base)]);
      }
    }
    expect(answered).toBeGreaterThan(30);
  });

  it('agrees with the URL parser on random paths', () => {
    const alphabet = 'ab/.?#%=&;:@~-_!$()*+,\'" <>`{}|^[]\\\tä';
    let seed = 42;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let answered = 0;
    for (let i = 0; i < 5000; i++) {
      let href = '/';
      const length = random(12);
      for (let k = 0; k < length; k++) href += alphabet[random(alphabet.length)];
      const fast = joinPlainPath(href, originOf(bases[0]!));
      if (fast === null) continue;
      answered++;
      expect([href, fast]).toEqual([href, normaliseUrl(href, bases[0])]);
    }
    expect(answered).toBeGreaterThan(500);
  });

  it('leaves anything else to the parser', () => {
    expect(joinPlainPath('../b', 'https://x.test')).toBeNull();
    expect(joinPlainPath('/a/../b', 'https://x.test')).toBeNull();
    expect(joinPlainPath('/a%20b', 'https://x.test')).toBeNull();
  });

  it('is used only for a base whose origin it can take as it is', () => {
    for (const base of ['https://user:pw@x.test/a', 'HTTP://X.test:80/a', 'https://x.test/a']) {
      for (const href of ['/b?c#d', '../b', '/a/./b']) expect(hrefResolver(base)(href)).toBe(normaliseUrl(href, base));
    }
  });
});
