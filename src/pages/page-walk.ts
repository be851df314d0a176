/**
 * Walking a comic's strips backwards through their previous-strip links:
 * page mode's check, and the catch-up that fills a gap a feed's window left.
 * The walk only wires fetching (injected, one connection slot per page) to
 * reading (./heuristics.js, loaded once a page has to be read).
 */
import type { StripInput } from '../store/comics-store.js';
import { ComicsError, errorMessage, isComicsError } from '../errors.js';
import type { Validators } from '../http/client.js';
import type { FetchedPage } from './fetch-page.js';
import type { PageSelectors, StripPage } from './heuristics.js';

/** Default for how many strip pages one walk reads. */
export const DEFAULT_MAX_WALK = 20;

/**
 * Fetches one page in its own connection slot; resolves null for a 304 answer
 * to the validators given.
 */
export type PageFetcher = (url: string, validators: Validators | null) => Promise<FetchedPage | null>;

/** What a walked page is known by: its key, the URLs it answered at, its strip image. */
export interface PageIdentity {
  key: string;
  urls: string[];
  image: string | null;
}

export interface WalkOptions {
  /** The page to start from: the comic's page (page mode), or a strip the feed lists (catch-up). */
  start: string;
  selectors?: PageSelectors | undefined;
  /** Most strip pages read. */
  maxWalk: number;
  /** Read exactly this many strips (at most maxWalk), known or not: a baseline. */
  take?: number | undefined;
  /**
   * Catch-up: `start` is a strip already recorded, so it is read only for its
   * previous-strip link, and the walk begins there.
   */
  fromPrevOf?: boolean;
  /** Validators for a conditional request of `start`. */
  validators?: Validators | null;
  /** `start`, already fetched (by `comics add`). */
  startPage?: FetchedPage | undefined;
  /** Whether a page is a strip recorded before: the walk stops there. */
  isKnown(page: PageIdentity): boolean;
}

/** Why a walk stopped. */
export type WalkEnd = 'not-modified' | 'known' | 'taken' | 'max-walk' | 'no-prev' | 'loop' | 'error';

export interface WalkResult {
  end: WalkEnd;
  /** Strips read, newest first. */
  strips: StripInput[];
  /** Validators of the start page, to store with the strips. */
  validators: Validators;
  /** Pages fetched. */
  pages: number;
  /** The first strip page read (the newest strip in page mode), for `add` and `doctor`. */
  first: StripPage | null;
  /** When strips may have been missed: why, in words. */
  warning: string | null;
}

/**
 * Reads strips from the newest back through their previous-strip links until it
 * reaches one already known, at most `maxWalk` pages; never loops (a URL seen
 * twice in one walk stops it). Returns the strips newest first, for the caller
 * to record in one transaction.
 *
 * Throws what fetching the start page throws, and E_SELECTOR when a configured
 * selector matches nothing on the newest strip's page (the site changed). A
 * failure further back ends the walk with a warning, keeping what was read.
 *
 * A comic's front page that shows the newest strip has the same URL whichever
 * strip it shows; there the strip image's URL is the strip's key.
 *
 * @example
 * const walk = await walkPages(fetchPage, { start: 'https://xkcd.com/', maxWalk: 20, isKnown: () => false, take: 1 });
 * walk.strips[0]?.key // 'https://imgs.xkcd.com/comics/...png' (xkcd's front page has no canonical URL)
 */
export async function walkPages(fetchPage: PageFetcher, options: WalkOptions): Promise<WalkResult> {
  const selectors = options.selectors ?? {};
  let pages = 0;
  const fetchCounted = async (url: string, validators: Validators | null): Promise<FetchedPage | null> => {
    const page = await fetchPage(url, validators);
    pages++;
    return page;
  };
  const start = options.startPage ?? (await fetchCounted(options.start, options.validators ?? null));
  if (start === null) {
    return { end: 'not-modified', strips: [], validators: options.validators ?? NO_VALIDATORS, pages, first: null, warning: null };
  }
  const heuristics = await import('./heuristics.js');
  const read = (page: FetchedPage): StripPage => heuristics.readStripPage(heuristics.parsePage(page.html), page.finalUrl, selectors);
  const result = (end: WalkEnd, warning: string | null = null): WalkResult => ({
    end,
    strips,
    validators: start.validators,
    pages,
    first,
    warning,
  });
  const strips: StripInput[] = [];
  const seen = new Set<string>();
  let first: StripPage | null = null;
  let current = start;
  let requested = options.start;

  if (selectors.latest !== undefined && !options.fromPrevOf) {
    const link = heuristics.findLatestLink(heuristics.parsePage(start.html), start.finalUrl, selectors.latest);
    if (link === null) throw selectorError('latest', selectors.latest, start.finalUrl, 'no link');
    requested = link;
    current = (await fetchCounted(link, null))!;
  }
  if (options.fromPrevOf) {
    const page = read(current);
    for (const id of identities(requested, current.finalUrl, page.key)) seen.add(id);
    if (page.prev === null) return result('no-prev', `no link to the previous strip was found on ${page.url}, so older strips could not be looked for`);
    requested = page.prev.url;
    const next = await fetchOrStop(fetchCounted, requested);
    if ('stop' in next) return result('error', next.stop);
    current = next.page;
  }

  const take = options.take === undefined ? undefined : Math.max(1, Math.min(options.take, options.maxWalk));
  for (;;) {
    const page = read(current);
    const newest = strips.length === 0 && !options.fromPrevOf;
    const missing = page.unmatched.find((field) => field === 'key' || (newest && field === 'image'));
    if (missing !== undefined) {
      const error = selectorError(missing, selectors[missing] ?? '', page.url, missing === 'key' ? 'anything' : 'an image');
      if (newest) throw error;
      return result('error', `${error.message}; the walk stopped there`);
    }
    const frontPage = newest && selectors.latest === undefined && selectors.key === undefined && isFrontPage(page.key, options.start);
    const key = frontPage && page.image !== null ? page.image.url : page.key;
    const ids = identities(requested, current.finalUrl, page.key, key);
    if (ids.some((id) => seen.has(id))) return result('loop', `the previous-strip links loop back to ${page.url}`);
    // A front page's URLs name no strip in particular: only its image tells which it shows.
    const urls = frontPage && page.image !== null ? [] : [requested, current.finalUrl, page.key];
    if (take === undefined && options.isKnown({ key, urls, image: page.image?.url ?? null })) {
      return result('known');
    }
    for (const id of ids) seen.add(id);
    first ??= page;
    strips.push({ ...stripOf(page, key, current.finalUrl), ...(urls.length === 0 ? { sharedUrl: true } : {}) });
    if (take !== undefined && strips.length >= take) return result('taken');
    if (strips.length >= options.maxWalk) {
      return result(
        'max-walk',
        take === undefined
          ? `read ${strips.length} strips back without reaching one seen before, so older ones may have been missed (raise maxWalk, or run comics check --max-walk <n>)`
          : null,
      );
    }
    if (page.prev === null) {
      if (newest && selectors.prev !== undefined) throw selectorError('prev', selectors.prev, page.url, 'a link');
      const missed = newest && take === undefined;
      return result('no-prev', missed ? `no link to the previous strip was found on ${page.url}, so strips before it may have been missed (set selectors.prev)` : null);
    }
    if (seen.has(identity(page.prev.url))) return result('loop', `the previous-strip links loop back to ${page.prev.url}`);
    requested = page.prev.url;
    const next = await fetchOrStop(fetchCounted, requested);
    if ('stop' in next) return result('error', next.stop);
    current = next.page;
  }
}

const NO_VALIDATORS: Validators = { etag: null, lastModified: null };

/**
 * A strip page as the store records it: its key, the URL it answered at, its title,
 * date and image with the image's alt and hover text.
 *
 * @example
 * store.recordSuccess(name, { ...fetch, entries: [stripOf(page, page.key, page.url)] });
 */
export function stripOf(page: StripPage, key: string, url: string): StripInput {
  return {
    key,
    url,
    title: page.title,
    published: page.published,
    image: page.image?.url ?? null,
    imageAlt: page.image?.alt ?? null,
    imageTitle: page.image?.title ?? null,
  };
}

/** A page further back: its failure ends the walk (with what was read kept) rather than failing the comic. */
async function fetchOrStop(fetchPage: PageFetcher, url: string): Promise<{ page: FetchedPage } | { stop: string }> {
  try {
    const page = await fetchPage(url, null);
    return page === null ? { stop: `${url} answered 304 to an unconditional request` } : { page };
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    return { stop: `the walk back stopped at ${url}: ${errorMessage(error)}` };
  }
}

function selectorError(field: string, selector: string, url: string, what: string): ComicsError {
  return new ComicsError('E_SELECTOR', `selectors.${field} ${JSON.stringify(selector)} no longer matches ${what} on ${url}`, { url });
}

/**
 * Whether a page's key says it is a comic's front page rather than one strip's
 * own page: the key is the URL the comic is followed at, or a site root.
 *
 * @example
 * isFrontPage('https://x.test/', 'https://x.test/comic/') // true: a site root
 */
export function isFrontPage(key: string, start: string): boolean {
  if (identity(key) === identity(start)) return true;
  try {
    const { pathname, search } = new URL(key);
    return search === '' && /^\/(?:index\.\w+)?$/.test(pathname);
  } catch {
    return false;
  }
}

function identities(...values: string[]): string[] {
  return [...new Set(values.map(identity))];
}

/**
 * How walks compare URLs and keys: scheme, `www.`, a trailing slash and the
 * fragment do not matter (sites link to their strips inconsistently);
 * anything that is not a URL is compared as it is.
 *
 * @example
 * identity('https://www.x.test/strip/12/#top') === identity('http://x.test/strip/12') // true
 */
export function identity(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return value;
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.hostname.replace(/^www\./, '')}${url.port ? `:${url.port}` : ''}${path}${url.search}`;
  } catch {
    return value;
  }
}

/**
 * The test a walk uses to stop at strips recorded before: by key or link, and
 * (for a catch-up from a feed, whose entries carry their strip images) by image.
 * A front-page strip is keyed by its image, so that is matched against keys.
 *
 * @example
 * const isKnown = knownStrips(store.stripIdentities('xkcd'), { byImage: false });
 */
export function knownStrips(
  recorded: { keys: readonly string[]; urls: readonly string[]; images: readonly string[] },
  options: { byImage: boolean },
): (page: PageIdentity) => boolean {
  const ids = new Set([...recorded.keys, ...recorded.urls].map(identity));
  const images = new Set(options.byImage ? recorded.images.map(identity) : []);
  return (page) =>
    ids.has(identity(page.key)) ||
    page.urls.some((url) => ids.has(identity(url))) ||
    (page.image !== null && (ids.has(identity(page.image)) || images.has(identity(page.image))));
}
