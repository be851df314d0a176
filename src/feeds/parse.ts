/**
 * The one entry point for reading a fetched feed body: decoding, telling
 * feeds from everything else, and a second, repaired attempt for feeds that
 * are broken in the ways real sites break them.
 */
import { ComicsError } from '../errors.js';
import { decodeText } from '../text/decode.js';
import { parseJsonFeed } from './json-feed.js';
import { cutMarkup, MAX_ENTRIES } from './cut.js';
import { contentKey } from './normalise.js';
import { emptyEntries, repairMarkup } from './repair.js';
import { sniffDocument, type FeedMarkup } from './sniff.js';
import type { FeedEntry, ParsedFeed } from './types.js';
import { loadFeedsmith, readXmlFeed, type XmlFeedContent } from './xml-feed.js';

export type { FeedEntry, ParsedFeed } from './types.js';

/**
 * Loads the XML feed library now rather than at the first parse, for callers
 * that have idle time (requests in flight) to spend on it.
 */
export function preloadFeedParser(): void {
  loadFeedsmith();
}

/** Options for {@link parseFeed}. */
export interface ParseFeedOptions {
  /** Where the body came from (after redirects): the base for relative links, and named in errors. */
  url: string;
  /** The response's Content-Type header, for its charset. */
  contentType?: string | null;
}

/**
 * Reads an RSS (0.9x, 1.0, 2.0), Atom (0.3, 1.0) or JSON Feed (1.0, 1.1)
 * document. Bytes are decoded as {@link decodeText} describes; a string is
 * taken as already decoded.
 *
 * Throws a `ComicsError` with code `E_NOT_A_FEED` when the body is something
 * else (an HTML page, plain text, other XML or JSON, nothing at all), and
 * `E_FEED_PARSE` when it is a feed that cannot be read even after repair.
 *
 * @example
 * const feed = parseFeed(body, { url: 'https://xkcd.com/atom.xml', contentType: 'text/xml; charset=utf-8' });
 * feed.version;         // 'atom10'
 * feed.entries[0]?.url; // 'https://xkcd.com/3261/'
 */
export function parseFeed(input: Uint8Array | string, options: ParseFeedOptions): ParsedFeed {
  const { url } = options;
  const text =
    typeof input === 'string'
      ? input.replace(/^\uFEFF/, '')
      : decodeText(input, { contentType: options.contentType, kind: looksLikeJson(input, options.contentType) ? 'json' : 'xml' });
  const document = sniffDocument(text);
  switch (document.kind) {
    case 'json':
      return parseJsonFeed(text, url);
    case 'feed':
      return readMarkupFeed(document.start > 0 ? text.slice(document.start) : text, document.format, document.version, url);
    case 'empty':
      throw notAFeed(url, 'an empty body');
    case 'html':
      throw notAFeed(url, 'an HTML page');
    case 'text':
      throw notAFeed(url, `plain text (${JSON.stringify(text.trim().slice(0, 40))})`);
    case 'xml':
      throw notAFeed(url, `an XML document whose root element is <${document.root}>`);
  }
}

function notAFeed(url: string, found: string): ComicsError {
  return new ComicsError('E_NOT_A_FEED', `Expected RSS, Atom or JSON Feed at ${url}, found ${found}`, { url });
}

const FORMAT_NAMES: Record<FeedMarkup, string> = { rss: 'RSS', rdf: 'RSS (RDF)', atom: 'Atom' };

function readMarkupFeed(whole: string, format: FeedMarkup, version: string, url: string): ParsedFeed {
  // A feed of more entries than anyone reads is cut before the feed library builds its tree.
  const cut = countEntryTags(whole, format) > MAX_ENTRIES ? cutMarkup(whole, format === 'atom' ? 'entry' : 'item', MAX_ENTRIES) : null;
  const text = cut?.text ?? whole;
  let content: XmlFeedContent | null = null;
  let read = text;
  let failure: unknown = null;
  try {
    content = readXmlFeed(text, format, url);
  } catch (error) {
    failure = error;
  }
  const expected = countEntryTags(text, format);
  if (content === null || content.entries.length < expected) {
    // Truncated documents, unclosed elements swallowing the entries after
    // them: repair and try once more, keeping whichever reading found more.
    try {
      const repaired = repairMarkup(text);
      const second = readXmlFeed(repaired, format, url);
      if (content === null || second.entries.length > content.entries.length) [content, read] = [second, repaired];
    } catch (error) {
      failure ??= error;
    }
  }
  if (content !== null && content.entries.length < expected) content = { ...content, entries: withEmptyEntries(read, format, content.entries) };
  if (content === null) {
    const reason = describeFailure(failure);
    throw new ComicsError('E_FEED_PARSE', `Could not read the ${FORMAT_NAMES[format]} feed at ${url}: ${reason}`, {
      url,
      cause: failure,
    });
  }
  return { version, title: content.title, link: content.link, entries: content.entries, ...(cut === null ? {} : { total: cut.total }) };
}

/**
 * Puts back, in place, the entries that hold nothing at all, which the feed library
 * leaves out (feedparser keeps them: an entry is an entry). Only when the other
 * entries line up one for one; otherwise the library's reading stands.
 */
function withEmptyEntries(text: string, format: FeedMarkup, entries: FeedEntry[]): FeedEntry[] {
  const empty = emptyEntries(text, format === 'atom' ? 'entry' : 'item');
  if (!empty.includes(true) || empty.filter((isEmpty) => !isEmpty).length !== entries.length) return entries;
  let next = 0;
  return empty.map((isEmpty) => (isEmpty ? blankEntry() : entries[next++]!));
}

function blankEntry(): FeedEntry {
  return { key: contentKey(null, null, [], []), url: null, title: null, published: null, image: null, imageAlt: null, imageTitle: null };
}

/** The XML parser's own message (feedsmith wraps it in a generic one). */
function describeFailure(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  const cause = failure.cause instanceof Error ? failure.cause.message : null;
  return cause ? `${failure.message}: ${cause}` : failure.message;
}

/** How many entry start tags the markup has; a reading with fewer lost some. */
function countEntryTags(text: string, format: FeedMarkup): number {
  const pattern = format === 'atom' ? /<(?:[\w.-]+:)?entry[\s>/]/gi : /<(?:[\w.-]+:)?item[\s>/]/gi;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

/** JSON or markup, from the first significant byte; the Content-Type only breaks a tie. */
function looksLikeJson(bytes: Uint8Array, contentType: string | null | undefined): boolean {
  for (let i = 0; i < Math.min(bytes.length, 64); i++) {
    const b = bytes[i] as number;
    // Skip whitespace, a UTF-8 BOM and the NULs of UTF-16/32.
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x00 || b === 0xef || b === 0xbb || b === 0xbf || b === 0xfe || b === 0xff) continue;
    return b === 0x7b || b === 0x5b;
  }
  return contentType != null && /[/+]json\b/i.test(contentType);
}
