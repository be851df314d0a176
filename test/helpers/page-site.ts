import type http from 'node:http';
import { startServer, type Counter, type TestServer } from './server.js';

/** How a page comic's strip pages link to the previous strip. */
export type PageNav =
  /** `<link rel="prev">` and `<a rel="prev">`. */
  | 'rel'
  /** Only `<a class="comic-nav-previous">‹</a>`: no rel, an arrow for text. */
  | 'class'
  /** Only a link whose text says "« Back": no rel, no class. */
  | 'text';

export interface PageComicSpec {
  slug: string;
  nav?: PageNav;
  /**
   * Where the comic is followed: `front` (default) is `/<slug>/`, a front page showing the
   * newest strip with itself as canonical URL; `latest` is `/<slug>/latest`, which redirects
   * (302) to the newest strip's own page.
   */
  entry?: 'front' | 'latest';
  /** Strip pages name their canonical URL (default true). */
  canonical?: boolean;
  /** Strips published at start (default 3). */
  count?: number;
}

interface PageComic extends Required<PageComicSpec> {
  strips: number;
  /** Prev-link overrides: strip n links back to prev[n]. */
  prev: Map<number, number>;
  /** Markup changed: the strip image is no longer in #comic, the prev link lost its rel. */
  drifted: boolean;
}

/** A webcomic site without feeds, on a loopback address. */
export interface PageSite {
  server: TestServer;
  origin: string;
  /** The URL a comic is followed at (its `url` in the config). */
  entryUrl(slug: string): string;
  /** A strip's own page. */
  stripUrl(slug: string, n: number): string;
  imageUrl(slug: string, n: number): string;
  /** Publishes `count` strips; returns their numbers. */
  publish(slug: string, count?: number): number[];
  /** Makes strip `from` link back to strip `to` (a loop when `to` is newer). */
  linkBack(slug: string, from: number, to: number): void;
  /** Changes a comic's markup the way redesigns do, so configured selectors stop matching. */
  drift(slug: string): void;
  close(): Promise<void>;
}

/**
 * Starts a site of page-mode comics: strip pages at `/<slug>/strip/<n>/` with a logo,
 * the strip image (`/<slug>/img/<n>.png` in `#comic`), navigation as the spec says,
 * and a "Back to top" link that is not the previous strip.
 */
export async function startPageSite(options: { comics: PageComicSpec[]; host?: string; shared?: Counter }): Promise<PageSite> {
  const comics = new Map<string, PageComic>();
  for (const spec of options.comics) {
    comics.set(spec.slug, {
      nav: 'rel',
      entry: 'front',
      canonical: true,
      count: 3,
      ...spec,
      strips: spec.count ?? 3,
      prev: new Map(),
      drifted: false,
    });
  }
  let origin = '';

  const page = (comic: PageComic, n: number, self: string): string => {
    const prev = comic.prev.get(n) ?? n - 1;
    const prevHref = prev >= 1 ? `/${comic.slug}/strip/${prev}/` : null;
    const nav =
      prevHref === null
        ? ''
        : comic.nav === 'rel' && !comic.drifted
          ? `<a rel="prev" href="${prevHref}">Previous</a>`
          : comic.nav === 'class' || comic.drifted
            ? `<a class="comic-nav-previous" href="${prevHref}">‹</a>`
            : `<a href="${prevHref}">« Back</a>`;
    const head = [
      `<title>${comic.slug} #${n}</title>`,
      comic.canonical ? `<link rel="canonical" href="${self}">` : '',
      comic.nav === 'rel' && prevHref !== null && !comic.drifted ? `<link rel="prev" href="${prevHref}">` : '',
      `<meta property="og:site_name" content="${comic.slug} comics">`,
    ].join('');
    const strip = comic.drifted
      ? `<div class="art"><img class="panel" src="/${comic.slug}/img/${n}.png" alt="Strip ${n}" width="800" height="600"></div>`
      : `<div id="comic"><img src="/${comic.slug}/img/${n}.png" alt="Strip ${n}" title="Hover ${n}"></div>`;
    return `<!doctype html><html><head>${head}</head><body>
<header><a href="/${comic.slug}/"><img src="/static/logo.png" alt="logo" width="200" height="60"></a></header>
<main>${strip}<nav>${nav}</nav></main>
<footer><a href="#top">Back to top</a> <a href="/">Back to the home page</a></footer>
</body></html>`;
  };

  const html = (res: http.ServerResponse, body: string): void => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  };

  const server = await startServer({
    ...(options.host ? { host: options.host } : {}),
    ...(options.shared ? { shared: options.shared } : {}),
    fallback: (req, res) => {
      const path = req.url ?? '/';
      const match = /^\/([\w-]+)\/(?:(latest)|strip\/(\d+)\/)?$/.exec(path);
      const comic = match ? comics.get(match[1]!) : undefined;
      if (!match || !comic) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (match[2] === 'latest') {
        res.writeHead(302, { location: `/${comic.slug}/strip/${comic.strips}/` }).end();
        return;
      }
      if (match[3] === undefined) {
        html(res, page(comic, comic.strips, `${origin}/${comic.slug}/`));
        return;
      }
      const n = Number(match[3]);
      if (n < 1 || n > comic.strips) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      html(res, page(comic, n, `${origin}${path}`));
    },
  });
  origin = server.origin;

  const get = (slug: string): PageComic => {
    const comic = comics.get(slug);
    if (!comic) throw new Error(`no page comic ${slug}`);
    return comic;
  };
  return {
    server,
    origin,
    entryUrl: (slug) => `${origin}/${slug}/${get(slug).entry === 'latest' ? 'latest' : ''}`,
    stripUrl: (slug, n) => `${origin}/${slug}/strip/${n}/`,
    imageUrl: (slug, n) => `${origin}/${slug}/img/${n}.png`,
    publish(slug, count = 1) {
      const comic = get(slug);
      const numbers = Array.from({ length: count }, (_, i) => comic.strips + i + 1);
      comic.strips += count;
      return numbers;
    },
    linkBack(slug, from, to) {
      get(slug).prev.set(from, to);
    },
    drift(slug) {
      get(slug).drifted = true;
    },
    close: () => server.close(),
  };
}
