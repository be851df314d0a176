import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkComics } from '../../src/check/check-comics.js';
import { resolveComic } from '../../src/config/comics-config.js';
import { hashKey } from '../../src/feeds/normalise.js';
import { HttpClient } from '../../src/http/client.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';

const ORIGIN = 'https://comic.test';
const comic = resolveComic({ name: 'c', feed: `${ORIGIN}/feed.xml` });

function rss(...numbers: number[]): string {
  const items = numbers
    .map((n) => `<item><guid>g${n}</guid><title>#${n}</title><link>${ORIGIN}/${n}</link><pubDate>${new Date(Date.UTC(2024, 0, n)).toUTCString()}</pubDate></item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>C</title><link>${ORIGIN}/</link>${items}</channel></rss>`;
}

let store: ComicsStore;
let http: HttpClient;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  store = new ComicsStore(openDatabase(':memory:'));
  http = new HttpClient({ sleep: async () => {}, maxTries: 2 });
});
afterEach(async () => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  store.db.close();
  await http.close();
  expect(pending).toEqual([]);
});

describe('checkComics (unit)', () => {
  it('baselines without validators, then sends and updates them on 200 and 304', async () => {
    nock(ORIGIN)
      .get('/feed.xml')
      .matchHeader('if-none-match', (value) => value === undefined)
      .reply(200, rss(1, 2), { etag: '"a"' })
      .get('/feed.xml')
      .matchHeader('if-none-match', '"a"')
      .reply(200, rss(1, 2, 3), { etag: '"b"', 'last-modified': 'Wed, 03 Jan 2024 00:00:00 GMT' })
      .get('/feed.xml')
      .matchHeader('if-none-match', '"b"')
      .matchHeader('if-modified-since', 'Wed, 03 Jan 2024 00:00:00 GMT')
      .reply(304, '', { etag: '"c"' });
    const [first] = await checkComics([comic], { http, store });
    expect(first).toMatchObject({ status: 'unchanged', baselined: true });
    const [second] = await checkComics([comic], { http, store });
    expect(second!.new.map((s) => s.key)).toEqual(['g3']);
    const [third] = await checkComics([comic], { http, store });
    expect(third!.status).toBe('unchanged');
    expect(store.getComic('c')).toMatchObject({ etag: '"c"', lastModified: 'Wed, 03 Jan 2024 00:00:00 GMT' });
  });

  it('keeps the old validators when a feed breaks, so the next check fetches it whole', async () => {
    nock(ORIGIN)
      .get('/feed.xml')
      .reply(200, rss(1), { etag: '"a"' })
      .get('/feed.xml')
      .reply(200, '<html><body>Oops, a maintenance page</body></html>', { etag: '"maint"' });
    await checkComics([comic], { http, store });
    const [broken] = await checkComics([comic], { http, store });
    expect(broken).toMatchObject({ status: 'error', errorCode: 'E_NOT_A_FEED' });
    expect(broken!.error).toMatch(/found an HTML page/);
    expect(store.getComic('c')).toMatchObject({ etag: '"a"', failureStreak: 1, errorCode: 'E_NOT_A_FEED' });
  });

  it('records a network failure after retries, without touching strips', async () => {
    nock(ORIGIN).get('/feed.xml').reply(200, rss(1, 2)).get('/feed.xml').times(2).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await checkComics([comic], { http, store });
    const [failed] = await checkComics([comic], { http, store });
    expect(failed).toMatchObject({ status: 'error', errorCode: 'E_NETWORK' });
    expect(store.history({ limit: 10 })).toHaveLength(2);
  });

  it('does not hold an interrupted check against the comic', async () => {
    const controller = new AbortController();
    controller.abort();
    const [result] = await checkComics([comic], { http, store }, { signal: controller.signal });
    expect(result).toMatchObject({ status: 'error', errorCode: 'E_ABORTED' });
    expect(store.getComic('c')).toBeNull();
  });

  it('reports each result as it arrives, for progress', async () => {
    nock(ORIGIN).get('/feed.xml').reply(200, rss(1));
    const seen: [string, number, number][] = [];
    await checkComics([comic], { http, store }, { onResult: (r, done, total) => seen.push([r.name, done, total]) });
    expect(seen).toEqual([['c', 1, 1]]);
  });
});

describe('feeds whose entries have neither id nor link', () => {
  const items = (numbers: number[]) =>
    `<?xml version="1.0"?><rss version="0.92"><channel><title>R</title><link>${ORIGIN}/</link>${numbers
      .map((n) => `<item><description>Show ${n}</description><enclosure url="${ORIGIN}/audio/${n}.mp3" length="1" type="audio/mpeg"/></item>`)
      .join('')}</channel></rss>`;
  const all = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => to - i);

  it('records every entry, reports the ones published later as new, and never opens them (no link)', async () => {
    nock(ORIGIN).get('/feed.xml').reply(200, items(all(1, 22))).get('/feed.xml').reply(200, items(all(1, 24)));
    const [first] = await checkComics([comic], { http, store });
    expect(first).toMatchObject({ status: 'unchanged', baselined: true });
    expect(store.history({ limit: 100 })).toHaveLength(22);
    const [second] = await checkComics([comic], { http, store });
    expect(second!.new).toHaveLength(0);
    expect(second!.skipped.map((strip) => strip.skipped)).toEqual(['the entry has no link', 'the entry has no link']);
    expect(store.history({ limit: 100 })).toHaveLength(24);
    expect(store.countUnread()).toBe(0);
  });

  it('recognises a strip recorded under the earlier title-and-date key, once, and rekeys it', async () => {
    const feed = (titles: string[]) =>
      `<rss version="2.0"><channel>${titles.map((t) => `<item><title>${t}</title><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><description>${t} art</description></item>`).join('')}</channel></rss>`;
    nock(ORIGIN).get('/feed.xml').reply(200, feed(['One'])).get('/feed.xml').reply(200, feed(['Two', 'One']));
    // As comics 0.1 recorded it.
    store.recordSuccess('c', {
      feed: comic.source,
      entries: [{ key: hashKey('One', '2024-01-01T00:00:00Z'), url: null, title: 'One', published: '2024-01-01T00:00:00Z', image: null }],
      validators: { etag: null, lastModified: null },
      unreadAtBaseline: 0,
    });
    const [first] = await checkComics([comic], { http, store });
    expect(first).toMatchObject({ status: 'unchanged', skipped: [] });
    const [second] = await checkComics([comic], { http, store });
    expect(second!.skipped.map((strip) => strip.title)).toEqual(['Two']);
    expect(store.history({ limit: 10 }).map((strip) => strip.key)).not.toContain(hashKey('One', '2024-01-01T00:00:00Z'));
  });
});
