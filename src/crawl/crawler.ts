import { setMaxListeners } from 'node:events';
import { ComicsError, errorMessage, isComicsError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { CrawlStore, UrlOutcome } from '../store/crawl-store.js';
import { fetchUrl, type FetchedUrl } from './fetch-page.js';
import { Frontier, type FrontierEntry } from './frontier.js';
import { extractLinks } from './links.js';
import { RobotsCache } from './robots.js';
import { Scheduler } from './scheduler.js';
import { Scope } from './scope.js';
import { loadSettings, resolveSettings, saveSettings, type CrawlSettings } from './settings.js';
import type { CrawlOptions, CrawlProgress, CrawlSummary, PageRecord, SiteSummary } from './types.js';
import { UrlIndex } from './url-index.js';
import { hostOf, normaliseUrl } from './url.js';

/** What the crawler needs from outside; the CLI builds them, tests build their own. */
export interface CrawlDeps {
  http: HttpClient;
  store: CrawlStore;
  /** Monotonic ms. */
  now?: () => number;
}

/** Requests in a row to one origin that failed (network, timeout, 5xx) before the rest of it is skipped. */
export const HOST_FAILURE_LIMIT = 10;
const FLUSH_INTERVAL_MS = 250;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Crawls each seed's site (its origin; the www. and http/https variants count as
 * the same site) breadth-first with bounded concurrency, obeying robots.txt, and
 * streams every URL's outcome into the store and to `onPage`. Failures on a URL
 * are recorded, never thrown; only storage errors (E_STORE) and bad options
 * (E_USAGE) reject. On `signal` abort, in-flight requests are cancelled, their
 * URLs stay queued, and `crawl([], { resume: run })` continues later.
 *
 * @example
 * const summary = await crawl(['https://xkcd.com/'], { maxPages: 50, onPage: (page) => console.log(page.status, page.url) },
 *   { http: new HttpClient(), store: new CrawlStore(openDatabase('data/comics.db')) });
 */
export async function crawl(seeds: readonly string[], options: CrawlOptions, deps: CrawlDeps): Promise<CrawlSummary> {
  const { store } = deps;
  let run: number;
  let settings: CrawlSettings;
  let seedUrls: string[];
  if (options.resume !== undefined) {
    const saved = store.getRun(options.resume);
    run = saved.id;
    seedUrls = saved.seeds;
    settings = resolveSettings({ ...options, include: undefined, exclude: undefined }, loadSettings(saved.options));
    store.updateRun(run, 'running', 0);
  } else {
    seedUrls = normaliseSeeds(seeds);
    settings = resolveSettings(options);
    run = store.createRun(seedUrls, saveSettings(settings));
  }
  store.flush();
  const job = new CrawlJob(run, seedUrls, settings, options, deps);
  return job.run(options.resume !== undefined);
}

/** Seeds as normalised http(s) URLs; E_USAGE for any that is not one, or for none at all. */
export function normaliseSeeds(seeds: readonly string[]): string[] {
  if (seeds.length === 0) throw new ComicsError('E_USAGE', 'No seed URL to crawl: give URLs or --sites <file>');
  const result: string[] = [];
  for (const seed of seeds) {
    const url = /^https?:\/\//i.test(seed) ? normaliseUrl(seed) : null;
    if (url === null) throw new ComicsError('E_USAGE', `Not an absolute http(s) URL: ${JSON.stringify(seed)}`);
    if (!result.includes(url)) result.push(url);
  }
  return result;
}

/** A redirect waiting for its chain to end, so its record can carry the final URL. */
interface Pending {
  record: PageRecord;
}

/** One invocation of a run: wires scope, frontier, scheduler, robots, fetching and the store. */
class CrawlJob {
  readonly #run: number;
  readonly #seeds: string[];
  readonly #settings: CrawlSettings;
  readonly #options: CrawlOptions;
  readonly #http: HttpClient;
  readonly #store: CrawlStore;
  readonly #now: () => number;
  readonly #scope: Scope;
  readonly #frontier: Frontier;
  readonly #scheduler: Scheduler<FrontierEntry>;
  readonly #robots: RobotsCache;
  readonly #abort = new AbortController();
  /** Every URL of the run: each is fetched at most once. */
  readonly #known = new UrlIndex();
  /** URLs per site in the run (any state): --max-pages. */
  readonly #perSite = new Map<number, number>();
  /** Consecutive failures per origin. */
  readonly #failures = new Map<string, number>();
  /** Redirect records by the id of the URL their chain goes to next. */
  readonly #pending = new Map<number, Pending[]>();
  #started = 0;
  #fetchedNow = 0;
  #progress: CrawlProgress = { done: 0, doneNow: 0, queued: 0, inFlight: 0, errors: 0, elapsedMs: 0 };
  #fatal: unknown = null;

  constructor(run: number, seeds: string[], settings: CrawlSettings, options: CrawlOptions, deps: CrawlDeps) {
    this.#run = run;
    this.#seeds = seeds;
    this.#settings = settings;
    this.#options = options;
    this.#http = deps.http;
    this.#store = deps.store;
    this.#now = deps.now ?? (() => performance.now());
    this.#scope = new Scope(seeds, settings);
    // Every request in flight listens on it.
    setMaxListeners(0, this.#abort.signal);
    this.#scheduler = new Scheduler<FrontierEntry>({
      concurrency: settings.concurrency,
      perHost: settings.perHost,
      take: (lane) => this.#frontier.take(lane),
      run: (entry, lane) => this.#visit(entry, lane),
      prepare: settings.robots ? (lane) => this.#robots.load(lane) : undefined,
      delayMs: (lane) => Math.max(settings.delayMs, this.#robots.rules(lane).crawlDelayMs),
      hostOf: (lane) => hostOf(lane),
      onError: (error) => this.#fail(error),
    });
    this.#frontier = new Frontier({
      store: this.#store,
      run,
      memoryPerSite: settings.memoryPerSite,
      onWork: (lane) => this.#scheduler.wake(lane),
    });
    this.#robots = new RobotsCache({
      http: this.#http,
      load: (origin) => this.#store.loadRobots(run, origin),
      save: (origin, robots) => this.#store.saveRobots(run, origin, robots),
      signal: this.#abort.signal,
      timeoutMs: settings.timeoutMs,
      maxTries: settings.maxTries,
    });
  }

  async run(resumed: boolean): Promise<CrawlSummary> {
    this.#started = this.#now();
    const signal = this.#options.signal;
    const onAbort = (): void => {
      this.#abort.abort(signal?.reason);
      this.#scheduler.stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const flusher = setInterval(() => this.#flushSafely(), FLUSH_INTERVAL_MS);
    try {
      if (signal?.aborted) onAbort();
      if (resumed) this.#restore();
      else this.#seeds.forEach((url) => this.#enqueue({ url, site: this.#scope.siteOf(url), depth: 0, fromId: null, from: null, via: 'seed', hops: 0 }));
      await this.#scheduler.idle();
      // Redirects whose chain was cut short (interrupted) still get reported, with the hop they point at.
      for (const list of this.#pending.values()) for (const { record } of list) this.#emit(record);
      this.#pending.clear();
    } finally {
      clearInterval(flusher);
      signal?.removeEventListener('abort', onAbort);
    }
    if (this.#fatal !== null) throw this.#fatal;
    const interrupted = this.#abort.signal.aborted;
    const elapsedNowMs = Math.round(this.#now() - this.#started);
    this.#store.updateRun(this.#run, interrupted ? 'interrupted' : 'finished', elapsedNowMs);
    this.#store.flush();
    return this.#summary(interrupted, elapsedNowMs);
  }

  /** A resumed run: counts from the store, and the frontier paged back in. */
  #restore(): void {
    for (const [site, count] of this.#store.urlsPerSite(this.#run)) this.#perSite.set(site, count);
    for (const { id, url } of this.#store.urls(this.#run)) this.#known.set(url, id);
    const counts = this.#store.counts(this.#run);
    this.#progress = { ...this.#progress, done: counts.done + counts.blocked, queued: counts.queued, errors: counts.errors };
    this.#scope.keys.forEach((_, site) => this.#frontier.restore(site));
  }

  /** Saves a new URL and queues it, unless the run has it or the site's budget is spent; returns its id. */
  #enqueue(entry: Omit<FrontierEntry, 'id'>, first = false): number | null {
    if (this.#known.get(entry.url) !== undefined) return null;
    const count = this.#perSite.get(entry.site) ?? 0;
    if (count >= this.#settings.maxPages) return null;
    const id = this.#store.addUrl(this.#run, entry);
    if (id === null) return null;
    this.#known.set(entry.url, id);
    this.#perSite.set(entry.site, count + 1);
    this.#progress.queued++;
    if (first) this.#frontier.addFirst({ ...entry, id });
    else this.#frontier.add({ ...entry, id });
    return id;
  }

  /** One URL: robots, fetch, links, redirect, record. Never rejects but for storage errors. */
  async #visit(entry: FrontierEntry, lane: string): Promise<void> {
    if (this.#abort.signal.aborted) return;
    const rules = this.#robots.rules(lane);
    if (!rules.allows(entry.url)) {
      // A host whose robots.txt could not be fetched is down or failing: an error, not a refusal.
      const state = rules.unreachable === null ? 'blocked' : 'skipped';
      this.#settle(entry, { ...NOT_FETCHED, state, finalUrl: entry.url, errorCode: rules.unreachable, error: rules.reason });
      return;
    }
    const failures = this.#failures.get(lane) ?? 0;
    if (failures >= HOST_FAILURE_LIMIT) {
      const error = `Not fetched: the last ${failures} requests to ${lane} failed`;
      this.#settle(entry, { ...NOT_FETCHED, state: 'skipped', finalUrl: entry.url, errorCode: 'E_NETWORK', error });
      return;
    }
    const fetched = await fetchUrl(this.#http, entry.url, {
      signal: this.#abort.signal,
      timeoutMs: this.#settings.timeoutMs,
      maxTries: this.#settings.maxTries,
      maxBytes: this.#settings.maxBytes,
      onRetry: this.#options.onRetry,
    });
    if (fetched === null) return; // aborted: stays queued for --resume
    this.#fetchedNow++;
    const hostFailed = fetched.status === null ? fetched.errorCode !== 'E_TOO_LARGE' && fetched.errorCode !== 'E_REDIRECT' : fetched.status >= 500;
    this.#failures.set(lane, hostFailed ? failures + 1 : 0);
    try {
      this.#process(entry, fetched);
    } catch (error) {
      if (isComicsError(error, 'E_STORE')) throw error;
      // A bug on one page is that page's error, not the end of the crawl.
      this.#settle(entry, { ...outcomeOf(fetched, entry.url), errorCode: 'E_INTERNAL', error: `Unexpected error: ${errorMessage(error)}` });
    }
  }

  #process(entry: FrontierEntry, fetched: FetchedUrl): void {
    const outcome = outcomeOf(fetched, entry.url);
    if (fetched.html !== null) {
      const found = extractLinks(fetched.html, entry.url);
      outcome.links = found.links.length;
      const follow = entry.depth < this.#settings.maxDepth;
      const targets: number[] = [];
      for (const url of found.links) {
        if (!this.#scope.follows(entry.site, url)) continue;
        const id =
          this.#known.get(url) ??
          (follow
            ? this.#enqueue({ url, site: entry.site, depth: entry.depth + 1, fromId: entry.id, from: entry.url, via: 'link', hops: 0 })
            : null);
        if (id !== null) targets.push(id);
      }
      this.#store.addLinks(this.#run, entry.id, targets);
      for (const feed of found.feeds) this.#store.addFeed(this.#run, { ...feed, site: entry.site }, entry.id);
    }
    if (fetched.status !== null && REDIRECTS.has(fetched.status)) {
      this.#redirect(entry, outcome, fetched.location);
      return;
    }
    this.#settle(entry, outcome);
  }

  /** A 3xx: the target becomes a frontier URL of its own (first in its lane), unless out of scope or over the limit. */
  #redirect(entry: FrontierEntry, outcome: UrlOutcome, location: string | null): void {
    if (location === null) {
      this.#settle(entry, { ...outcome, errorCode: 'E_REDIRECT', error: `Redirect ${outcome.status} without a Location header: GET ${entry.url}` });
      return;
    }
    const target = normaliseUrl(location) ?? location;
    outcome.redirectTo = target;
    outcome.finalUrl = target;
    if (entry.hops + 1 > this.#settings.maxRedirects) {
      const error = `Too many redirects (more than ${this.#settings.maxRedirects}): GET ${entry.url}`;
      this.#settle(entry, { ...outcome, finalUrl: entry.url, errorCode: 'E_REDIRECT', error });
      return;
    }
    if (!this.#scope.follows(entry.site, target)) {
      this.#settle(entry, outcome); // recorded, not crawled
      return;
    }
    const id = this.#enqueue({ url: target, site: entry.site, depth: entry.depth, fromId: entry.id, from: entry.url, via: 'redirect', hops: entry.hops + 1 }, true);
    if (id === null) {
      // Already known (or over --max-pages): its final URL is the chain's, when it has one yet.
      outcome.finalUrl = this.#store.lookup(this.#run, target)?.finalUrl ?? target;
      this.#settle(entry, outcome);
      return;
    }
    this.#settle(entry, outcome, true);
    const waiting = this.#pending.get(entry.id) ?? [];
    this.#pending.delete(entry.id);
    waiting.push({ record: this.#record(entry, outcome) });
    this.#pending.set(id, waiting);
  }

  /**
   * Saves the outcome, updates counters and reports it, with the redirects that
   * led here. A redirect whose target is queued (`chainOpen`) is saved without a
   * final URL and reported when its chain ends.
   */
  #settle(entry: FrontierEntry, outcome: UrlOutcome, chainOpen = false): void {
    this.#store.record(entry.id, chainOpen ? { ...outcome, finalUrl: null } : outcome);
    this.#progress.done++;
    this.#progress.doneNow++;
    this.#progress.queued--;
    if (failed(outcome)) this.#progress.errors++;
    if (chainOpen) return;
    const finalUrl = outcome.finalUrl ?? entry.url;
    const waiting = this.#pending.get(entry.id);
    if (waiting !== undefined) {
      this.#pending.delete(entry.id);
      for (const pending of waiting) this.#emit({ ...pending.record, finalUrl });
    }
    // Also for a resumed run, whose open chains were not in memory.
    if (entry.via === 'redirect' && entry.fromId !== null) this.#store.resolveChain(entry.fromId, finalUrl);
    this.#emit(this.#record(entry, { ...outcome, finalUrl }));
  }

  #record(entry: FrontierEntry, outcome: UrlOutcome): PageRecord {
    return {
      url: entry.url,
      state: outcome.state,
      status: outcome.status,
      finalUrl: outcome.finalUrl ?? entry.url,
      contentType: outcome.contentType,
      bytes: outcome.bytes,
      ms: outcome.ms,
      depth: entry.depth,
      from: entry.from,
      error: outcome.error,
      errorCode: outcome.errorCode,
      redirectTo: outcome.redirectTo,
      tries: outcome.tries,
      links: outcome.links,
      site: this.#scope.keys[entry.site] ?? '',
    };
  }

  #emit(record: PageRecord): void {
    const onPage = this.#options.onPage;
    if (onPage === undefined) return;
    this.#progress.inFlight = this.#scheduler.running;
    this.#progress.elapsedMs = Math.round(this.#now() - this.#started);
    onPage(record, { ...this.#progress });
  }

  #flushSafely(): void {
    try {
      this.#store.flush();
    } catch (error) {
      this.#fail(error);
    }
  }

  /** A storage error (or a bug outside a page) stops the crawl; it is thrown once everything has settled. */
  #fail(error: unknown): void {
    this.#fatal ??= error;
    this.#abort.abort(error);
    this.#scheduler.stop();
  }

  #summary(interrupted: boolean, elapsedNowMs: number): CrawlSummary {
    const run = this.#store.getRun(this.#run);
    const counts = this.#store.counts(this.#run);
    const totals = new Map(this.#store.siteTotals(this.#run).map((row) => [row.site, row]));
    const sites: SiteSummary[] = this.#scope.keys.map((site, index) => {
      const row = totals.get(index);
      const seeds = this.#seeds.filter((seed) => this.#scope.siteOf(seed) === index);
      let seedError: string | null = null;
      if (row?.seedOk !== true) {
        const failures = this.#store.seedFailures(this.#run, index);
        const last = failures.at(-1);
        seedError = last === undefined ? 'Not fetched' : (last.error ?? `HTTP ${last.status}: ${last.url}`);
      }
      return {
        site,
        seeds,
        pages: row?.pages ?? 0,
        errors: row?.errors ?? 0,
        blocked: row?.blocked ?? 0,
        bytes: row?.bytes ?? 0,
        queued: row?.queued ?? 0,
        seedError,
      };
    });
    return {
      run: this.#run,
      pages: counts.done,
      errors: counts.errors,
      blocked: counts.blocked,
      queued: counts.queued,
      elapsedMs: run.elapsedMs,
      fetchedNow: this.#fetchedNow,
      elapsedNowMs,
      interrupted,
      sites,
    };
  }
}

const NOT_FETCHED: UrlOutcome = {
  state: 'done',
  status: null,
  finalUrl: null,
  contentType: null,
  bytes: 0,
  ms: 0,
  tries: 0,
  redirectTo: null,
  links: 0,
  errorCode: null,
  error: null,
};

function outcomeOf(fetched: FetchedUrl, url: string): UrlOutcome {
  return {
    state: 'done',
    status: fetched.status,
    finalUrl: url,
    contentType: fetched.contentType,
    bytes: fetched.bytes,
    ms: fetched.ms,
    tries: fetched.tries,
    redirectTo: null,
    links: 0,
    errorCode: fetched.errorCode,
    error: fetched.error,
  };
}

function failed(outcome: UrlOutcome): boolean {
  return outcome.state === 'skipped' || (outcome.state === 'done' && (outcome.error !== null || (outcome.status ?? 0) >= 400));
}
