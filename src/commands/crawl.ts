import { readFile } from 'node:fs/promises';
import { ComicsError, errorMessage } from '../errors.js';
import { HttpClient } from '../http/client.js';
import { crawl } from '../crawl/crawler.js';
import { crawlReport, type CrawlReport } from '../crawl/report.js';
import { parseSiteList } from '../crawl/site-list.js';
import type { CrawlOptions } from '../crawl/types.js';
import { CrawlStore } from '../store/crawl-store.js';
import { openDatabase } from '../store/database.js';

export interface CrawlCommandInput {
  /** Seed URLs from the command line. */
  urls: string[];
  /** A site list (one URL a line, # comments). */
  sites?: string;
  /** Options for the crawler (signal, callbacks and resume included). */
  options: CrawlOptions;
}

export interface CrawlCommandDeps {
  dbPath: string;
  /** Site-list problems and other notes, as soon as they are known. */
  onWarning?: (message: string) => void;
  /** Defaults to a client built from the options. */
  http?: HttpClient;
  readText?: (file: string) => Promise<string>;
}

export interface CrawlCommandResult {
  report: CrawlReport;
  /** 0 when the crawl finished (broken links are data), 1 when a seed could not be fetched at all. */
  exitCode: 0 | 1;
}

/**
 * `comics crawl`: gathers seeds (arguments and --sites), crawls them into the
 * store and returns the report; rendering is the CLI's job.
 *
 * @example
 * const { report, exitCode } = await crawlCommand({ urls: ['https://xkcd.com/'], options: { maxPages: 50 } }, { dbPath: 'data/comics.db' });
 */
export async function crawlCommand(input: CrawlCommandInput, deps: CrawlCommandDeps): Promise<CrawlCommandResult> {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    deps.onWarning?.(message);
  };
  const seeds = [...input.urls];
  if (input.sites !== undefined) {
    let text: string;
    try {
      text = await (deps.readText ?? ((file) => readFile(file, 'utf8')))(input.sites);
    } catch (error) {
      throw new ComicsError('E_CONFIG', `Cannot read the site list ${input.sites}: ${errorMessage(error)}`, { cause: error });
    }
    const list = parseSiteList(text);
    for (const problem of list.problems) warn(`${input.sites} line ${problem.line}: ${problem.message} (skipped)`);
    seeds.push(...list.seeds);
  }
  if (input.options.resume !== undefined && seeds.length > 0) {
    throw new ComicsError('E_USAGE', '--resume continues a saved run with its own seeds: give no URLs or --sites with it');
  }
  if (input.options.resume === undefined && seeds.length === 0) {
    throw new ComicsError(
      'E_USAGE',
      input.sites !== undefined ? `No usable URL in the site list ${input.sites}` : 'No URL to crawl: give URLs or --sites <file>',
    );
  }

  const db = openDatabase(deps.dbPath);
  const http =
    deps.http ??
    new HttpClient({
      timeoutMs: input.options.timeoutMs,
      maxTries: input.options.maxTries,
      maxBytes: input.options.maxBytes,
      // undici's request API: measured at twice fetch's throughput and half its CPU per page,
      // and it spares the crawl loading fetch at all. Same client, same retry/redirect/cap rules.
      transport: 'request',
    });
  try {
    const store = new CrawlStore(db);
    const summary = await crawl(seeds, input.options, { http, store });
    const report = crawlReport(store, summary, warnings);
    const seedFailed = !summary.interrupted && summary.sites.some((site) => site.seedError !== null);
    return { report, exitCode: seedFailed ? 1 : 0 };
  } finally {
    if (deps.http === undefined) await http.close();
    db.close();
  }
}
