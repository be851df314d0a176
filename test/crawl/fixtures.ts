import { HttpClient } from '../../src/http/client.js';
import { CrawlStore } from '../../src/store/crawl-store.js';
import { openDatabase, type Db } from '../../src/store/database.js';
import type { Route } from '../helpers/server.js';

/** An HTML page linking to `links` (hrefs as written), with optional extra head markup. */
export function page(links: string[], head = ''): Route {
  const anchors = links.map((href) => `<a href="${href}">${href}</a>`).join('\n');
  return {
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html><head><title>t</title>${head}</head><body>${anchors}</body></html>`,
  };
}

/** Routes for a link graph: path -> hrefs on that page. */
export function graph(pages: Record<string, string[]>): Record<string, Route> {
  return Object.fromEntries(Object.entries(pages).map(([path, links]) => [path, page(links)]));
}

/** An in-memory store and a client that retries without sleeping. */
export function world(): { db: Db; store: CrawlStore; http: HttpClient } {
  const db = openDatabase(':memory:');
  return { db, store: new CrawlStore(db), http: new HttpClient({ sleep: async () => {}, random: () => 0, transport: 'request' }) };
}
