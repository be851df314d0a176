import { describe, expect, it } from 'vitest';
import { extractLinks, refreshTarget } from '../../src/crawl/links.js';

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
