import { describe, expect, it } from 'vitest';
import { COMMON_FEED_PATHS, findFeedLinks, rankFeedLinks } from '../../src/feeds/discover.js';

const page = (head: string, body = '<p>strip</p>') => `<!DOCTYPE html><html><head><title>Comic</title>${head}</head><body>${body}</body></html>`;

describe('findFeedLinks', () => {
  it('finds RSS, Atom and JSON Feed links in document order, resolved against the page', () => {
    const links = findFeedLinks(
      page(`
        <link rel="stylesheet" href="/style.css">
        <link rel="alternate" type="application/atom+xml" title="Atom 1.0" href="/atom.xml">
        <link rel="alternate" type="application/rss+xml" title="RSS 2.0" href="rss.xml">
        <link rel="alternate" type="application/feed+json" href="https://feeds.test/comic.json">`),
      'https://comic.test/strips/index.html',
    );
    expect(links).toEqual([
      { url: 'https://comic.test/atom.xml', type: 'application/atom+xml', title: 'Atom 1.0' },
      { url: 'https://comic.test/strips/rss.xml', type: 'application/rss+xml', title: 'RSS 2.0' },
      { url: 'https://feeds.test/comic.json', type: 'application/feed+json', title: null },
    ]);
  });

  it('treats rel as a case-insensitive token list and ignores type parameters and case', () => {
    const links = findFeedLinks(
      page(`<LINK REL="Alternate Home" TYPE="Application/RSS+XML; charset=utf-8" HREF="/feed">
            <link rel="alternative" type="application/rss+xml" href="/not-a-feed">`),
      'https://comic.test/',
    );
    expect(links).toEqual([{ url: 'https://comic.test/feed', type: 'application/rss+xml', title: null }]);
  });

  it('resolves against <base href>, even for links before it', () => {
    const links = findFeedLinks(
      page(`<link rel="alternate" type="application/rss+xml" href="feed.xml"><base href="https://cdn.comic.test/site/"><base href="/ignored/">`),
      'https://comic.test/a/b',
    );
    expect(links.map((l) => l.url)).toEqual(['https://cdn.comic.test/site/feed.xml']);
  });

  it('resolves a relative <base href> against the page URL', () => {
    const links = findFeedLinks(page(`<base href="/comic/"><link rel="alternate" type="application/atom+xml" href="atom">`), 'https://comic.test/x/y');
    expect(links.map((l) => l.url)).toEqual(['https://comic.test/comic/atom']);
  });

  it('de-duplicates feeds announced twice', () => {
    const links = findFeedLinks(
      page(`<link rel="alternate" type="application/rss+xml" href="/feed/" title="Feed">
            <link rel="alternate" type="application/rss+xml" href="https://comic.test/feed/" title="Again">`),
      'https://comic.test/',
    );
    expect(links).toEqual([{ url: 'https://comic.test/feed/', type: 'application/rss+xml', title: 'Feed' }]);
  });

  it('accepts generic XML and JSON types only when the link says it is a feed', () => {
    const links = findFeedLinks(
      page(`<link rel="alternate" type="text/xml" title="RSS" href="/backend.php">
            <link rel="alternate" type="application/xml" href="/sitemap.xml">
            <link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/32117">
            <link rel="alternate" type="application/json" title="JSON Feed" href="/feed.json">
            <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">`),
      'https://comic.test/',
    );
    expect(links.map((l) => [l.url, l.type])).toEqual([
      ['https://comic.test/backend.php', 'text/xml'],
      ['https://comic.test/feed.json', 'application/json'],
    ]);
  });

  it('drops links that are not http(s) and decodes entities in href', () => {
    const links = findFeedLinks(
      page(`<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            <link rel="alternate" type="application/rss+xml" href="/?feed=rss2&amp;cat=3">`),
      'https://comic.test/',
    );
    expect(links.map((l) => l.url)).toEqual(['https://comic.test/?feed=rss2&cat=3']);
  });

  it('stops at <body>', () => {
    const links = findFeedLinks(page('', '<link rel="alternate" type="application/rss+xml" href="/late">'), 'https://comic.test/');
    expect(links).toEqual([]);
  });

  it('returns nothing for pages without feeds or without markup', () => {
    expect(findFeedLinks(page(''), 'https://comic.test/')).toEqual([]);
    expect(findFeedLinks('', 'https://comic.test/')).toEqual([]);
  });
});

describe('rankFeedLinks', () => {
  it('puts the whole-site feed first and comment feeds last, as WordPress comic sites list them', () => {
    const links = findFeedLinks(
      page(`
        <link rel="alternate" type="application/rss+xml" title="Zen &raquo; Comments Feed" href="https://zen.test/comments/feed/">
        <link rel="alternate" type="application/rss+xml" title="Zen &raquo; Life Jacket Comments Feed" href="https://zen.test/comic/lifejacket/feed/">
        <link rel="alternate" type="application/rss+xml" title="Zen &raquo; Category Feed" href="https://zen.test/category/comics/feed/">
        <link rel="alternate" type="application/feed+json" title="Zen JSON" href="https://zen.test/feed.json">
        <link rel="alternate" type="application/rss+xml" title="Zen &raquo; Feed" href="https://zen.test/feed/">`),
      'https://zen.test/comic/lifejacket/',
    );
    expect(rankFeedLinks(links).map((l) => l.url)).toEqual([
      'https://zen.test/feed/',
      'https://zen.test/feed.json',
      'https://zen.test/category/comics/feed/',
      'https://zen.test/comments/feed/',
      'https://zen.test/comic/lifejacket/feed/',
    ]);
  });

  it('keeps page order among equals and does not modify its input', () => {
    const input = [
      { url: 'https://x.test/atom.xml', type: 'application/atom+xml', title: 'Atom 1.0' },
      { url: 'https://x.test/rss.xml', type: 'application/rss+xml', title: 'RSS 2.0' },
      { url: 'https://x.test/tag/cats/feed', type: 'application/rss+xml', title: null },
    ];
    const copy = structuredClone(input);
    expect(rankFeedLinks(input).map((l) => l.url)).toEqual(['https://x.test/atom.xml', 'https://x.test/rss.xml', 'https://x.test/tag/cats/feed']);
    expect(input).toEqual(copy);
  });
});

describe('COMMON_FEED_PATHS', () => {
  it('holds root-relative paths, the usual ones first, without duplicates', () => {
    expect(COMMON_FEED_PATHS.slice(0, 2)).toEqual(['/feed', '/rss']);
    expect(COMMON_FEED_PATHS).toEqual(expect.arrayContaining(['/rss.xml', '/atom.xml', '/feed.xml', '/index.xml', '/feed.json', '/comic/rss', '/?feed=rss2']));
    expect(new Set(COMMON_FEED_PATHS).size).toBe(COMMON_FEED_PATHS.length);
    for (const path of COMMON_FEED_PATHS) expect(path.startsWith('/')).toBe(true);
  });
});
