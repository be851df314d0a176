/**
 * A bound on the entries read from one feed: a webcomic's feed lists tens of
 * strips, and a feed of 100,000 items (an archive, or a hostile server) must not
 * cost seconds and hundreds of megabytes. Only the newest {@link MAX_ENTRIES} are
 * read; the cut is made on the markup, before the feed library builds its tree.
 */
import { parseFeedDate } from './dates.js';

/** Entries read from one feed, the newest first (by date, else as the feed lists them). */
export const MAX_ENTRIES = 1000;

/**
 * Which `max` of the candidates to keep: newest first by date, undated ones after
 * the dated ones in document order; returned in document order.
 *
 * @example
 * newestIndexes(['2024-01-01T00:00:00Z', '2024-03-01T00:00:00Z', null], 1) // [1]
 */
export function newestIndexes(dates: readonly (string | null)[], max: number): number[] {
  return dates
    .map((date, index) => ({ date, index }))
    .sort((a, b) => (a.date === b.date ? a.index - b.index : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? 1 : -1))
    .slice(0, max)
    .map(({ index }) => index)
    .sort((a, b) => a - b);
}

/**
 * The document with only its newest `max` entry elements (`item` or `entry`), the
 * rest of the markup (channel, feed fields) left as it is; null when it has no
 * more than `max`. `total` is how many the document had. A scan with regular
 * expressions, which steps over comments and CDATA sections: an XML parser's
 * pass over a 12 MB feed costs most of a second, this a tenth of that.
 *
 * @example
 * cutMarkup(hugeRss, 'item', 1000) // { text: '<rss>…1000 items…</rss>', total: 100000 }
 */
export function cutMarkup(text: string, element: 'item' | 'entry', max: number): { text: string; total: number } | null {
  const tokens = new RegExp(`<!\\[CDATA\\[[\\s\\S]*?(?:\\]\\]>|$)|<!--[\\s\\S]*?(?:-->|$)|<(/?)(?:[\\w.-]+:)?${element}(?=[\\s>/])[^>]*>`, 'gi');
  const entries: { start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let match = tokens.exec(text); match !== null; match = tokens.exec(text)) {
    if (match[1] === undefined) continue; // a comment or CDATA section
    const closing = match[1] === '/';
    const selfClosing = !closing && match[0].endsWith('/>');
    if (!closing) {
      if (depth === 0) start = match.index;
      if (!selfClosing) depth++;
      else if (depth === 0) entries.push({ start, end: tokens.lastIndex });
    } else if (depth > 0 && --depth === 0) {
      entries.push({ start, end: tokens.lastIndex });
    }
  }
  // A document cut off inside its last entry: that entry runs to the end.
  if (depth > 0) entries.push({ start, end: text.length });
  if (entries.length <= max) return null;
  const keep = newestIndexes(
    entries.map((entry) => entryDate(text.slice(entry.start, entry.end))),
    max,
  ).map((index) => entries[index]!);
  const kept = keep.map((entry) => text.slice(entry.start, entry.end)).join('\n');
  return { text: text.slice(0, entries[0]!.start) + kept + text.slice(entries.at(-1)!.end), total: entries.length };
}

const DATE = /<(?:[\w.-]+:)?(?:pubDate|published|updated|date|issued|modified)(?=[\s>])[^>]*>(?:\s*<!\[CDATA\[)?([^<\]]*)/i;

/** The first date an entry's markup gives, as parseFeedDate reads it. */
function entryDate(markup: string): string | null {
  const found = DATE.exec(markup);
  return found === null ? null : parseFeedDate(found[1]);
}
