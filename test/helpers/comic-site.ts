import { createHash } from 'node:crypto';
import type http from 'node:http';
import { png, type Rgb } from './png.js';
import { startServer, type Counter, type TestServer } from './server.js';

const PALETTE: Rgb[] = [[86, 120, 200], [229, 115, 80], [60, 140, 110], [240, 170, 60]];

/** Feed formats the fixture site serves. */
export type FixtureFormat = 'rss20' | 'rss091' | 'rss10' | 'atom10' | 'atom03' | 'json11' | 'json10';

export interface FixtureStrip {
  n: number;
  title: string;
  /** Path of the strip page, or a full (possibly hostile) link. */
  link: string;
  date: Date;
}

export interface FixtureComic {
  slug: string;
  format: FixtureFormat;
  strips: FixtureStrip[];
  /** How many newest strips the feed lists. */
  window: number;
  /** Leave dates out of the feed. */
  undated?: boolean;
  /** Leave the strip image out of the feed (it is then only on the strip's own page). */
  imageless?: boolean;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const esc = (text: string) => text.replace(/[&<>"]/g, (ch) => ESC[ch]!);

function render(comic: FixtureComic, origin: string): { body: string; type: string } {
  const site = `${origin}/${comic.slug}/`;
  const items = comic.strips.slice(-comic.window).reverse();
  const abs = (link: string) => (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('-') ? link : `${origin}${link}`);
  const img = (s: FixtureStrip) =>
    comic.imageless ? `<p>${esc(s.title)}</p>` : `<img src="/${comic.slug}/img/${s.n}.png" alt="Strip ${s.n} art" title="Hover text of strip ${s.n}">`;
  switch (comic.format) {
    case 'rss20':
    case 'rss091':
      return {
        type: 'application/rss+xml; charset=utf-8',
        body: `<?xml version="1.0" encoding="utf-8"?>
<rss version="${comic.format === 'rss20' ? '2.0' : '0.91'}"><channel><title>${comic.slug}</title><link>${site}</link>
${items
  .map(
    (s) => `<item><title>${esc(s.title)}</title><link>${esc(abs(s.link))}</link>${
      comic.format === 'rss20' ? `<guid isPermaLink="false">${comic.slug}-${s.n}</guid>` : ''
    }${comic.undated || comic.format === 'rss091' ? '' : `<pubDate>${s.date.toUTCString()}</pubDate>`}<description>${esc(img(s))}</description></item>`,
  )
  .join('\n')}
</channel></rss>`,
      };
    case 'rss10':
      return {
        type: 'application/rdf+xml',
        body: `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="${site}"><title>${comic.slug}</title><link>${site}</link></channel>
${items
  .map(
    (s) =>
      `<item rdf:about="${esc(abs(s.link))}"><title>${esc(s.title)}</title><link>${esc(abs(s.link))}</link>${
        comic.undated ? '' : `<dc:date>${s.date.toISOString()}</dc:date>`
      }</item>`,
  )
  .join('\n')}
</rdf:RDF>`,
      };
    case 'atom10':
    case 'atom03': {
      const ns = comic.format === 'atom10' ? 'http://www.w3.org/2005/Atom' : 'http://purl.org/atom/ns#';
      const dateTag = comic.format === 'atom10' ? 'updated' : 'issued';
      // Relative links against xml:base, as real Atom feeds do.
      return {
        type: 'application/atom+xml',
        body: `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="${ns}" xml:base="${site}"${comic.format === 'atom03' ? ' version="0.3"' : ''}><title>${comic.slug}</title>
<link rel="alternate" href="${site}"/><id>${site}</id>
${items
  .map(
    (s) =>
      `<entry><id>tag:fixture,2024:${comic.slug}/${s.n}</id><title>${esc(s.title)}</title><link rel="alternate" href="${esc(
        s.link.startsWith(`/${comic.slug}/`) ? s.link.slice(comic.slug.length + 2) : abs(s.link),
      )}"/>${comic.undated ? '' : `<${dateTag}>${s.date.toISOString()}</${dateTag}>`}</entry>`,
  )
  .join('\n')}
</feed>`,
      };
    }
    case 'json11':
    case 'json10':
      return {
        type: 'application/feed+json',
        body: JSON.stringify({
          version: comic.format === 'json11' ? 'https://jsonfeed.org/version/1.1' : 'https://jsonfeed.org/version/1',
          title: comic.slug,
          home_page_url: site,
          items: items.map((s) => ({
            id: `${comic.slug}-${s.n}`,
            url: abs(s.link),
            title: s.title,
            ...(comic.undated ? {} : { date_published: s.date.toISOString() }),
            content_html: img(s),
          })),
        }),
      };
  }
}

/** A webcomic site on a loopback address whose comics publish new strips on demand. */
export interface ComicSite {
  server: TestServer;
  origin: string;
  comics: Map<string, FixtureComic>;
  /** Feed URL of a comic. */
  feedUrl(slug: string): string;
  /** Adds `count` strips to a comic, one day apart after its newest. */
  publish(slug: string, count?: number, link?: (n: number) => string): FixtureStrip[];
  /** 304s answered so far. */
  notModified: number;
  close(): Promise<void>;
}

const FEED_PATHS: Record<FixtureFormat, string> = {
  rss20: 'rss.xml',
  rss091: 'rss.xml',
  rss10: 'index.rdf',
  atom10: 'atom.xml',
  atom03: 'atom.xml',
  json11: 'feed.json',
  json10: 'feed.json',
};

/**
 * Starts the fixture site. Besides the comics' feeds (with ETag / 304) it serves:
 * `/page/` (a page announcing `/page/feed.xml`), `/nofeed/` (a page with no feed),
 * `/flaky.xml` (503 with Retry-After: 1, then the feed), `/broken.xml` (always 500),
 * `/malformed.xml` (a feed with the usual breakage), `/notafeed.xml` (an HTML page),
 * and each strip's own page at `/<slug>/<n>/` (canonical link, strip image, rel=prev),
 * which catch-up walks back through.
 */
export async function startComicSite(
  options: { host?: string; shared?: Counter; comics?: Partial<FixtureComic>[]; start?: Date } = {},
): Promise<ComicSite> {
  const start = options.start ?? new Date('2024-01-01T12:00:00Z');
  const comics = new Map<string, FixtureComic>();
  let origin = '';
  let notModified = 0;
  let flakyCalls = 0;

  const publish = (slug: string, count = 1, link?: (n: number) => string): FixtureStrip[] => {
    const comic = comics.get(slug)!;
    const added: FixtureStrip[] = [];
    for (let i = 0; i < count; i++) {
      const n = (comic.strips.at(-1)?.n ?? 0) + 1;
      const strip = {
        n,
        title: `${slug} #${n}`,
        link: link ? link(n) : `/${slug}/${n}/`,
        date: new Date(start.getTime() + n * 86_400_000),
      };
      comic.strips.push(strip);
      added.push(strip);
    }
    return added;
  };

  const serveFeed = (comic: FixtureComic) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const { body, type } = render(comic, origin);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, etag }).end(body);
  };

  // A strip's own page, for catch-up walks: /<slug>/<n>/ of a published strip; and its image, real PNG bytes.
  const stripPage = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const image = /^\/([\w-]+)\/img\/(\d+)\.png$/.exec(req.url ?? '');
    if (image && comics.has(image[1]!)) {
      const n = Number(image[2]);
      res.writeHead(200, { 'content-type': 'image/png' }).end(png(320 + (n % 4) * 40, 160, [PALETTE[n % PALETTE.length]!, [245, 242, 232]], 18));
      return;
    }
    const match = /^\/([\w-]+)\/(\d+)\/$/.exec(req.url ?? '');
    const comic = match ? comics.get(match[1]!) : undefined;
    const n = Number(match?.[2]);
    if (!comic || !comic.strips.some((strip) => strip.n === n)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const prev = n > 1 ? `<a rel="prev" href="/${comic.slug}/${n - 1}/">Previous</a>` : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><html><head><title>${comic.slug} #${n}</title><link rel="canonical" href="/${comic.slug}/${n}/"></head>
<body><div id="comic"><img src="/${comic.slug}/img/${n}.png" alt="Strip ${n} art" title="Hover text of strip ${n}"></div><nav>${prev}</nav></body></html>`,
    );
  };

  const server = await startServer({
    ...(options.host ? { host: options.host } : {}),
    ...(options.shared ? { shared: options.shared } : {}),
    fallback: stripPage,
    routes: {
      '/page/': {
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<!doctype html><html><head><title>Page comic</title>
<link rel="alternate" type="application/rss+xml" title="Comments" href="/page/comments.xml">
<link rel="alternate" type="application/rss+xml" title="Page comic" href="feed.xml"></head><body><h1>Page comic</h1></body></html>`,
      },
      '/nofeed/': { headers: { 'content-type': 'text/html' }, body: '<html><head><title>No feed</title></head><body>hi</body></html>' },
      '/broken.xml': { status: 500, body: 'Internal Server Error' },
      '/notafeed.xml': { headers: { 'content-type': 'application/rss+xml' }, body: '<html><body>Not a feed</body></html>' },
      '/malformed.xml': {
        headers: { 'content-type': 'text/xml' },
        // Unescaped & and an HTML entity XML does not know, as real feeds have.
        body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Tom & Jerry&nbsp;Comics</title><link>/malformed/</link>
<item><title>Cats & dogs&nbsp;#1</title><link>/malformed/1</link><guid>m1</guid><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
</channel></rss>`,
      },
      '/flaky.xml': (req, res) => {
        if (flakyCalls++ % 2 === 0) {
          res.writeHead(503, { 'retry-after': '1' }).end('busy');
          return;
        }
        serveFeed(comics.get('flaky')!)(req, res);
      },
    },
  });
  origin = server.origin;

  const specs: Partial<FixtureComic>[] = [
    { slug: 'rss20', format: 'rss20' },
    { slug: 'rss091', format: 'rss091' },
    { slug: 'rss10', format: 'rss10' },
    { slug: 'atom10', format: 'atom10' },
    { slug: 'atom03', format: 'atom03' },
    { slug: 'json11', format: 'json11' },
    { slug: 'json10', format: 'json10' },
    { slug: 'page', format: 'rss20' },
    { slug: 'flaky', format: 'rss20' },
    ...(options.comics ?? []),
  ];
  for (const spec of specs) {
    const comic: FixtureComic = { slug: spec.slug!, format: spec.format ?? 'rss20', strips: [], window: spec.window ?? 20, ...(spec.undated ? { undated: true } : {}), ...(spec.imageless ? { imageless: true } : {}) };
    comics.set(comic.slug, comic);
    publish(comic.slug, 3);
    if (comic.slug === 'flaky') continue;
    const path = comic.slug === 'page' ? '/page/feed.xml' : `/${comic.slug}/${FEED_PATHS[comic.format]}`;
    server.routes.set(path, serveFeed(comic));
  }
  server.routes.set('/page/comments.xml', { headers: { 'content-type': 'application/rss+xml' }, body: '<rss version="2.0"><channel><title>Comments</title></channel></rss>' });

  return {
    server,
    origin,
    comics,
    feedUrl: (slug) => {
      if (slug === 'page') return `${origin}/page/feed.xml`;
      if (slug === 'flaky') return `${origin}/flaky.xml`;
      return `${origin}/${slug}/${FEED_PATHS[comics.get(slug)!.format]}`;
    },
    publish,
    get notModified() {
      return notModified;
    },
    close: () => server.close(),
  };
}
