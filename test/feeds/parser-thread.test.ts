import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inlineFeedParser, type FeedParser } from '../../src/feeds/parser.js';

// The thread runs the compiled worker, so this test uses the build (npm test builds first).
const built = fileURLToPath(new URL('../../dist/feeds/parser.js', import.meta.url));

const rss = (items: number) =>
  new TextEncoder().encode(
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Thread</title><link>https://t.test/</link>${Array.from(
      { length: items },
      (_, i) => `<item><guid>g${i}</guid><title>Strip ${i} &amp; more</title><link>/s/${i}</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>`,
    ).join('')}</channel></rss>`,
  );

describe.skipIf(!existsSync(built))('ThreadFeedParser', () => {
  async function thread(): Promise<FeedParser> {
    const { ThreadFeedParser } = (await import(built)) as typeof import('../../src/feeds/parser.js');
    return new ThreadFeedParser();
  }

  it('parses on its thread exactly as inline, many at once', async () => {
    const parser = await thread();
    const bodies = Array.from({ length: 20 }, (_, i) => rss(i + 1));
    const options = { url: 'https://t.test/feed.xml', contentType: 'application/rss+xml' };
    const threaded = await Promise.all(bodies.map((body) => parser.parse(body, options)));
    const inline = await Promise.all(bodies.map((body) => inlineFeedParser.parse(body, options)));
    expect(threaded).toEqual(inline);
    expect(threaded[2]!.entries.map((e) => e.url)).toEqual(['https://t.test/s/0', 'https://t.test/s/1', 'https://t.test/s/2']);
    await parser.close();
  });

  it('hands a body that is a view into a larger buffer over without losing or corrupting it', async () => {
    const parser = await thread();
    const body = rss(2);
    const pooled = new Uint8Array(body.length + 100);
    pooled.set(body, 50);
    const view = pooled.subarray(50, 50 + body.length);
    const feed = await parser.parse(view, { url: 'https://t.test/feed.xml' });
    expect(feed.entries).toHaveLength(2);
    // The caller's buffer is still usable: only a copy crossed over.
    expect(pooled.byteLength).toBe(body.length + 100);
    await parser.close();
  });

  it('reports parse errors as ComicsErrors with their code', async () => {
    const parser = await thread();
    const page = new TextEncoder().encode('<html><body>not a feed</body></html>');
    await expect(parser.parse(page, { url: 'https://t.test/page' })).rejects.toMatchObject({
      code: 'E_NOT_A_FEED',
      url: 'https://t.test/page',
      message: /found an HTML page/,
    });
    await parser.close();
  });
});
