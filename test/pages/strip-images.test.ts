import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostPool } from '../../src/concurrency/host-pool.js';
import { HttpClient } from '../../src/http/client.js';
import { slottedPageFetcher } from '../../src/pages/fetch-page.js';
import { lookUpStripImages } from '../../src/pages/strip-images.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { createCounter, startServer, type Counter, type TestServer } from '../helpers/server.js';

const stripPage = (n: number) => ({
  headers: { 'content-type': 'text/html' },
  body: `<html><head><title>Strip ${n}</title></head><body><div id="comic"><img src="/img/${n}.png" alt="Art ${n}" title="Hover ${n}"></div><a rel="prev" href="/s/${n - 1}">prev</a></body></html>`,
});

let a: TestServer;
let b: TestServer;
let shared: Counter;
let store: ComicsStore;
let http: HttpClient;

beforeAll(async () => {
  shared = createCounter();
  const routes = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`/s/${i + 1}`, stripPage(i + 1)]));
  a = await startServer({ host: '127.0.0.21', latencyMs: 20, shared, routes: { ...routes, '/s/bare': { headers: { 'content-type': 'text/html' }, body: '<html><body><p>No pictures here.</p></body></html>' } } });
  b = await startServer({ host: '127.0.0.22', latencyMs: 20, shared, routes });
});
afterAll(async () => {
  await a.close();
  await b.close();
});
beforeEach(() => {
  store = new ComicsStore(openDatabase(':memory:'));
  http = new HttpClient({ sleep: async () => {}, maxTries: 1 });
});
afterEach(async () => {
  store.db.close();
  await http.close();
});

function record(comic: string, urls: string[]) {
  store.recordSuccess(comic, {
    feed: `https://${comic}.test/feed`,
    entries: urls.map((url, i) => ({ key: url, url, title: `T${i}`, published: null, image: null })),
    validators: { etag: null, lastModified: null },
    unreadAtBaseline: urls.length,
  });
}

function deps() {
  const pool = new HostPool({ concurrency: 3, perHost: 2 });
  return {
    store,
    fetchPage: slottedPageFetcher(http, (url, task) => pool.run(new URL(url).host, task)),
    selectorsFor: () => undefined,
  };
}

describe('images of strips recorded without one', () => {
  it("are read from the strips' own pages, in the run's pool, once per strip", async () => {
    record('A', [1, 2, 3, 4, 5, 6].map((n) => a.url(`/s/${n}`)));
    record('B', [1, 2, 3, 4, 5, 6].map((n) => b.url(`/s/${n}`)));
    const strips = store.unread();
    const found = await lookUpStripImages(strips, deps());
    expect(found.size).toBe(12);
    expect(found.get(strips.find((s) => s.url === a.url('/s/3'))!.id)).toEqual({ image: { src: a.url('/img/3.png'), alt: 'Art 3', title: 'Hover 3' }, warning: null });
    // Global and per-host limits, measured at the servers.
    expect(shared.maxInFlight).toBeLessThanOrEqual(3);
    expect(a.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(b.stats.maxInFlight).toBeLessThanOrEqual(2);
    // Recorded: the rows now have their images, and no page is read again.
    expect(store.unread().every((strip) => strip.image !== null && strip.imageTitle !== null)).toBe(true);
    const before = a.stats.requests + b.stats.requests;
    await lookUpStripImages(store.unread(), deps());
    expect(a.stats.requests + b.stats.requests).toBe(before);
  });

  it('turns a missing page or a page without a strip into a warning on that strip, and does not ask again', async () => {
    record('A', [a.url('/s/404'), a.url('/s/bare'), a.url('/s/1')]);
    const strips = store.unread();
    const found = await lookUpStripImages(strips, deps());
    const byUrl = (path: string) => found.get(strips.find((s) => s.url === a.url(path))!.id);
    expect(byUrl('/s/404')).toEqual({ image: null, warning: expect.stringMatching(/^could not read the strip's page for its image: Request failed with status 404/) });
    expect(byUrl('/s/bare')).toEqual({ image: null, warning: `no strip image was found on ${a.url('/s/bare')}` });
    expect(byUrl('/s/1')?.image?.src).toBe(a.url('/img/1.png'));
    const hits = a.stats.requests;
    const again = await lookUpStripImages(store.unread(), deps());
    expect(a.stats.requests).toBe(hits);
    expect(again.get(strips.find((s) => s.url === a.url('/s/bare'))!.id)?.warning).toMatch(/no strip image was found/);
  });

  it('leaves strips that have an image, or no page to read, alone', async () => {
    store.recordSuccess('C', {
      feed: 'https://c.test/feed',
      entries: [
        { key: 'has', url: a.url('/s/1'), title: 'has', published: null, image: 'https://c.test/1.png' },
        { key: 'none', url: null, title: 'no link', published: null, image: null },
      ],
      validators: { etag: null, lastModified: null },
      unreadAtBaseline: 2,
    });
    const hits = a.stats.requests;
    expect((await lookUpStripImages(store.history({ limit: 10 }), deps())).size).toBe(0);
    expect(a.stats.requests).toBe(hits);
  });
});
