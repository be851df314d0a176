/**
 * RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, read with feedsmith (which does the XML
 * parsing, namespace resolution and entity decoding) and mapped to
 * {@link FeedEntry} the way Python's feedparser maps them, so that keys,
 * links and dates agree with the long-standing reference reader.
 */
import { createRequire } from 'node:module';
import type { AtomFeed, MediaNs, RdfFeed, RssFeed } from 'feedsmith';
import { plainText, resolveUrl, toFeedEntry, type MediaCandidate } from './normalise.js';
import type { FeedMarkup } from './sniff.js';
import type { FeedEntry } from './types.js';

type Feedsmith = typeof import('feedsmith');

let feedsmith: Feedsmith | undefined;

/**
 * feedsmith costs 60-130 ms to load (it brings every format, namespace and
 * generator), which commands that never read a feed should not pay; so it is
 * required on first use. Its CommonJS build loads faster than the ESM one.
 */
export function loadFeedsmith(): Feedsmith {
  feedsmith ??= createRequire(import.meta.url)('feedsmith') as Feedsmith;
  return feedsmith;
}

/** What {@link readXmlFeed} found: feed-level fields and entries. */
export interface XmlFeedContent {
  title: string | null;
  link: string | null;
  entries: FeedEntry[];
}

/**
 * Parses `text` as RSS, RDF or Atom, as `sniffDocument` classified it, and maps it.
 * Throws feedsmith's MalformedError when the XML cannot be read.
 *
 * @example
 * readXmlFeed('<rss version="2.0"><channel><item><link>/1</link></item></channel></rss>', 'rss', 'https://x.test/feed');
 * // { title: null, link: null, entries: [{ key: 'https://x.test/1', url: 'https://x.test/1', ... }] }
 */
export function readXmlFeed(text: string, format: FeedMarkup, url: string): XmlFeedContent {
  const library = loadFeedsmith();
  try {
    if (format === 'atom') return atomContent(library.parseAtomFeed(text), url);
    if (format === 'rdf') return rssContent(library.parseRdfFeed(text), url);
    return rssContent(library.parseRssFeed(text), url);
  } catch (error) {
    // feedsmith reports well-formed XML that holds nothing it can map (no
    // channel, only empty items) as ParseError or DetectError: for us that
    // is a feed with no entries. Broken XML (MalformedError) is rethrown.
    const name = error instanceof Error ? error.name : '';
    if (name === 'ParseError' || name === 'DetectError') return { title: null, link: null, entries: [] };
    throw error;
  }
}

type RssLikeFeed = RssFeed.Feed<string> | RdfFeed.Feed<string>;
type RssLikeItem = RssFeed.Item<string> | RdfFeed.Item<string>;

function rssContent(feed: RssLikeFeed, url: string): XmlFeedContent {
  const base = resolveUrl(feed.xml?.base, url) ?? url;
  const siteLink = nonBlank(feed.link) ?? alternateLink(feed.atom?.links);
  return {
    title: plainText(feed.title),
    link: resolveUrl(siteLink, base),
    entries: (feed.items ?? []).map((item) => rssEntry(item, base)),
  };
}

function rssEntry(item: RssLikeItem, feedBase: string): FeedEntry {
  const base = resolveUrl(item.xml?.base, feedBase) ?? feedBase;
  const guid = 'guid' in item ? item.guid : undefined;
  const about = 'rdf' in item ? item.rdf?.about : undefined;
  const id = guid?.value ?? about ?? item.atom?.id ?? null;
  // feedparser's rule: a guid doubles as the link unless isPermaLink="false".
  // We add that it must be an absolute http(s) URL, since guids that are
  // not ("12345", "tag:...") are identifiers that merely forgot the flag.
  const guidLink = guid !== undefined && guid.isPermaLink !== false ? absoluteHttp(guid.value) : null;
  const enclosures = 'enclosures' in item ? (item.enclosures ?? []) : [];
  return toFeedEntry({
    id,
    link: nonBlank(item.link) ?? alternateLink(item.atom?.links) ?? guidLink,
    base,
    title: item.title ?? item.dc?.titles?.[0],
    published: ['pubDate' in item ? item.pubDate : undefined, item.dcterms?.issued?.[0], item.atom?.published],
    updated: [item.dc?.dates?.[0], item.dcterms?.modified?.[0], item.atom?.updated],
    media: [
      ...enclosures.map((e): MediaCandidate => ({ url: e.url, type: e.type, kind: 'enclosure' })),
      ...mediaCandidates(item.media),
    ],
    html: [
      { value: item.content?.encoded, base },
      { value: item.description, base },
    ],
  });
}

function atomContent(feed: AtomFeed.Feed<string>, url: string): XmlFeedContent {
  const base = resolveUrl(feed.xml?.base, url) ?? url;
  return {
    title: plainText(feed.title?.value ?? null),
    link: resolveUrl(alternateLink(feed.links), base),
    entries: (feed.entries ?? []).map((entry) => atomEntry(entry, base)),
  };
}

function atomEntry(entry: AtomFeed.Entry<string>, feedBase: string): FeedEntry {
  const base = resolveUrl(entry.xml?.base, feedBase) ?? feedBase;
  const html: { value: string | undefined; base: string }[] = [];
  for (const body of [entry.content, entry.summary]) {
    if (body?.value && isHtmlType(body.type)) {
      html.push({ value: body.value, base: resolveUrl(body.xml?.base, base) ?? base });
    }
  }
  const enclosures = (entry.links ?? []).filter((link) => link.rel?.trim().toLowerCase() === 'enclosure');
  return toFeedEntry({
    id: entry.id,
    // As in feedparser, an entry without an alternate link is reachable at
    // its id when the id is a URL (Blogger, xkcd and many others).
    link: alternateLink(entry.links) ?? absoluteHttp(entry.id),
    base,
    title: entry.title?.value,
    published: [entry.published, entry.dcterms?.issued?.[0]],
    updated: [entry.updated, entry.dc?.dates?.[0], entry.dcterms?.modified?.[0]],
    media: [
      ...enclosures.map((link): MediaCandidate => ({ url: link.href, type: link.type, kind: 'enclosure' })),
      ...mediaCandidates(entry.media),
    ],
    html,
  });
}

/**
 * The last `rel="alternate"` (or rel-less) link whose type is HTML or
 * unspecified: feedparser keeps the last one, and feeds that list several
 * put the canonical page last as often as first.
 */
function alternateLink(links: readonly AtomFeed.Link<string>[] | undefined): string | null {
  let found: string | null = null;
  for (const link of links ?? []) {
    const rel = link.rel?.trim().toLowerCase() ?? 'alternate';
    if (rel === 'alternate' && (link.type === undefined || isHtmlType(link.type)) && link.href) found = link.href;
  }
  return found;
}

function isHtmlType(type: string | undefined): boolean {
  const t = (type ?? '').trim().toLowerCase();
  return t === 'html' || t === 'xhtml' || t === 'text/html' || t === 'application/xhtml+xml';
}

function nonBlank(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== '' ? value : null;
}

function absoluteHttp(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return /^https?:\/\/[^\s]+$/i.test(trimmed) ? trimmed : null;
}

function mediaCandidates(media: MediaNs.ItemOrFeed | undefined): MediaCandidate[] {
  if (media === undefined) return [];
  const out: MediaCandidate[] = [];
  const groups = media.groups ?? [];
  for (const content of [...(media.contents ?? []), ...groups.flatMap((g) => g.contents ?? [])]) {
    out.push({ url: content.url, type: content.type, medium: content.medium, kind: 'media', alt: content.description?.value, title: content.title?.value });
  }
  // Thumbnails come last: a video's poster frame is a fallback, not the strip.
  const thumbnails = [
    ...(media.thumbnails ?? []),
    ...groups.flatMap((g) => [...(g.thumbnails ?? []), ...(g.contents ?? []).flatMap((c) => c.thumbnails ?? [])]),
    ...(media.contents ?? []).flatMap((c) => c.thumbnails ?? []),
  ];
  for (const thumbnail of thumbnails) out.push({ url: thumbnail.url, kind: 'thumbnail' });
  return out;
}
