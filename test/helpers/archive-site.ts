import type http from 'node:http';
import { gif, jpeg, png } from './images.js';
import { startServer, type Route, type TestServer } from './server.js';

export type ImageFormat = 'png' | 'gif' | 'jpeg';

export interface ArchiveSiteOptions {
  slug?: string;
  /** Strips published at start. */
  count: number;
  /** Each strip's image format (default png). */
  format?: (n: number) => ImageFormat;
  /** Serve images from a second server (another host), as comics use CDNs. */
  imageHost?: boolean;
  /** Strip pages name their date (article:published_time). */
  dated?: boolean;
  /** Latency of every answer, in ms. */
  latencyMs?: number;
  /** robots.txt of the page host (none: 404). */
  robots?: string;
  /** robots.txt of the image host, when separate. */
  imageRobots?: string;
}

/** A page comic with real images, on loopback servers, counting what it serves. */
export interface ArchiveSite {
  pages: TestServer;
  /** The image host (the page host unless `imageHost`). */
  images: TestServer;
  slug: string;
  /** `/latest`, which redirects to the newest strip's page. */
  entryUrl: string;
  /** An RSS feed of the newest five strips, each with its image in the description. */
  feedUrl: string;
  stripUrl(n: number): string;
  imageUrl(n: number): string;
  imagePath(n: number): string;
  /** The bytes strip n's image is served with. */
  imageBytes(n: number): Buffer;
  /** Strips published so far. */
  readonly count: number;
  publish(count?: number): number[];
  /** Answers strip n's image with this instead. */
  overrideImage(n: number, route: Route): void;
  /** Serves every image as published again. */
  resetImages(): void;
  /** Image requests answered in full (the response finished). */
  readonly imagesServed: number;
  /** Called each time an image response finished. */
  onImageServed: ((path: string) => void) | null;
  close(): Promise<void>;
}

const EXT: Record<ImageFormat, string> = { png: 'png', gif: 'gif', jpeg: 'jpg' };
const TYPE: Record<ImageFormat, string> = { png: 'image/png', gif: 'image/gif', jpeg: 'image/jpeg' };

/**
 * Starts a page-mode comic of `count` strips: pages at `/<slug>/strip/<n>/` (canonical link,
 * title, strip image in `#comic`, `rel="prev"` link except on strip 1), `/<slug>/latest`
 * redirecting to the newest, a feed, and each strip's image at `/<slug>/img/<n>.<ext>`
 * with real, distinct bytes.
 */
export async function startArchiveSite(options: ArchiveSiteOptions): Promise<ArchiveSite> {
  const slug = options.slug ?? 'strips';
  const format = options.format ?? (() => 'png' as const);
  const latency = options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs };
  let count = options.count;
  let imagesServed = 0;
  const overrides = new Map<number, Route>();
  const bytes = (n: number): Buffer => {
    const kind = format(n);
    return kind === 'png' ? png(n) : kind === 'gif' ? gif(n) : jpeg(n);
  };
  const imagePath = (n: number): string => `/${slug}/img/${n}.${EXT[format(n)]}`;
  let pagesOrigin = '';
  let imagesOrigin = '';
  // Assigned once the servers listen; handlers read it at request time.
  let site!: ArchiveSite;

  const page = (n: number): string => {
    const date = new Date(Date.UTC(2020, 0, 1) + n * 86_400_000).toISOString();
    const prev = n > 1 ? `<a rel="prev" href="/${slug}/strip/${n - 1}/">Previous</a>` : '';
    return `<!doctype html><html><head><title>Strip ${n}</title><link rel="canonical" href="${pagesOrigin}/${slug}/strip/${n}/">
${options.dated ? `<meta property="article:published_time" content="${date}">` : ''}</head><body>
<header><img src="/static/logo.png" alt="logo" width="200" height="60"></header>
<main><div id="comic"><img src="${imagesOrigin}${imagePath(n)}" alt="Strip ${n}" width="800" height="600"></div><nav>${prev}</nav></main>
</body></html>`;
  };

  const servePage = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = req.url ?? '/';
    if (path === `/${slug}/latest`) {
      res.writeHead(302, { location: `/${slug}/strip/${count}/` }).end();
      return;
    }
    if (path === `/${slug}/feed.xml`) {
      const items = [];
      for (let n = count; n > Math.max(0, count - 5); n--) {
        items.push(
          `<item><title>Strip ${n}</title><link>${pagesOrigin}/${slug}/strip/${n}/</link><guid isPermaLink="false">${slug}-${n}</guid>` +
            `<description>&lt;img src="${imagesOrigin}${imagePath(n)}" alt=""&gt;</description></item>`,
        );
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>${slug}</title><link>${pagesOrigin}/${slug}/</link>${items.join('')}</channel></rss>`);
      return;
    }
    const match = /^\/([\w-]+)\/strip\/(\d+)\/$/.exec(path);
    const n = Number(match?.[2]);
    if (match === null || match[1] !== slug || n < 1 || n > count) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(n));
  };

  const serveImage = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    const match = /^\/([\w-]+)\/img\/(\d+)\.\w+$/.exec(path);
    const n = Number(match?.[2]);
    if (match === null || match[1] !== slug || n < 1 || n > count || path !== imagePath(n)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.on('finish', () => {
      imagesServed++;
      site.onImageServed?.(path);
    });
    const override = overrides.get(n);
    if (typeof override === 'function') return override(req, res);
    if (override !== undefined) {
      res.writeHead(override.status ?? 200, override.headers ?? {}).end(override.body ?? '');
      return;
    }
    const body = bytes(n);
    res.writeHead(200, { 'content-type': TYPE[format(n)], 'content-length': body.length }).end(body);
  };

  const pages = await startServer({
    ...latency,
    routes: options.robots === undefined ? {} : { '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: options.robots } },
    fallback: options.imageHost ? servePage : (req, res) => (/\/img\//.test(req.url ?? '') ? serveImage(req, res) : servePage(req, res)),
  });
  const images = options.imageHost
    ? await startServer({
        ...latency,
        host: '127.0.0.2',
        routes:
          options.imageRobots === undefined ? {} : { '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: options.imageRobots } },
        fallback: serveImage,
      })
    : pages;
  pagesOrigin = pages.origin;
  imagesOrigin = images.origin;

  site = {
    onImageServed: null,
    pages,
    images,
    slug,
    entryUrl: `${pages.origin}/${slug}/latest`,
    feedUrl: `${pages.origin}/${slug}/feed.xml`,
    stripUrl: (n: number) => `${pages.origin}/${slug}/strip/${n}/`,
    imageUrl: (n: number) => `${images.origin}${imagePath(n)}`,
    imagePath,
    imageBytes: bytes,
    get count() {
      return count;
    },
    publish(more = 1) {
      const numbers = Array.from({ length: more }, (_, i) => count + i + 1);
      count += more;
      return numbers;
    },
    overrideImage: (n: number, route: Route) => void overrides.set(n, route),
    resetImages: () => overrides.clear(),
    get imagesServed() {
      return imagesServed;
    },
    close: async () => {
      await pages.close();
      if (images !== pages) await images.close();
    },
  };
  return site;
}
