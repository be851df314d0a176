import { describe, expect, it } from 'vitest';
import { findLatestLink, parsePage, readStripPage, suggestSelector } from '../../src/pages/heuristics.js';

const URL_ = 'https://comic.test/strip/12/';
const read = (html: string, selectors = {}) => readStripPage(parsePage(html), URL_, selectors);

describe('default strip heuristics', () => {
  it('prefer rel="prev" on <link> or <a>, then links that say previous, older, back, or are an arrow', () => {
    expect(read('<link rel="prev" href="/strip/11/"><a href="/strip/1/">Previous</a>').prev).toMatchObject({ url: 'https://comic.test/strip/11/', via: 'rel="prev"' });
    expect(read('<a class="navi-prev" href="/strip/11/">go</a>').prev?.url).toBe('https://comic.test/strip/11/');
    expect(read('<a href="/strip/11/" title="Older Strip">x</a>').prev?.via).toBe('link says "older"');
    expect(read('<a href="/strip/11/">« Back</a>').prev?.via).toBe('link says "back"');
    expect(read('<a href="/strip/11/"> ‹ </a>').prev?.via).toBe('link text is "‹"');
    expect(read('<a href="/strip/11/"><img src="/nav/btn_previous.png" alt=""></a>').prev?.url).toBe('https://comic.test/strip/11/');
  });

  it('never take first, next, back-to-top, fragment, same-page, off-site or blog-pagination links for prev', () => {
    const page = read(`
      <a class="comic-nav-first" href="/strip/1/">‹‹ First</a>
      <a href="/strip/13/" class="next">Next ›</a>
      <a href="#top">Back to top</a>
      <a href="/">Back to home</a>
      <a href="${URL_}#comments">Previous comments</a>
      <a href="https://elsewhere.test/">Previous partner</a>
      <a href="/page/2/">« Previous Entries</a>
      <a href="/archive/">Back to the archive</a>`);
    expect(page.prev).toBeNull();
    expect(page.next?.url).toBe('https://comic.test/strip/13/');
  });

  it('pick the image named for the strip over bigger ones, and skip logos, icons, pixels and ads', () => {
    const page = read(`
      <header><img src="/logo.png" width="400" height="150"></header>
      <img src="/pixel.gif" width="1" height="1">
      <aside class="sidebar"><img src="/books.jpg" width="600" height="900"></aside>
      <a href="https://ads.test/"><img src="/promo.jpg" width="300" height="600"></a>
      <div id="comic"><img src="/comics/12.png"></div>
      <div class="related-comics"><img src="/comics/11.png" width="900" height="900"></div>`);
    expect(page.image).toMatchObject({ url: 'https://comic.test/comics/12.png', via: 'image in an element named comic or strip', selector: '#comic img' });
  });

  it('take the largest image in the main content when nothing is named for the strip, else og:image', () => {
    expect(read('<main><img src="/a.jpg" width="800" height="1000"><img src="/b.jpg" width="300" height="200"></main>').image?.url).toBe('https://comic.test/a.jpg');
    expect(read('<meta property="og:image" content="/strip12.png"><p>text</p>').image).toMatchObject({ url: 'https://comic.test/strip12.png', via: 'og:image' });
    expect(read('<meta property="og:image" content="/site-logo.png"><p>text</p>').image).toBeNull();
  });

  it('never return a javascript: or data: image', () => {
    expect(read('<div id="comic"><img src="javascript:alert(1)"></div>').image).toBeNull();
    expect(read('<div id="comic"><img src="data:image/png;base64,AAAA"></div>').image).toBeNull();
  });

  it('key a strip by its canonical URL, og:url, or its own URL; never by a canonical that points every page at the home page', () => {
    expect(read('<link rel="canonical" href="/strip/12">')).toMatchObject({ key: 'https://comic.test/strip/12', keyVia: 'canonical' });
    expect(read('<meta property="og:url" content="https://comic.test/s/12">')).toMatchObject({ key: 'https://comic.test/s/12', keyVia: 'og:url' });
    expect(read('<link rel="canonical" href="https://comic.test/">')).toMatchObject({ key: URL_, keyVia: 'url' });
  });
});

describe('configured selectors', () => {
  const html = `<div class="strip"><img src="/s/12.png"></div><div id="art" style="background-image: url('/bg/12.jpg')"></div>
    <table><tr><td><a class="back" href="/strip/11/">&lt;</a></td></tr></table><span class="num">#12</span>
    <div class="latest"><a href="/strip/12/">Newest</a></div>`;

  it('win over the defaults: image (an img, a container of one, or a CSS background), prev and key', () => {
    expect(read(html, { image: '.strip' }).image).toMatchObject({ url: 'https://comic.test/s/12.png', via: 'selector' });
    expect(read(html, { image: '#art' }).image?.url).toBe('https://comic.test/bg/12.jpg');
    // Parsed as browsers do, so a selector copied from developer tools, tbody included, matches.
    expect(read(html, { prev: 'table > tbody > tr > td > a' }).prev).toMatchObject({ url: 'https://comic.test/strip/11/', via: 'selector' });
    expect(read(html, { key: '.num' })).toMatchObject({ key: '#12', keyVia: 'selector' });
    expect(findLatestLink(parsePage(html), URL_, '.latest')).toBe('https://comic.test/strip/12/');
  });

  it('say which of them match nothing', () => {
    expect(read(html, { image: '#comic img', prev: 'a[rel=prev]', key: '.missing' }).unmatched).toEqual(['key', 'image', 'prev']);
  });

  it('that are not valid CSS fail with E_SELECTOR naming the field', () => {
    expect(() => read(html, { image: 'img[' })).toThrow(expect.objectContaining({ code: 'E_SELECTOR', message: expect.stringMatching(/^selectors\.image "img\[" is not a valid CSS selector/) }));
  });

  it('suggestions pick the element they were made for', () => {
    const $ = parsePage('<div class="a"><img src="/1.png"></div><div class="b"><img src="/2.png"></div>');
    const second = $('img').get(1)!;
    const selector = suggestSelector($, second);
    expect($(selector).get(0)).toBe(second);
  });
});
