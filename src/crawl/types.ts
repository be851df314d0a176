import type { RetryInfo } from '../http/client.js';

/** Options of {@link crawl}; every one has a default. */
export interface CrawlOptions {
  /** Most requests in flight over all hosts. Default 16. */
  concurrency?: number;
  /** Most requests in flight to one host. Default 2. */
  perHost?: number;
  /** Links followed from a seed (seed = depth 0), per site. Default: no limit. */
  maxDepth?: number;
  /** URLs fetched per seed site (redirect targets included). Default 1000. */
  maxPages?: number;
  /** Only links matching it are followed. */
  include?: RegExp | null;
  /** Links matching it are never followed. */
  exclude?: RegExp | null;
  /** Redirects followed from one URL. Default 10. */
  maxRedirects?: number;
  /** Tries per URL on network errors, 429 and 5xx (the first included). Default 4. */
  maxTries?: number;
  /** Per try. Default 30 000 ms. */
  timeoutMs?: number;
  /** Least time between two requests to one host; robots.txt Crawl-delay raises it. Default 0. */
  delayMs?: number;
  /** Obey robots.txt. Default true. */
  robots?: boolean;
  /** Cap on one body (decompressed). Default 8 MiB. */
  maxBytes?: number;
  /** Continue this saved run: its seeds and scope are used; limits given here override the saved ones. */
  resume?: number;
  /** Stops the crawl: in-flight requests are aborted and stay queued for --resume. */
  signal?: AbortSignal;
  /** Each URL as it is settled (fetched, blocked by robots.txt, or skipped). */
  onPage?: (page: PageRecord, progress: CrawlProgress) => void;
  /** Before a retry's wait. */
  onRetry?: (info: RetryInfo) => void;
  /** URLs per site held in memory; the rest of the frontier waits in the store. Default 2000. */
  memoryPerSite?: number;
}

/** One URL's result, as `--out` writes it (one JSON line each). */
export interface PageRecord {
  url: string;
  /** 'done': fetched (whatever the outcome); 'blocked': robots.txt disallows it; 'skipped': its host kept failing. */
  state: 'done' | 'blocked' | 'skipped';
  /** HTTP status of this URL's own response; null when there was none. */
  status: number | null;
  /** Where the URL ends up after its redirects (itself when it does not redirect). */
  finalUrl: string;
  contentType: string | null;
  bytes: number;
  ms: number;
  depth: number;
  /** The page it was found on (or that redirected to it); null for a seed. */
  from: string | null;
  error: string | null;
  errorCode: string | null;
  /** Location of a redirect, resolved. */
  redirectTo: string | null;
  tries: number;
  /** Distinct http(s) links found on the page. */
  links: number;
  /** The seed site it belongs to (host without www.). */
  site: string;
}

/** Counters for a progress display. */
export interface CrawlProgress {
  /** URLs settled in this run (all invocations of it). */
  done: number;
  /** URLs settled by this invocation alone (a resumed run's rate counts only these). */
  doneNow: number;
  /** Waiting in the frontier. */
  queued: number;
  inFlight: number;
  errors: number;
  /** Since this invocation started. */
  elapsedMs: number;
}

export interface SiteSummary {
  /** Host without www. (and port when not the default). */
  site: string;
  seeds: string[];
  pages: number;
  errors: number;
  blocked: number;
  bytes: number;
  /** Left in the frontier (after an interruption). */
  queued: number;
  /** Null when a seed was fetched (2xx); else why none could be. */
  seedError: string | null;
}

/** What {@link crawl} returns; details (broken links, redirects, feeds) are in the store under `run`. */
export interface CrawlSummary {
  run: number;
  /** URLs fetched in the run. */
  pages: number;
  /** Fetched URLs that failed (network error or HTTP 400+) or were skipped. */
  errors: number;
  /** URLs robots.txt did not allow. */
  blocked: number;
  /** URLs still queued: non-zero after an interruption. */
  queued: number;
  /** Whole run (every invocation), in ms. */
  elapsedMs: number;
  /** URLs fetched by this invocation, and its time. */
  fetchedNow: number;
  elapsedNowMs: number;
  interrupted: boolean;
  sites: SiteSummary[];
}
