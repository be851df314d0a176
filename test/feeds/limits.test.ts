/** Hostile sizes: free text is capped where it enters the store, and a feed is read only to its newest entries. */
import { describe, expect, it } from 'vitest';
import { feedCutWarning } from '../../src/check/check-comics.js';
import { cutMarkup, MAX_ENTRIES, newestIndexes } from '../../src/feeds/cut.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { capKey, capText, MAX_TITLE, MAX_URL } from '../../src/text/limits.js';

const URL_ = 'https://big.test/feed';
const day = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * 86_400_000);

function rss(numbers: number[]): string {
  const items = numbers.map((n) => `<item><guid>g${n}</guid><title>S${n}</title><pubDate>${day(n).toUTCString()}</pubDate></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><link>https://big.test/</link>${items.join('\n')}<!-- <item>not one</item> --></channel></rss>`;
}

describe('text limits', () => {
  it('cut text with an ellipsis, never inside a surrogate pair', () => {
    expect(capText('abc', 5)).toBe('abc');
    expect(capText('abcdefgh', 5)).toBe('abcd…');
    expect(capText(`abc${'😀'.repeat(3)}`, 6)).toBe('abc😀…');
    expect(capText(`abc${'😀'.repeat(3)}`, 5)).toBe('abc…');
    expect(capText(null, 5)).toBeNull();
    expect(capText('x'.repeat(10_000_000), MAX_TITLE)).toHaveLength(MAX_TITLE);
    expect(capKey('k'.repeat(5000))).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(capKey('k'.repeat(5000))).not.toBe(capKey(`${'k'.repeat(4999)}j`));
  });

  it('keep a 10 MB title out of the store, and a 10 MB link out of the browser', () => {
    const store = new ComicsStore(openDatabase(':memory:'));
    const huge = 'T'.repeat(10_000_000);
    store.recordSuccess('c', {
      feed: URL_,
      entries: [
        { key: 'a', url: 'https://big.test/a', title: huge, published: null, image: null },
        { key: 'b'.repeat(10_000), url: `https://big.test/${'b'.repeat(MAX_URL)}`, title: 'B', published: null, image: null },
      ],
      validators: { etag: null, lastModified: null },
      unreadAtBaseline: 2,
    });
    store.recordFailure('c', URL_, { code: 'E_FEED_PARSE', message: huge });
    const [b, a] = store.history({ limit: 10 }).sort((x, y) => x.title!.length - y.title!.length);
    expect(a!.title).toHaveLength(MAX_TITLE);
    expect(b).toMatchObject({ url: null, skipped: `the link is longer than ${MAX_URL} characters`, key: expect.stringMatching(/^sha1:/) });
    expect(store.getComic('c')!.lastError!.length).toBeLessThanOrEqual(1000);
    store.db.close();
  });
});

describe('feeds of more entries than are read', () => {
  it('keep the newest by date, in document order, undated ones last', () => {
    expect(newestIndexes(['2024-01-01T00:00:00Z', null, '2024-03-01T00:00:00Z', '2024-02-01T00:00:00Z'], 2)).toEqual([2, 3]);
    expect(newestIndexes([null, '2024-01-01T00:00:00Z', null], 2)).toEqual([0, 1]);
  });

  it(`read only the newest ${MAX_ENTRIES} of a huge feed, whatever its order, and say how many it had`, () => {
    // Oldest first, as some archives list them.
    const total = MAX_ENTRIES + 500;
    const feed = parseFeed(rss(Array.from({ length: total }, (_, i) => i + 1)), { url: URL_ });
    expect(feed.entries).toHaveLength(MAX_ENTRIES);
    expect(feed.total).toBe(total);
    expect(feed.entries[0]!.key).toBe('g501');
    expect(feed.entries.at(-1)!.key).toBe(`g${total}`);
    expect(feedCutWarning(feed)).toEqual([`the feed lists ${total} entries; only the newest ${MAX_ENTRIES} were read`]);
  });

  it('leave a feed within the bound alone', () => {
    const feed = parseFeed(rss([3, 2, 1]), { url: URL_ });
    expect(feed.entries.map((entry) => entry.key)).toEqual(['g3', 'g2', 'g1']);
    expect(feed.total).toBeUndefined();
    expect(feedCutWarning(feed)).toEqual([]);
  });

  it('cut markup between entries, stepping over comments and CDATA, and keep a truncated last entry', () => {
    const text = `<rss><channel><t/><item><guid>1</guid></item><!-- <item> --><item><guid><![CDATA[</item>]]></guid></item><item><guid>3`;
    expect(cutMarkup(text, 'item', 1)).toEqual({ text: '<rss><channel><t/><item><guid>1</guid></item>', total: 3 });
    expect(cutMarkup(text, 'item', 3)).toBeNull();
  });

  it('bound JSON Feeds too', () => {
    const items = Array.from({ length: MAX_ENTRIES + 10 }, (_, i) => ({ id: `j${i}`, date_published: day(i).toISOString() }));
    const feed = parseFeed(JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items }), { url: URL_ });
    expect(feed.entries).toHaveLength(MAX_ENTRIES);
    expect(feed.total).toBe(MAX_ENTRIES + 10);
    expect(feed.entries[0]!.key).toBe('j10');
  });
});
