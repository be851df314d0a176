/**
 * Feed autodiscovery: the `<link rel="alternate">` elements a page uses to
 * announce its feeds, the paths to try when it announces none, and which of
 * several feeds is the one a reader wants.
 */
import { htmlParser } from './html-parser.js';
import { resolveUrl } from './normalise.js';

/** A feed a page links to. */
export interface FeedLink {
  /** Absolute http(s) URL of the feed. */
  url: string;
  /** The declared media type, lower-cased, without parameters. */
  type: string;
  /** The link's title attribute, if it has one. */
  title: string | null;
}

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  'application/feed+json',
  'application/x-rss+xml',
  'application/x-atom+xml',
]);
// Generic types that are only a feed when the link says so.
const GENERIC_TYPES = new Set(['application/json', 'text/xml', 'application/xml']);
const FEEDISH = /\b(?:rss|atom|feed|rdf)\b/i;

/**
 * The feeds a page announces, in document order, de-duplicated, resolved
 * against the page's `<base href>` and URL. Only http(s) URLs are kept: a
 * feed is something to fetch. Uses htmlparser2's streaming parser, so no DOM
 * is built for pages that are crawled by the thousand, and stops at `<body>`.
 *
 * Counted as feeds: `rel` containing the token `alternate` (or `feed`), with
 * an RSS, Atom, RDF or JSON Feed type; `application/json` (JSON Feed 1.0's
 * type), `text/xml` and `application/xml` count only when the title or URL
 * says rss/atom/feed, since WordPress announces its REST API with
 * `rel="alternate" type="application/json"` on every page.
 *
 * @example
 * findFeedLinks('<link rel="alternate" type="application/rss+xml" href="/rss.xml" title="Strips">', 'https://x.test/comic/');
 * // [{ url: 'https://x.test/rss.xml', type: 'application/rss+xml', title: 'Strips' }]
 */
export function findFeedLinks(html: string, pageUrl: string): FeedLink[] {
  let baseHref: string | null = null;
  const found: { href: string; type: string; title: string | null }[] = [];
  const parser = new (htmlParser())(
    {
      onopentag(name, attributes) {
        if (name === 'body') {
          // Feed links belong in <head> (rel=alternate is not body-ok);
          // stopping here skips most of every crawled page.
          parser.pause();
          return;
        }
        if (name === 'base') {
          // Only the first <base href> counts, as in browsers.
          if (baseHref === null && attributes.href !== undefined) baseHref = attributes.href;
          return;
        }
        if (name !== 'link' || attributes.href === undefined) return;
        const rel = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        if (!rel.includes('alternate') && !rel.includes('feed')) return;
        const type = (attributes.type ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
        const title = attributes.title?.trim() || null;
        if (!isFeedType(type, title, attributes.href)) return;
        found.push({ href: attributes.href, type, title });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  // <base> applies to every URL in the document, even links before it.
  const base = resolveUrl(baseHref, pageUrl) ?? pageUrl;
  const seen = new Set<string>();
  const links: FeedLink[] = [];
  for (const link of found) {
    const url = resolveUrl(link.href, base);
    if (url === null || !/^https?:/i.test(url) || seen.has(url)) continue;
    seen.add(url);
    links.push({ url, type: link.type, title: link.title });
  }
  return links;
}

/**
 * True when a `<link rel="alternate">` with this media type (lower-cased, no
 * parameters), title and href announces a feed. Shared with the crawler.
 *
 * @example
 * isFeedType('application/json', null, '/wp-json/wp/v2/pages/1') // false: WordPress's REST API
 */
export function isFeedType(type: string, title: string | null, href: string): boolean {
  if (FEED_TYPES.has(type)) return true;
  if (!GENERIC_TYPES.has(type)) return false;
  // WordPress announces its REST API as rel="alternate" application/json.
  return FEEDISH.test(title ?? '') || FEEDISH.test(href);
}

/**
 * Where sites that do not announce a feed usually have one, most likely
 * first: WordPress and its comic themes, Hugo and Jekyll, Blogger, Tumblr,
 * Squarespace, Comic Easel and ComicControl. Paths, to be resolved against
 * the site root (and the comic's own directory when it lives under a path).
 *
 * @example
 * COMMON_FEED_PATHS.map((path) => new URL(path, 'https://x.test/').href);
 */
export const COMMON_FEED_PATHS: string[] = [
  '/feed',
  '/rss',
  '/feed.xml',
  '/rss.xml',
  '/atom.xml',
  '/index.xml',
  '/feed.json',
  '/feed/atom',
  '/?feed=rss2',
  '/comic/rss',
  '/comic/feed',
  '/comics/feed',
  '/feeds/posts/default',
  '/index.rss',
  '/rss.php',
  '/?format=rss',
];

const COMMENTS = /\bcomments?\b/i;
const SECTION = /\/(?:category|categories|tag|tags|author|authors|series|topics?|label|labels|search)\//i;
const SECTION_TITLE = /»\s*(?:category|tag|author|series)\b|\b(?:category|tag|author) (?:feed|archive)\b/i;

/**
 * Orders discovered feeds so the site's main feed comes first: whole-site
 * RSS and Atom feeds, then JSON Feeds, then per-category, tag and author
 * feeds, then comment feeds. Feeds of equal rank keep their page order, since
 * sites list their main feed first. Returns a new array.
 *
 * @example
 * rankFeedLinks(findFeedLinks(html, pageUrl))[0]?.url; // the feed to subscribe to
 */
export function rankFeedLinks<T extends { url: string; type: string; title: string | null }>(links: readonly T[]): T[] {
  return links
    .map((link, index) => ({ link, index, rank: rank(link) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ link }) => link);
}

function rank(link: { url: string; type: string; title: string | null }): number {
  const title = link.title ?? '';
  let path = link.url;
  try {
    const parsed = new URL(link.url);
    path = parsed.pathname + parsed.search;
  } catch {
    // Unparseable URLs are ranked on the text as given.
  }
  if (COMMENTS.test(title) || /comments?(?:-rss|-atom|\/feed|\.xml|\/rss)/i.test(path)) return 3;
  if (SECTION.test(path) || SECTION_TITLE.test(title)) return 2;
  if (link.type.includes('json')) return 1;
  return 0;
}
