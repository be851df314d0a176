import type { CrawlStore } from '../store/crawl-store.js';
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
  /** URLs of the feeds found, ready for `comics add`. */
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
  const feedRows = store.feeds(summary.run);
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
    feeds: feedRows.map((feed) => feed.url),
    feedDetails: feedRows.map((feed) => ({
      url: feed.url,
      type: feed.type,
      title: feed.title,
      from: feed.from,
      site: siteName(feed.site),
    })),
    sites: summary.sites,
    warnings,
  };
}
