/**
 * Entry keys: how a strip is recognised from one fetch to the next. Entries with
 * neither an id nor a link (RSS 0.92 allows items with only a description and an
 * enclosure) must still be told apart, and keep their keys across fetches.
 */
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/feeds/normalise.js';
import { parseFeed } from '../../src/feeds/parse.js';

const URL = 'https://radio.test/rss.xml';

/** Like the RSS Advisory Board's RSS 0.92 sample: items with only a description and an enclosure. */
function rss092(numbers: number[]): string {
  const items = numbers
    .map(
      (n) => `<item><description>&lt;a href="https://radio.test/show/${n}"&gt;Show ${n}&lt;/a&gt; of the week.</description>
      <enclosure url="https://radio.test/audio/${n}.mp3" length="${1000 + n}" type="audio/mpeg"/></item>`,
    )
    .join('\n');
  return `<?xml version="1.0"?><rss version="0.92"><channel><title>Kingdom of Radio</title><link>https://radio.test/</link>${items}</channel></rss>`;
}

describe('entry keys', () => {
  it('tell apart entries that carry only a description and an enclosure', () => {
    const feed = parseFeed(rss092(Array.from({ length: 22 }, (_, i) => 22 - i)), { url: URL });
    expect(feed.entries).toHaveLength(22);
    expect(new Set(feed.entries.map((entry) => entry.key)).size).toBe(22);
    for (const entry of feed.entries) expect(entry.key).toMatch(/^sha1:[0-9a-f]{40}$/);
  });

  it('give an entry the same key on every fetch, wherever it sits in the feed', () => {
    const first = parseFeed(rss092([3, 2, 1]), { url: URL }).entries.map((entry) => entry.key);
    const later = parseFeed(rss092([5, 4, 3, 2, 1]), { url: URL }).entries.map((entry) => entry.key);
    expect(later.slice(2)).toEqual(first);
    const shuffled = parseFeed(rss092([1, 3, 2]), { url: URL }).entries.map((entry) => entry.key);
    expect(shuffled).toEqual([first[2], first[0], first[1]]);
  });

  it('keep the earlier key (title and date) for recognising strips recorded under it', () => {
    const text = `<rss version="2.0"><channel><item><title>Strip 12</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><description>art</description></item></channel></rss>`;
    const [entry] = parseFeed(text, { url: URL }).entries;
    expect(entry!.legacyKey).toBe(hashKey('Strip 12', '2024-01-01T00:00:00Z'));
    expect(entry!.key).not.toBe(entry!.legacyKey);
  });

  it('are the id, else the link, as before', () => {
    const text = `<rss version="2.0"><channel><item><guid isPermaLink="false">g1</guid><title>A</title></item><item><link>/2</link></item></channel></rss>`;
    expect(parseFeed(text, { url: URL }).entries.map((entry) => [entry.key, entry.legacyKey])).toEqual([
      ['g1', undefined],
      ['https://radio.test/2', undefined],
    ]);
  });
});

describe('feeds feedparser recovers', () => {
  it('reads a feed cut off inside a CDATA section, after a comment before its XML declaration', () => {
    const text = `<!--\nDescription: Incomplete CDATA block\n-->\n<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cut short</title><link>http://x.test/</link>\n<item><title><![CD`;
    const feed = parseFeed(text, { url: URL });
    expect(feed.title).toBe('Cut short');
    expect(feed.entries).toEqual([expect.objectContaining({ url: null, title: null, published: null })]);
  });

  it('keeps an Atom entry with nothing in it, in its place', () => {
    const text = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>a</id><title>A</title></entry><entry><author></author></entry><entry><id>c</id></entry></feed>`;
    expect(parseFeed(text, { url: URL }).entries.map((entry) => entry.title ?? entry.key)).toEqual(['A', expect.stringMatching(/^sha1:/), 'c']);
  });
});
