/**
 * `comics doctor`: fetch each comic now and check that it can still be followed
 * (the feed parses and has entries; the page-mode selectors or defaults still
 * find the strip image, the previous-strip link and a key), with a verdict and
 * what to change. Nothing is recorded: a diagnosis never moves read state.
 */
import { browserUrl } from '../browser/safe-url.js';
import { HostPool } from '../concurrency/host-pool.js';
import type { Comic } from '../config/comics-config.js';
import { errorMessage, isComicsError } from '../errors.js';
import { searchFeed } from '../feeds/find-feed.js';
import type { HttpClient } from '../http/client.js';
import { readPageResponse, requestPage, type FetchedPage } from '../pages/fetch-page.js';
import { identity, isFrontPage } from '../pages/page-walk.js';
import type { ComicsStore } from '../store/comics-store.js';
import { readFeedResponse, requestFeed } from '../check/feed-source.js';
import { failureClass, type FailureClass } from './failure-class.js';

export interface Diagnosis {
  name: string;
  /** False when the comic needs attention. */
  ok: boolean;
  /** What is wrong, each with what to change. */
  problems: string[];
  mode: 'feed' | 'page';
  /** The feed, or in page mode the page, that was fetched. */
  source: string;
  /** What was verified, in words. */
  checks: string[];
  /** The class of the first problem met fetching or reading, or null. */
  failureClass: FailureClass | null;
  /** Page mode: what the newest strip's page gave. */
  found: { image: string | null; prev: string | null; key: string | null } | null;
  /** From the store: the last check's failure streak and when it began. */
  failureStreak: number;
  failingSince: string | null;
}

export interface DoctorOptions {
  concurrency?: number;
  perHost?: number;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onResult?: (diagnosis: Diagnosis, done: number, total: number) => void;
}

type Fetch = (url: string) => Promise<FetchedPage>;

/**
 * Diagnoses every comic given, concurrently (global and per-host limits, one
 * connection slot per request), in the order given.
 *
 * @example
 * const diagnoses = await diagnose(config.comics.map(resolveComic), { http, store });
 * diagnoses.filter((d) => !d.ok).map((d) => d.problems);
 */
export async function diagnose(comics: readonly Comic[], deps: { http: HttpClient; store: ComicsStore }, options: DoctorOptions = {}): Promise<Diagnosis[]> {
  const pool = new HostPool({ concurrency: options.concurrency ?? 8, perHost: options.perHost ?? 2 });
  const inSlot = <T>(url: string, task: () => Promise<T>): Promise<T> => pool.run(new URL(url).host, task);
  const fetchPage: Fetch = async (url) =>
    readPageResponse(await inSlot(url, () => requestPage(deps.http, url, { validators: null, signal: options.signal, timeoutMs: options.timeoutMs })))!;
  let done = 0;
  return Promise.all(
    comics.map(async (comic) => {
      const state = deps.store.getComic(comic.name);
      const current = state !== null && state.feed === comic.source ? state : null;
      const report: Report = { problems: [], checks: [], failureClass: null, found: null };
      try {
        if (comic.mode === 'page') await diagnosePage(comic, fetchPage, report);
        else await diagnoseFeed(comic, deps.http, inSlot, options, report);
      } catch (error) {
        if (isComicsError(error, 'E_ABORTED')) throw error;
        report.problems.push(errorMessage(error));
        report.failureClass ??= failureClass(isComicsError(error) ? error.code : null);
      }
      if (report.problems.length === 0 && current !== null && current.failureStreak > 0) {
        report.checks.push(`the last check failed (${current.lastError ?? 'unknown error'}), but it works now`);
      }
      const diagnosis: Diagnosis = {
        name: comic.name,
        ok: report.problems.length === 0,
        problems: report.problems,
        mode: comic.mode,
        source: comic.source,
        checks: report.checks,
        failureClass: report.failureClass,
        found: report.found,
        failureStreak: current?.failureStreak ?? 0,
        failingSince: current?.failingSince ?? null,
      };
      options.onResult?.(diagnosis, ++done, comics.length);
      return diagnosis;
    }),
  );
}

interface Report {
  problems: string[];
  checks: string[];
  failureClass: FailureClass | null;
  found: Diagnosis['found'];
}

async function diagnoseFeed(
  comic: Comic,
  http: HttpClient,
  inSlot: <T>(url: string, task: () => Promise<T>) => Promise<T>,
  options: DoctorOptions,
  report: Report,
): Promise<void> {
  let fetched;
  try {
    const response = await inSlot(comic.source, () =>
      requestFeed(http, comic.source, { validators: null, signal: options.signal, timeoutMs: options.timeoutMs }),
    );
    fetched = await readFeedResponse(response);
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    const code = isComicsError(error) ? error.code : null;
    report.failureClass = failureClass(code);
    report.problems.push(`${errorMessage(error)}: ${await feedAdvice(comic, http, error, options)}`);
    return;
  }
  if (fetched.kind !== 'feed') return;
  const { feed } = fetched;
  report.checks.push(`the feed parses (${feed.version}) with ${feed.entries.length} entr${feed.entries.length === 1 ? 'y' : 'ies'}`);
  if (feed.entries.length === 0) {
    report.failureClass = 'feed';
    report.problems.push(`The feed at ${comic.source} has no entries: the site may have stopped updating it; look for another feed with comics add ${comic.url ?? new URL(comic.source).origin}`);
    return;
  }
  const openable = feed.entries.filter((entry) => 'url' in browserUrl(entry.url)).length;
  if (openable === 0) {
    report.failureClass = 'feed';
    report.problems.push(`None of the feed's ${feed.entries.length} entries links to a page that can be opened (http or https): there is nothing to read in it`);
  }
}

/** What to change when a feed cannot be fetched or read, by what went wrong. */
async function feedAdvice(comic: Comic, http: HttpClient, error: unknown, options: DoctorOptions): Promise<string> {
  const status = isComicsError(error, 'E_HTTP_STATUS') ? (error.status ?? 0) : 0;
  const moved = status === 404 || status === 410 || isComicsError(error, 'E_NOT_A_FEED');
  if (moved) {
    // The feed moved: look for the one the site announces now.
    const site = comic.url ?? new URL(comic.source).origin;
    try {
      const found = await searchFeed(http, site, { signal: options.signal });
      if (!('error' in found) && found.url !== comic.source) return `the site now announces its feed at ${found.url}: set "feed" to it`;
    } catch (searchError) {
      if (isComicsError(searchError, 'E_ABORTED')) throw searchError;
    }
    return `the feed has moved or gone, and ${site} announces no other: if the comic goes on without a feed, follow it in page mode (comics add ${site}), else comics remove ${JSON.stringify(comic.name)}`;
  }
  if (status === 401 || status === 403) return 'the site refuses the request; it may block programs that are not browsers, which no setting here can change';
  if (status === 429 || status >= 500) return 'the server is failing or busy, which is usually temporary; if it lasts for days, tell the site';
  if (isComicsError(error, 'E_FEED_PARSE')) return 'the feed is broken; this is usually temporary, so check it in a browser, and if it stays broken, tell the site';
  if (isComicsError(error, 'E_NETWORK', 'E_TIMEOUT')) return 'the site cannot be reached; check the URL and this machine\'s network, and if the site is gone, comics remove it';
  return 'check the feed URL in the config';
}

async function diagnosePage(comic: Comic, fetchPage: Fetch, report: Report): Promise<void> {
  const { findLatestLink, nearMisses, parsePage, readStripPage } = await import('../pages/heuristics.js');
  const selectors = comic.selectors ?? {};
  const problem = (text: string, kind: FailureClass = 'selector'): void => {
    report.problems.push(text);
    report.failureClass ??= kind;
  };
  let entry: FetchedPage;
  try {
    entry = await fetchPage(comic.source);
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    problem(`${errorMessage(error)}: check "url" in the config (it should be the page that shows the newest strip)`, failureClass(isComicsError(error) ? error.code : null) ?? 'other');
    return;
  }
  let newest = entry;
  if (selectors.latest !== undefined) {
    const link = findLatestLink(parsePage(entry.html), entry.finalUrl, selectors.latest);
    if (link === null) {
      problem(`selectors.latest ${JSON.stringify(selectors.latest)} matches no link on ${entry.finalUrl}: update it, or remove it if that page itself shows the newest strip`);
      return;
    }
    report.checks.push(`selectors.latest leads to ${link}`);
    newest = await fetchPage(link);
  }
  const $ = parsePage(newest.html);
  const page = readStripPage($, newest.finalUrl, selectors);
  const defaults = Object.keys(selectors).some((field) => field !== 'latest') ? readStripPage($, newest.finalUrl) : page;
  const misses = nearMisses($, newest.finalUrl);
  report.found = { image: page.image?.url ?? null, prev: page.prev?.url ?? null, key: page.key };
  const instead = (field: 'image' | 'prev', url: string | null, selector: string | null): string =>
    url === null ? 'the defaults find none either' : `the defaults would take ${url}${selector ? ` (selector ${JSON.stringify(selector)})` : ''}`;
  for (const field of page.unmatched) {
    const what = { image: 'an image', prev: 'a link', key: 'anything' }[field];
    const advice =
      field === 'key'
        ? 'update it, or remove it to key strips by their canonical URL'
        : `update it; ${field === 'image' ? instead('image', defaults.image?.url ?? null, defaults.image?.selector ?? misses.image) : instead('prev', defaults.prev?.url ?? null, defaults.prev?.selector ?? null)}`;
    problem(`selectors.${field} ${JSON.stringify(selectors[field])} no longer matches ${what} on ${newest.finalUrl}: ${advice}`);
  }
  if (page.image === null && selectors.image === undefined) {
    problem(`No strip image found on ${newest.finalUrl}: set selectors.image${misses.image ? ` (perhaps ${JSON.stringify(misses.image)})` : ''}`);
  } else if (page.image !== null) {
    report.checks.push(`strip image: ${page.image.url} (${page.image.via})`);
  }
  if (page.prev === null) {
    if (selectors.prev === undefined) problem(`No link to the previous strip found on ${newest.finalUrl}: set selectors.prev, or strips published between two checks will be missed`);
    return;
  }
  const frontPage = selectors.latest === undefined && selectors.key === undefined && isFrontPage(page.key, comic.source);
  report.checks.push(`previous strip: ${page.prev.url} (${page.prev.via})`);
  report.checks.push(frontPage && page.image ? `key: ${page.image.url} (the strip image: ${comic.source} is a front page)` : `key: ${page.key} (${page.keyVia})`);
  // One step back: the walk must reach a different strip there.
  let before: FetchedPage;
  try {
    before = await fetchPage(page.prev.url);
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    problem(`The previous strip's page cannot be fetched: ${errorMessage(error)}: check selectors.prev`, failureClass(isComicsError(error) ? error.code : null) ?? 'other');
    return;
  }
  const older = readStripPage(parsePage(before.html), before.finalUrl, selectors);
  if (!frontPage && identity(older.key) === identity(page.key)) {
    problem(`The newest strip and the one before it have the same key (${page.key}): set selectors.key to something that differs from strip to strip`);
  } else if (frontPage && page.image === null) {
    problem(`${comic.source} is a front page whose strips all have its URL, and without a strip image they cannot be told apart: set selectors.image, or selectors.latest to the newest strip's own link`);
  } else {
    report.checks.push(`the strip before has key ${older.key}`);
  }
}
