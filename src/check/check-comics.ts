import { browserUrl } from '../browser/safe-url.js';
import { HostPool } from '../concurrency/host-pool.js';
import type { Comic } from '../config/comics-config.js';
import { ComicsError, errorMessage, isComicsError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http/client.js';
import { preloadFeedParser } from '../feeds/parse.js';
import type { ComicsStore, StripInput, StripRow } from '../store/comics-store.js';
import { readFeedResponse, requestFeed, type FeedFetch } from './feed-source.js';

export interface CheckOptions {
  /** Most feeds fetched at once. Default 8. */
  concurrency?: number;
  /** Most feeds fetched at once from one host. Default 2. */
  perHost?: number;
  /** Per-request timeout in ms (the client's default otherwise). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called as each comic finishes, for progress display. */
  onResult?: (result: ComicResult, done: number, total: number) => void;
}

export interface CheckDeps {
  http: HttpClient;
  store: ComicsStore;
}

export type ComicStatus = 'new' | 'unchanged' | 'error';

export interface ComicResult {
  name: string;
  status: ComicStatus;
  /** Strips recorded unread by this check, oldest first. */
  new: StripRow[];
  /** Strips recorded by this check that will never be opened, with the reason. */
  skipped: StripRow[];
  /** True when this check baselined the comic (first time seen, or its feed changed). */
  baselined: boolean;
  error: string | null;
  errorCode: string | null;
}

/**
 * Checks every comic concurrently (global and per-host limits over one queue),
 * records new strips unread in the store, and returns one result per comic, in
 * the order given. A failing comic is a result with status "error", never an
 * exception: the others are still checked and recorded.
 *
 * @example
 * const results = await checkComics(config.comics.map(resolveComic), { http, store }, { concurrency: 8 });
 */
export async function checkComics(comics: readonly Comic[], deps: CheckDeps, options: CheckOptions = {}): Promise<ComicResult[]> {
  const pool = new HostPool({ concurrency: options.concurrency ?? 8, perHost: options.perHost ?? 2 });
  // When feeds will probably have to be parsed (new comics, feeds without validators),
  // load the parser while the first requests are on the wire instead of when the first
  // answer arrives and every other answer waits behind it. A check that will likely get
  // only 304s does not load it at all.
  const likelyParse = comics.some((comic) => {
    const state = deps.store.getComic(comic.name);
    return state === null || state.baselinedAt === null || state.feed !== comic.source || (!state.etag && !state.lastModified);
  });
  const preload = likelyParse ? setTimeout(preloadFeedParser, 15) : undefined;
  let done = 0;
  try {
    return await Promise.all(
      comics.map(async (comic) => {
        const result = await checkOne(comic, deps, options, (task) => pool.run(hostOf(comic.source), task));
        options.onResult?.(result, ++done, comics.length);
        return result;
      }),
    );
  } finally {
    clearTimeout(preload);
  }
}

/** Checks one comic; only the request runs `inSlot`, so parsing never holds a connection slot. */
async function checkOne(
  comic: Comic,
  deps: CheckDeps,
  options: CheckOptions,
  inSlot: (task: () => Promise<HttpResponse>) => Promise<HttpResponse>,
): Promise<ComicResult> {
  const { store, http } = deps;
  const base = { name: comic.name, new: [], skipped: [], baselined: false, error: null, errorCode: null };
  if (options.signal?.aborted) {
    return { ...base, status: 'error', error: 'Interrupted before it was checked', errorCode: 'E_ABORTED' };
  }
  const state = store.getComic(comic.name);
  const known = state !== null && state.baselinedAt !== null && state.feed === comic.source;
  let fetched: FeedFetch;
  try {
    if (comic.mode !== 'feed') {
      throw new ComicsError('E_USAGE', `Page mode is not supported by this version (comic ${JSON.stringify(comic.name)})`);
    }
    const response = await inSlot(() =>
      requestFeed(http, comic.source, {
        validators: known ? { etag: state.etag, lastModified: state.lastModified } : null,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      }),
    );
    fetched = readFeedResponse(response);
  } catch (error) {
    const code = isComicsError(error) ? error.code : 'E_UNEXPECTED';
    // An interrupted check says nothing about the comic's health.
    if (code !== 'E_ABORTED') store.recordFailure(comic.name, comic.source, { code, message: errorMessage(error) });
    return { ...base, status: 'error', error: errorMessage(error), errorCode: code };
  }
  // Store errors are not the comic's: they propagate and stop the run.
  if (fetched.kind === 'not-modified') {
    store.recordNotModified(comic.name, comic.source, fetched.validators);
    return { ...base, status: 'unchanged' };
  }
  const recorded = store.recordSuccess(comic.name, {
    feed: comic.source,
    entries: fetched.feed.entries.map(withSafety),
    validators: fetched.validators,
    unreadAtBaseline: comic.unread ?? 0,
  });
  return {
    ...base,
    status: recorded.added.length > 0 ? 'new' : 'unchanged',
    new: recorded.added,
    // What a baseline skips was never going to be opened anyway; only report news.
    skipped: recorded.baselined ? [] : recorded.skipped,
    baselined: recorded.baselined,
  };
}

/** Marks entries whose link must never reach the browser. */
export function withSafety(entry: StripInput): StripInput {
  const checked = browserUrl(entry.url);
  return 'reason' in checked ? { ...entry, skipped: checked.reason } : { ...entry, url: checked.url, skipped: null };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
