import type { Comic } from '../config/comics-config.js';
import { errorMessage, isComicsError } from '../errors.js';
import { knownStrips, walkPages, type PageFetcher } from '../pages/page-walk.js';
import type { StripInput } from '../store/comics-store.js';

export interface CatchUp {
  /** Strips found behind the feed's window, newest first, dated to sort before every feed entry. */
  strips: StripInput[];
  pages: number;
  /** Why the gap may not be filled completely, or null. */
  warning: string | null;
}

const NOTHING: CatchUp = { strips: [], pages: 0, warning: null };

/**
 * Fills the gap a feed's window left: when none of the feed's entries was seen
 * before (more strips were published than the feed holds), walks back through
 * previous-strip links from the oldest entry's page to the newest strip already
 * recorded, at most `maxWalk` pages, so nothing published while the reader was
 * away is lost. Pages are matched to recorded strips by key, link or strip image.
 *
 * Never throws for the comic's sake (the feed itself was read fine): what stops
 * the walk early becomes the warning. Only an interruption (E_ABORTED) is thrown.
 *
 * @example
 * const { strips } = await catchUp(comic, entries, { fetchPage, recorded: () => store.stripIdentities(comic.name), maxWalk: 20 });
 */
export async function catchUp(
  comic: Comic,
  entries: readonly StripInput[],
  deps: {
    fetchPage: PageFetcher;
    /** Whether the comic has strips recorded, and whether any of these keys or links is one. */
    knowsAny: (ids: { keys: string[]; urls: string[] }) => { recorded: boolean; seen: boolean };
    /** Everything recorded, for the walk (read only when there is a gap). */
    recorded: () => { keys: string[]; urls: string[]; images: string[] };
    maxWalk: number;
  },
): Promise<CatchUp> {
  if (entries.length === 0) return NOTHING;
  // By keys and links only: entries sharing a stock image must not hide a gap.
  const known = deps.knowsAny({ keys: entries.map((entry) => entry.key), urls: entries.flatMap((entry) => (entry.url ? [entry.url] : [])) });
  if (!known.recorded || known.seen) return NOTHING;
  const recorded = deps.recorded();

  const dates = entries.flatMap((entry) => (entry.published ? [entry.published] : []));
  const oldestDate = dates.length === entries.length ? dates.reduce((a, b) => (a < b ? a : b)) : null;
  // The oldest entry: the earliest date when every entry has one, else the last in feed order.
  const ordered = oldestDate === null ? [...entries].reverse() : [...entries].sort((a, b) => (a.published! < b.published! ? -1 : 1));
  const from = ordered.find((entry) => !entry.skipped && entry.url);
  if (!from?.url) return { ...NOTHING, warning: 'catch-up: no entry of the feed links to a strip page to walk back from' };
  try {
    const walk = await walkPages(deps.fetchPage, {
      start: from.url,
      fromPrevOf: true,
      selectors: comic.selectors,
      maxWalk: deps.maxWalk,
      isKnown: knownStrips(recorded, { byImage: true }),
    });
    // Undated pages sort with the oldest entry's date and, by walk position, before it.
    const orderAt = oldestDate ?? null;
    return {
      strips: walk.strips.map((strip) => ({ ...strip, orderAt: strip.published === null ? orderAt : null })),
      pages: walk.pages,
      warning: walk.warning === null ? null : `catch-up: ${walk.warning}`,
    };
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    return { ...NOTHING, warning: `catch-up: could not read ${from.url}: ${errorMessage(error)}` };
  }
}
