/**
 * The strip image of a feed entry: declared images first, else the first
 * meaningful <img> of its HTML, with alt text and hover text; never a tracking
 * pixel, icon or emoji. And over the real comic feeds of the shared corpus: how
 * many entries get an image, and that no tracker is ever taken.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/feeds/parse.js';
import { CORPUS, CORPUS_ABSENT } from '../helpers/corpus.js';

const URL_ = 'https://comic.test/feed.xml';
const rss = (description: string, extra = '') =>
  `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><guid>1</guid><link>https://comic.test/1</link>${extra}<description><![CDATA[${description}]]></description></item></channel></rss>`;
const image = (text: string) => {
  const [entry] = parseFeed(text, { url: URL_ }).entries;
  return { src: entry!.image, alt: entry!.imageAlt, title: entry!.imageTitle };
};

describe('the strip image of an entry', () => {
  it('keeps the alt text and the hover text of the <img>, decoded and plain', () => {
    expect(image(rss('<p><img src="/s/1.png" alt="Two people &amp; a cat" title="The hover &lt;b&gt;text&lt;/b&gt;"></p>'))).toEqual({
      src: 'https://comic.test/s/1.png',
      alt: 'Two people & a cat',
      title: 'The hover text',
    });
  });

  it('passes over tracking pixels, feedburner ~r/ images, icons and emoji to the strip', () => {
    const html =
      '<img src="https://feeds.feedburner.com/~r/comic/~4/abc" height="1" width="1">' +
      '<img src="https://stats.wordpress.com/b.gif?x=1">' +
      '<img class="wp-smiley emoji" src="https://s.w.org/images/core/emoji/14.0.0/72x72/1f600.png" alt="😀">' +
      '<img src="/icons/rss-icon.png">' +
      '<img src="/strips/2024-01-01.png" title="hover">';
    expect(image(rss(html))).toEqual({ src: 'https://comic.test/strips/2024-01-01.png', alt: null, title: 'hover' });
    expect(image(rss('<img src="https://feeds.feedburner.com/~r/comic/~4/abc">'))).toEqual({ src: null, alt: null, title: null });
  });

  it('prefers a declared image (media:content with its title and description) to the HTML', () => {
    const media = '<media:content url="https://cdn.test/strip.png" type="image/png"><media:title>Hover</media:title><media:description>Alt</media:description></media:content>';
    expect(image(rss('<img src="/other.png">', media))).toEqual({ src: 'https://cdn.test/strip.png', alt: 'Alt', title: 'Hover' });
  });

  it("keeps a strip whose own file name has furniture's words in it", () => {
    expect(image(rss('<img src="https://donthitsave.test/comicimages/dhs_2019-04-26_ads-for-google.png">')).src).toMatch(/ads-for-google/);
  });
});

/** The webcomic feeds of the corpus (the rest are blogs, news and podcasts). */
const COMIC_FEEDS = [
  'atom-validator__xkcd.xml',
  'dosage__dailydose.rss',
  'feeder__buni.xml',
  'feeder__commitstrip.xml',
  'feeder__feed_dilbert.xml',
  'feeder__infiniteimmortalbens.xml',
  'feeder__litterbox.xml',
  'feeder__litterbox-slides.xml',
  'feeder__lunarbaboon.xml',
  'feeder__monkeyuser.xml',
  'feeder__oatmeal.xml',
  'feeder__oglaf.xml',
  'feeder__phdcomics.xml',
  'feeder__poorlydrawnlines.xml',
  'feeder__savagechickens.xml',
  'feeder__smbc.xml',
  'feeder__wumo.xml',
  'feeder__xkcd.xml',
  'feeder__zippy.xml',
  'rsparser__donthitsave.xml',
];
const present = existsSync(new URL('feeds/', CORPUS));
const TRACKER = /\/~(?:r|ff)\/|feedpress\.me\/\d+\/\d+\.gif|stats\.|\/b\.gif|pixel|\bp\.php/i;

describe.skipIf(!present)(`strip images in the corpus${present ? '' : ` (skipped: ${CORPUS_ABSENT})`}`, () => {
  it('finds an image for the comic feeds’ entries, with hover text where they carry one, and never a tracker', () => {
    const expectedLines = readFileSync(new URL('expected.jsonl', CORPUS), 'utf8').trim().split('\n');
    const reference = new Map(
      expectedLines.map((line) => {
        const e = JSON.parse(line) as { file: string; entries: { images: string[]; html_images: string[] }[] };
        return [e.file, e.entries.filter((entry) => entry.images.length + entry.html_images.length > 0).length];
      }),
    );
    let entries = 0;
    let withImage = 0;
    let withHover = 0;
    let carrying = 0;
    const perFeed: string[] = [];
    for (const file of COMIC_FEEDS) {
      const feed = parseFeed(readFileSync(new URL(`feeds/${file}`, CORPUS)), { url: `https://corpus.invalid/feeds/${file}` });
      const found = feed.entries.filter((entry) => entry.image !== null).length;
      entries += feed.entries.length;
      withImage += found;
      carrying += reference.get(`feeds/${file}`) ?? 0;
      withHover += feed.entries.filter((entry) => entry.imageTitle !== null).length;
      perFeed.push(`${file}: ${found} of ${feed.entries.length} (feedparser sees an image in ${reference.get(`feeds/${file}`)})`);
    }
    // Trackers over every feed of the corpus, comics or not.
    const taken: string[] = [];
    for (const line of expectedLines) {
      const expected = JSON.parse(line) as { file: string; version: string };
      if (expected.version === '') continue;
      const feed = parseFeed(readFileSync(new URL(expected.file, CORPUS)), { url: `https://corpus.invalid/${expected.file}` });
      for (const entry of feed.entries) if (entry.image !== null && TRACKER.test(entry.image)) taken.push(entry.image);
    }
    console.log(
      `Comic feeds: ${COMIC_FEEDS.length}, entries ${entries}; feedparser sees an image in ${carrying}; ` +
        `comics takes one for ${withImage} (the rest are thumbnails and furniture, left for the strip's page), with hover text ${withHover}\n  ` +
        `${perFeed.join('\n  ')}\n  trackers taken (all feeds): ${taken.length}`,
    );
    expect(taken).toEqual([]);
    expect(withImage / carrying).toBeGreaterThan(0.95);
  });
});
