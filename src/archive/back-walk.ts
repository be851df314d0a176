/**
 * The back-catalogue walk of `comics archive --all`: from the oldest recorded
 * strip back through previous-strip links to the first strip, with the page
 * rules of page mode. Every step is recorded in the store as it is taken
 * (the strip, and where to go next), so a walk killed at any point continues
 * from the page it was reading, never from the start.
 */
import type { Comic } from '../config/comics-config.js';
import { errorMessage, isComicsError } from '../errors.js';
import type { FetchedPage } from '../pages/fetch-page.js';
import type { resolveHttp, StripPage } from '../pages/heuristics.js';
import { identity, stripOf } from '../pages/page-walk.js';
import type { ArchiveStore } from '../store/archive-store.js';
import type { ComicsStore, StripInput, StripRow } from '../store/comics-store.js';

export interface BackWalkDeps {
  store: ComicsStore;
  archive: ArchiveStore;
  claimant: string;
  /** Fetches a strip page (politely); throws a ComicsError for a failure. */
  fetchPage(url: string): Promise<FetchedPage>;
}

export interface BackWalkOptions {
  /** Most pages read by this run. */
  maxPages: number;
  signal?: AbortSignal | undefined;
  /** A page is about to be read: where the walk is. */
  onPage?(url: string): void;
  /** A strip was recorded (and claimed for this run); the walk waits for the promise (backpressure). */
  onStrip(strip: StripRow, page: string): Promise<void>;
}

export interface BackWalkResult {
  /** Pages read by this run. */
  walked: number;
  /** The walk is over: it reached the first strip, or a loop, in this run or before. */
  complete: boolean;
  /** It ended at a strip without a previous link. */
  firstReached: boolean;
  /** A page that could not be read (the walk stopped there and continues from it next time). */
  failure: { url: string; reason: string } | null;
  warnings: string[];
}

/**
 * Walks a comic back from where its walk stopped (or from its oldest recorded
 * strip), recording each strip found as read (`archive`), until the first strip,
 * a page seen before (a loop) or `maxPages`. Only the run that claimed the walk
 * walks it. Rejects with E_ABORTED when aborted, and with store errors.
 *
 * @example
 * const walk = await walkBack(comic, { store, archive, claimant, fetchPage }, { maxPages: 1000, onStrip: async (strip) => queue(strip) });
 * walk // { walked: 312, complete: true, firstReached: true, failure: null, warnings: [] }
 */
export async function walkBack(comic: Comic, deps: BackWalkDeps, options: BackWalkOptions): Promise<BackWalkResult> {
  const { archive } = deps;
  const result: BackWalkResult = { walked: 0, complete: false, firstReached: false, failure: null, warnings: [] };
  const state = archive.claimWalk(comic.name, deps.claimant);
  if (state === null) {
    result.warnings.push('another comics archive run is walking this comic back; it was left to that run');
    return result;
  }
  if (state.complete) return { ...result, complete: true, firstReached: state.firstReached };
  // Loaded while the first page is on the wire.
  const reading = import('../pages/heuristics.js');
  // Every key and link recorded: a walk back that reaches one of them has looped.
  const recorded = deps.store.stripIdentities(comic.name);
  const seen = new Set([...recorded.keys, ...recorded.urls].map(identity));
  /**
   * The walk is one page after another, so each page's request goes out as early as
   * it can: as soon as a scan of the page before finds its `rel="prev"` link (see
   * guessPrev), else as soon as the page is read, and always before its step is
   * recorded. A run killed in between reads that page again, nothing more.
   */
  const request = async (url: string): Promise<PageRequest> => {
    options.onPage?.(url);
    const outcome = deps.fetchPage(url).then(
      (page) => ({ page }),
      (error: unknown) => ({ error }),
    );
    // Let the request leave before the caller goes on with work that holds the thread (reading a
    // page takes 1-2 ms). Through the scheduler, undici writes it a turn or two of the event loop
    // later: one setImmediate was not enough (the walk took 24.5 s instead of 22 s for 1000
    // pages at 20 ms, measured); a timer is, and costs nothing while the page is on the wire.
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { url, outcome };
  };
  const receive = async ({ url, outcome }: PageRequest): Promise<FetchedPage | null> => {
    const answer = await outcome;
    if ('page' in answer) {
      result.walked++;
      return answer.page;
    }
    if (isComicsError(answer.error, 'E_ABORTED')) throw answer.error;
    result.failure = { url, reason: `The walk back stopped at this page (it goes on from here next time): ${errorMessage(answer.error)}` };
    return null;
  };
  const mayGoOn = (): boolean => result.walked < options.maxPages && options.signal?.aborted !== true;
  // A selector that is not valid CSS stops the walk at that page, like a failed request.
  const read = async (page: FetchedPage): Promise<StripPage | null> => {
    const heuristics = await reading;
    try {
      return heuristics.readStripPage(heuristics.parsePage(page.html), page.finalUrl, comic.selectors ?? {});
    } catch (error) {
      result.failure = { url: page.url, reason: errorMessage(error) };
      return null;
    }
  };
  const ended = (end: { reason: string; firstReached: boolean }): BackWalkResult => ({
    ...result,
    complete: true,
    firstReached: end.firstReached,
  });

  let next = state.nextUrl;
  let pending: PageRequest | null = null;
  if (next === null) {
    const start = archive.walkStart(comic.name);
    if (start === null || start.url === null) {
      result.failure = { url: comic.source, reason: 'No strip recorded to walk back from: run comics check first' };
      return result;
    }
    const page = await receive(await request(start.url));
    const strip = page === null ? null : await read(page);
    if (page === null || strip === null) return result;
    // A front-page strip is known by its image; the front page may show a newer strip by now.
    if (start.key === start.image && identity(strip.image?.url ?? '') !== identity(start.key)) {
      result.failure = { url: start.url, reason: 'Strips were published since the last check: run comics check first, then comics archive --all' };
      return result;
    }
    const end = endOf(strip.prev?.url ?? null, identities(start.url, page.finalUrl, strip.key), seen, { comic, page: strip, result, atStart: true });
    next = end === null ? strip.prev!.url : null;
    pending = next !== null && mayGoOn() ? await request(next) : null;
    archive.recordWalkStep(comic.name, deps.claimant, {
      strip: null,
      startKey: start.key,
      base: { orderAt: start.published ?? start.orderAt ?? start.firstSeen, position: start.position },
      next,
      end,
    });
    if (end !== null) return ended(end);
  } else if (mayGoOn()) {
    pending = await request(next);
  }

  while (pending !== null && next !== null) {
    const page = await receive(pending);
    if (page === null) return result;
    const guess = comic.selectors?.prev === undefined && mayGoOn() ? guessPrev(page.html, page.finalUrl, await reading) : null;
    const early = guess !== null && !seen.has(identity(guess)) ? await request(guess) : null;
    const strip = await read(page);
    if (strip === null) return result;
    if (strip.unmatched.includes('key')) {
      result.failure = { url: next, reason: `selectors.key ${JSON.stringify(comic.selectors?.key)} no longer matches anything on ${page.finalUrl}; the walk stopped there` };
      return result;
    }
    const ids = identities(next, page.finalUrl, strip.key);
    if (ids.some((id) => seen.has(id))) {
      result.warnings.push(`the previous-strip links loop back to ${page.finalUrl}`);
      const end = { reason: 'loop', firstReached: false };
      archive.recordWalkStep(comic.name, deps.claimant, { strip: null, next: null, end });
      return ended(end);
    }
    // Recorded already, from the front page, where only its image told which strip it was.
    const known = strip.image !== null && seen.has(identity(strip.image.url));
    const found: StripInput | null = known ? null : stripOf(strip, strip.key, page.finalUrl);
    const end = endOf(strip.prev?.url ?? null, ids, seen, { comic, page: strip, result, atStart: false });
    next = end === null ? strip.prev!.url : null;
    // A wrong guess is dropped: its answer is never read.
    pending = next === null ? null : early?.url === next ? early : mayGoOn() ? await request(next) : null;
    const row = archive.recordWalkStep(comic.name, deps.claimant, { strip: found, next, end });
    for (const id of ids) seen.add(id);
    if (row !== null) await options.onStrip(row, page.finalUrl);
    if (end !== null) return ended(end);
  }
  return result;
}

/** A page asked for; its outcome never rejects, so it may wait unobserved. */
interface PageRequest {
  url: string;
  outcome: Promise<{ page: FetchedPage } | { error: unknown }>;
}

const REL_PREV = /<(?:a|link|area)\s[^>]*?\brel\s*=\s*(?:"[^"]*?\bprev(?:ious)?\b[^"]*"|'[^']*?\bprev(?:ious)?\b[^']*'|prev(?:ious)?[\s/>])[^>]*>/i;
const HREF = /\shref\s*=\s*(?:"([^"&]*)"|'([^'&]*)'|([^\s"'>&]+))/i;

/**
 * The first `rel="prev"` link of a page, found by a scan of its text rather than a
 * parse, so the walk can ask for that page while it reads this one. Only a guess:
 * the page's reading (readStripPage) decides, and a request for a wrong guess is
 * dropped. Pages with `<base>` or entities in the link are not guessed.
 *
 * @example
 * guessPrev('<a rel="prev" href="/strip/41/">', 'https://x.test/strip/42/', heuristics) // 'https://x.test/strip/41/'
 */
export function guessPrev(html: string, pageUrl: string, heuristics: { resolveHttp: typeof resolveHttp }): string | null {
  const tag = REL_PREV.exec(html)?.[0];
  if (tag === undefined || /<base[\s>]/i.test(html)) return null;
  const href = HREF.exec(tag);
  return heuristics.resolveHttp(href?.[1] ?? href?.[2] ?? href?.[3], pageUrl);
}

/** How the walk ends after this page, or null when it goes on to `prev`. */
function endOf(
  prev: string | null,
  ids: string[],
  seen: Set<string>,
  context: { comic: Comic; page: StripPage; result: BackWalkResult; atStart: boolean },
): { reason: string; firstReached: boolean } | null {
  const { page, result } = context;
  if (prev === null) {
    // A feed comic's strip pages need not link to each other at all.
    if (context.comic.mode === 'feed' && context.atStart) {
      result.warnings.push(
        `no link to the previous strip was found on ${page.url}, so the back catalogue cannot be walked from there (set selectors.prev)`,
      );
      return { reason: 'no-prev', firstReached: false };
    }
    return { reason: 'first', firstReached: true };
  }
  if (seen.has(identity(prev)) || ids.includes(identity(prev))) {
    result.warnings.push(`the previous-strip links loop back to ${prev}`);
    return { reason: 'loop', firstReached: false };
  }
  return null;
}

function identities(...values: string[]): string[] {
  return [...new Set(values.map(identity))];
}
