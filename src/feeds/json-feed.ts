/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). JSON.parse does
 * the parsing; what is left is mapping a handful of documented fields.
 */
import { ComicsError } from '../errors.js';
import { MAX_ENTRIES, newestIndexes } from './cut.js';
import { parseFeedDate } from './dates.js';
import { plainText, resolveUrl, toFeedEntry, type MediaCandidate } from './normalise.js';
import type { ParsedFeed } from './types.js';

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/(1(?:\.1)?)\/?$/i;

/**
 * Reads a JSON Feed. Throws `E_FEED_PARSE` when the JSON is broken and
 * `E_NOT_A_FEED` when it is JSON but not a JSON Feed (no jsonfeed.org
 * version URL, or no `items` list).
 *
 * @example
 * parseJsonFeed('{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[]}', 'https://x.test/feed.json');
 * // { version: 'json11', title: 'T', link: null, entries: [] }
 */
export function parseJsonFeed(text: string, url: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const looksLikeJsonFeed = /jsonfeed\.org\/version/i.test(text.slice(0, 2048));
    throw new ComicsError(
      looksLikeJsonFeed ? 'E_FEED_PARSE' : 'E_NOT_A_FEED',
      looksLikeJsonFeed
        ? `Could not read the JSON Feed at ${url}: ${(error as Error).message}`
        : `Expected RSS, Atom or JSON Feed at ${url}, found malformed JSON (${(error as Error).message})`,
      { url, cause: error },
    );
  }
  if (!isObject(data)) {
    throw new ComicsError('E_NOT_A_FEED', `Expected RSS, Atom or JSON Feed at ${url}, found JSON that is not an object`, { url });
  }
  const version = typeof data.version === 'string' ? VERSION.exec(data.version.trim()) : null;
  if (version === null) {
    // A JSON Feed's shape (items, or a version that names jsonfeed.org) with a version this reader
    // does not know: a feed we cannot read, not "no feed here" (which would send `add` looking elsewhere).
    const looksLikeJsonFeed = Array.isArray(data.items) || (typeof data.version === 'string' && /jsonfeed/i.test(data.version));
    if (looksLikeJsonFeed) {
      throw new ComicsError(
        'E_FEED_PARSE',
        `Could not read the JSON Feed at ${url}: it looks like one, but its version ${JSON.stringify(data.version ?? null)} is not one comics reads (https://jsonfeed.org/version/1 or https://jsonfeed.org/version/1.1)`,
        { url },
      );
    }
    throw new ComicsError(
      'E_NOT_A_FEED',
      `Expected RSS, Atom or JSON Feed at ${url}, found JSON without a jsonfeed.org version (version: ${JSON.stringify(data.version ?? null)})`,
      { url },
    );
  }
  if (!Array.isArray(data.items)) {
    throw new ComicsError('E_NOT_A_FEED', `Expected RSS, Atom or JSON Feed at ${url}, found a JSON Feed without an "items" list`, { url });
  }
  let items = data.items.filter(isObject);
  const total = items.length;
  if (total > MAX_ENTRIES) {
    const dates = items.map((item) => parseFeedDate(str(item.date_published)) ?? parseFeedDate(str(item.date_modified)));
    items = newestIndexes(dates, MAX_ENTRIES).map((index) => items[index]!);
  }
  const entries = items.map((item) => {
    const media: MediaCandidate[] = [];
    for (const field of [item.image, item.banner_image]) {
      if (typeof field === 'string') media.push({ url: field, kind: 'thumbnail' });
    }
    if (Array.isArray(item.attachments)) {
      for (const attachment of item.attachments.filter(isObject)) {
        media.push({ url: str(attachment.url), type: str(attachment.mime_type) ?? 'application/octet-stream', kind: 'enclosure' });
      }
    }
    return toFeedEntry({
      id: typeof item.id === 'number' ? String(item.id) : str(item.id),
      link: str(item.url),
      base: url,
      title: str(item.title),
      published: [str(item.date_published)],
      updated: [str(item.date_modified)],
      media,
      html: [{ value: str(item.content_html), base: url }],
    });
  });
  return {
    version: version[1] === '1.1' ? 'json11' : 'json1',
    title: plainText(str(data.title)),
    link: resolveUrl(str(data.home_page_url), url),
    entries,
    ...(total > MAX_ENTRIES ? { total } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
