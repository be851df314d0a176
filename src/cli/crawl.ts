import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import type { CrawlReport } from '../crawl/report.js';
import { DEFAULTS } from '../crawl/settings.js';
import type { CrawlOptions, CrawlProgress, PageRecord } from '../crawl/types.js';
import { ComicsError, errorMessage } from '../errors.js';
import { formatBytes } from '../http/body.js';
import { plural } from './format.js';
import type { CommandHost } from './program.js';
import { integer, regex } from './options.js';
import { bar, ProgressBar } from './progress.js';
import { colors as makeColors, sanitize, table, useColor, type Colors, type Output } from './terminal.js';

interface CrawlFlags {
  sites?: string;
  concurrency?: number;
  perHost?: number;
  maxDepth?: number;
  maxPages?: number;
  include?: RegExp;
  exclude?: RegExp;
  maxRedirects?: number;
  maxTries?: number;
  timeout?: number;
  delay?: number;
  robots: boolean;
  out?: string;
  json?: boolean;
  resume?: number;
}

/** Lines of a report section shown before "… and N more". */
const SHOW = 50;

/** Registers `comics crawl`: parses options, runs the command, renders progress and the report. */
export function registerCrawl(program: Command, host: CommandHost): void {
  program
    .command('crawl')
    .description('crawl sites with bounded concurrency: pages, broken links, redirects, feeds')
    .argument('[url...]', 'seed URLs (each crawled within its own site)')
    .option('--sites <file>', 'site list: one URL a line, # comments')
    .option('--concurrency <n>', `requests in flight over all hosts (default ${DEFAULTS.concurrency})`, integer(1))
    .option('--per-host <n>', `requests in flight per host (default ${DEFAULTS.perHost})`, integer(1))
    .option('--max-depth <d>', 'links followed from a seed (default: no limit)', integer(0))
    .option('--max-pages <n>', `URLs fetched per seed site (default ${DEFAULTS.maxPages})`, integer(1))
    .option('--include <regex>', 'follow only links matching this', regex)
    .option('--exclude <regex>', 'never follow links matching this', regex)
    .option('--max-redirects <n>', `redirects followed from one URL (default ${DEFAULTS.maxRedirects})`, integer(0))
    .option('--max-tries <n>', `tries per URL on network errors, 429 and 5xx (default ${DEFAULTS.maxTries})`, integer(1))
    .option('--timeout <ms>', `per try (default ${DEFAULTS.timeoutMs})`, integer(1))
    .option('--delay <ms>', 'least time between two requests to one host (default 0)', integer(0))
    .option('--no-robots', 'ignore robots.txt')
    .option('--out <file.jsonl>', 'write one JSON line per URL fetched')
    .option('--json', 'print one JSON document at the end')
    .option('--resume <run>', 'continue an interrupted run from its saved frontier', integer(1))
    .action(async (urls: string[], flags: CrawlFlags, command: Command) => {
      const context = host.context();
      const explicit = (name: string): boolean => command.getOptionValueSource(name) === 'cli';
      const options: CrawlOptions = {
        concurrency: flags.concurrency,
        perHost: flags.perHost,
        maxDepth: flags.maxDepth,
        maxPages: flags.maxPages,
        include: flags.include,
        exclude: flags.exclude,
        maxRedirects: flags.maxRedirects,
        maxTries: flags.maxTries,
        timeoutMs: flags.timeout,
        delayMs: flags.delay,
        // A resumed run keeps its saved robots setting unless --no-robots is given again.
        robots: flags.resume !== undefined && !explicit('robots') ? undefined : flags.robots,
        resume: flags.resume,
        signal: context.signal,
      };
      const out = flags.out === undefined ? null : new JsonLines(flags.out, flags.resume !== undefined);
      const showProgress = flags.json !== true;
      const progress = showProgress ? crawlProgress(context.stderr) : null;
      options.onPage = (page, counters) => {
        if (page.state === 'done') out?.write(outLine(page));
        progress?.update(counters);
      };
      try {
        // Loaded here, not at startup: other commands should not pay for the crawler.
        const { crawlCommand } = await import('../commands/crawl.js');
        const { report, exitCode } = await crawlCommand(
          { urls, sites: flags.sites, options },
          {
            dbPath: context.dbPath,
            onWarning: (message) => context.stderr.write(`comics: ${sanitize(message)}\n`),
          },
        );
        progress?.clear();
        out?.close();
        if (flags.json === true) context.stdout.write(`${JSON.stringify(report)}\n`);
        else context.stdout.write(renderReport(report, makeColors(useColor(context.stdout, context.env))));
        host.setExitCode(exitCode);
      } finally {
        progress?.clear();
        out?.close();
      }
    });
}

/** The `--out` line: the documented fields first. */
function outLine(page: PageRecord): Record<string, unknown> {
  return {
    url: page.url,
    status: page.status,
    finalUrl: page.finalUrl,
    contentType: page.contentType,
    bytes: page.bytes,
    ms: page.ms,
    depth: page.depth,
    from: page.from,
    error: page.error,
    errorCode: page.errorCode,
    redirectTo: page.redirectTo,
    tries: page.tries,
    links: page.links,
    site: page.site,
  };
}

/** Buffered JSON Lines writer: one write(2) per 64 KiB, not one per page. */
class JsonLines {
  readonly #fd: number;
  #buffer = '';
  #closed = false;

  constructor(file: string, append: boolean) {
    try {
      this.#fd = openSync(file, append ? 'a' : 'w');
    } catch (error) {
      throw new ComicsError('E_USAGE', `Cannot write --out ${file}: ${errorMessage(error)}`, { cause: error });
    }
  }

  write(value: unknown): void {
    this.#buffer += `${JSON.stringify(value)}\n`;
    if (this.#buffer.length >= 64 * 1024) this.#flush();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#buffer === '') return;
    writeSync(this.#fd, this.#buffer);
    this.#buffer = '';
  }
}

/** `[#####-----] 1234 done · 345 queued · 16 in flight · 3 errors · 1520 pages/s` on a terminal's stderr. */
function crawlProgress(output: Output): ProgressBar<CrawlProgress> {
  return new ProgressBar(output, progressLine);
}

/**
 * The progress bar's text. The rate is this invocation's pages over this invocation's
 * time: a resumed run's earlier pages were fetched in another sitting.
 *
 * @example
 * progressLine({ done: 300, doneNow: 100, queued: 100, inFlight: 2, errors: 0, elapsedMs: 2000 })
 * // '[###############-----] 300 done · 100 queued · 2 in flight · 0 errors · 50 pages/s'
 */
export function progressLine(p: CrawlProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.doneNow / p.elapsedMs) * 1000) : 0;
  return `${bar(p.done, p.done + p.queued)} ${p.done} done · ${p.queued} queued · ${p.inFlight} in flight · ${plural(p.errors, 'error')} · ${rate} pages/s`;
}

/**
 * The human report: per-site totals, broken links with referrers, redirects,
 * feeds, and a summary line with pages/s.
 */
export function renderReport(report: CrawlReport, c: Colors): string {
  const lines: string[] = [];
  const more = (count: number): void => {
    if (count > SHOW) lines.push(c.dim(`  … and ${count - SHOW} more (see --json or --out)`));
  };
  lines.push(c.bold('Sites'));
  const rows = [['site', 'pages', 'errors', 'blocked', 'size', 'seed'].map((h) => c.dim(h))];
  for (const site of report.sites) {
    rows.push([
      site.site,
      String(site.pages),
      site.errors > 0 ? c.red(String(site.errors)) : '0',
      String(site.blocked),
      formatBytes(site.bytes),
      site.seedError === null ? c.green('ok') : c.red(sanitize(site.seedError)),
    ]);
  }
  lines.push(indent(table(rows)));

  lines.push('', c.bold(`Broken links (${report.broken.length})`));
  if (report.broken.length === 0) lines.push('  none');
  for (const link of report.broken.slice(0, SHOW)) {
    const status = link.status === null ? '---' : String(link.status);
    lines.push(`  ${c.red(status)}  ${link.url}${link.error !== null ? c.dim(`  ${sanitize(link.error)}`) : ''}`);
    const referrers = link.referrers.length > 0 ? link.referrers : link.from !== null ? [link.from] : [];
    if (referrers.length === 0) lines.push(c.dim('       (a seed)'));
    for (const from of referrers.slice(0, 5)) lines.push(c.dim(`       linked from ${from}`));
    if (referrers.length > 5) lines.push(c.dim(`       and ${referrers.length - 5} more pages`));
  }
  more(report.broken.length);

  lines.push('', c.bold(`Redirects (${report.redirects.length})`));
  if (report.redirects.length === 0) lines.push('  none');
  for (const redirect of report.redirects.slice(0, SHOW)) {
    const end = redirect.finalUrl !== null && redirect.finalUrl !== redirect.to ? c.dim(` (ends at ${redirect.finalUrl})`) : '';
    lines.push(`  ${c.yellow(String(redirect.status))}  ${redirect.url} → ${redirect.to}${end}`);
  }
  more(report.redirects.length);

  // Only feeds that answered as feeds are offered for `comics add`; the others are said apart.
  const working = report.feedDetails.filter((feed) => feed.status === 'ok');
  const broken = report.feedDetails.filter((feed) => feed.status === 'broken');
  const unchecked = report.feedDetails.filter((feed) => feed.status === 'unchecked');
  lines.push('', c.bold(`Feeds found (${working.length})`));
  if (working.length === 0) lines.push('  none');
  for (const feed of working.slice(0, SHOW)) {
    const title = feed.title === null ? '' : ` "${sanitize(feed.title)}"`;
    lines.push(`  ${c.cyan(feed.url)}${c.dim(`  ${feed.type}${title}, on ${feed.from}`)}`);
  }
  more(working.length);
  if (working.length > 0) lines.push(c.dim('  Follow one with: comics add <feed url>'));
  if (broken.length > 0) {
    lines.push(c.yellow(`  Announced but not answering as feeds (${broken.length}):`));
    for (const feed of broken.slice(0, SHOW)) lines.push(c.dim(`    ${feed.url}  ${sanitize(feed.error)}, on ${feed.from}`));
    more(broken.length);
  }
  if (unchecked.length > 0) {
    lines.push(c.dim(`  ${plural(unchecked.length, 'more feed')} announced but not fetched by this crawl (another site, robots.txt or the limits); see --json`));
  }

  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const blocked = report.blocked > 0 ? `, ${report.blocked} blocked by robots.txt` : '';
  lines.push(
    '',
    `${report.status === 'interrupted' ? c.yellow('Interrupted') : 'Crawled'}: ${plural(report.pages, 'page')} in ${seconds} s ` +
      `(${report.pagesPerSecond} pages/s), ${plural(report.errors, 'error')}${blocked}. Run ${report.run}.`,
  );
  if (report.queued > 0) lines.push(`${report.queued} URLs left: continue with comics crawl --resume ${report.run}`);
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
