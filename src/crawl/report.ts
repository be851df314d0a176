import type { CrawlStore, FeedRow } from '../store/crawl-store.js';
import type { CrawlSummary, SiteSummary } from './types.js';

/** A URL that failed, with where it was linked from. */
export interface BrokenLink {
  url: string;
  /** Null when there was no response. */
  status: number | null;
  /** The page it was first found on; null for a seed. */
  from: string | null;
  /** Every page of the run that links to it (at most 20). */
  referrers: string[];
  error: string | null;
  site: string;
}

export interface RedirectReport {
  url: string;
  status: number;
  to: string;
  finalUrl: string | null;
  from: string | null;
}

export interface FeedReport {
  url: string;
  type: string;
  title: string | null;
  /** The first page that advertised it. */
  from: string;
  site: string;
  /**
   * How the feed's own URL answered this crawl: `ok` (2xx, not an HTML page), `broken`
   * (an error status, a network error, an HTML page), or `unchecked` (the crawl did not
   * fetch it: another site, robots.txt, or beyond --max-pages / --max-depth).
   */
  status: 'ok' | 'broken' | 'unchecked';
  /** For a broken feed: what it answered. */
  error: string | null;
}

/** The document `comics crawl --json` prints. */
export interface CrawlReport {
  run: number;
  status: 'finished' | 'interrupted';
  pages: number;
  errors: number;
  blocked: number;
  queued: number;
  elapsedMs: number;
  pagesPerSecond: number;
  broken: BrokenLink[];
  redirects: RedirectReport[];
  /** URLs of the feeds found that answered as feeds, ready for `comics add`. */
  feeds: string[];
  feedDetails: FeedReport[];
  sites: SiteSummary[];
  /** Site-list lines that were skipped, and similar notes. */
  warnings: string[];
}

/**
 * The full report of a run, read back from the store: the summary plus broken
 * links (with referrers), redirects and feeds.
 *
 * @example
 * const report = crawlReport(store, await crawl(seeds, options, deps));
 * console.log(report.broken.map((link) => `${link.status} ${link.url} <- ${link.from}`));
 */
export function crawlReport(store: CrawlStore, summary: CrawlSummary, warnings: string[] = []): CrawlReport {
  const siteName = (index: number): string => summary.sites[index]?.site ?? '';
  const broken: BrokenLink[] = [];
  for (const row of store.broken(summary.run)) {
    broken.push({
      url: row.url,
      status: row.status,
      from: row.from,
      referrers: [],
      error: row.error,
      site: siteName(row.site),
    });
  }
  if (broken.length > 0) {
    const referrers = store.brokenReferrers(summary.run);
    for (const link of broken) link.referrers = referrers.get(link.url) ?? [];
  }
  const feedDetails = store.feeds(summary.run).map((feed): FeedReport => {
    const { status, error } = feedStatus(feed);
    return { url: feed.url, type: feed.type, title: feed.title, from: feed.from, site: siteName(feed.site), status, error };
  });
  const seconds = summary.elapsedMs / 1000;
  return {
    run: summary.run,
    status: summary.interrupted ? 'interrupted' : 'finished',
    pages: summary.pages,
    errors: summary.errors,
    blocked: summary.blocked,
    queued: summary.queued,
    elapsedMs: summary.elapsedMs,
    pagesPerSecond: seconds > 0 ? Math.round((summary.pages / seconds) * 10) / 10 : 0,
    broken,
    redirects: [...store.redirects(summary.run)],
    feeds: feedDetails.filter((feed) => feed.status === 'ok').map((feed) => feed.url),
    feedDetails,
    sites: summary.sites,
    warnings,
  };
}

/** Whether a feed the crawl found answered as a feed when the crawl fetched it. */
function feedStatus(feed: FeedRow): Pick<FeedReport, 'status' | 'error'> {
  if (feed.finalState === null || feed.finalState === 'queued' || feed.finalState === 'blocked') return { status: 'unchecked', error: null };
  if (feed.error !== null) return { status: 'broken', error: feed.error };
  if (feed.status === null || feed.status < 200 || feed.status > 299) return { status: 'broken', error: `HTTP ${feed.status ?? '---'}` };
  if (feed.contentType !== null && /^\s*(?:text\/html|application\/xhtml\+xml)/i.test(feed.contentType)) {
    return { status: 'broken', error: `an HTML page (${feed.contentType})` };
  }
  return { status: 'ok', error: null };
}
