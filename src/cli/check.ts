import type { Command } from 'commander';
import type { ComicResult } from '../check/check-comics.js';
import type { CheckReport } from '../commands/check.js';
import { FAILURE_CLASS_LABELS } from '../health/failure-class.js';
import type { StripRow } from '../store/comics-store.js';
import { json, plural, truncate } from './format.js';
import { integer, openMode, openOptions, type OpenFlags } from './options.js';
import type { CommandHost } from './program.js';
import { colors, sanitize, StatusLine, table, useColor, type Colors } from './terminal.js';

interface CheckFlags extends OpenFlags {
  open: boolean;
  maxTabs: number;
  concurrency: number;
  perHost: number;
  timeout: number;
  maxWalk?: number;
  json?: boolean;
}

/** `comics check`: the daily job. */
export function registerCheck(program: Command, host: CommandHost): void {
  openOptions(
    program
      .command('check')
      .description('fetch every followed comic and open new strips in the browser, oldest first, in tabs or on one digest page')
      .option('--no-open', 'record new strips as unread without opening them')
      .option('--max-tabs <n>', 'most tabs to open in one run; the rest stay unread', integer(0), 10),
  )
    .option('--concurrency <n>', 'most feeds fetched at once', integer(1), 8)
    .option('--per-host <n>', 'most feeds fetched at once from one host', integer(1), 2)
    .option('--timeout <ms>', 'per-request timeout in milliseconds', integer(1), 30_000)
    .option('--max-walk <n>', "most strip pages one walk back reads, for every comic (default: each comic's maxWalk, else 20)", integer(1))
    .option('--json', 'print one JSON document instead of the table')
    .action(async (flags: CheckFlags) => {
      const context = host.context();
      const status = new StatusLine(context.stderr);
      // Loaded here, not at startup: each command pays only for the modules it uses.
      const [{ runCheck }, { withReaderDeps }] = await Promise.all([import('../commands/check.js'), import('./deps.js')]);
      const report = await withReaderDeps(context, { timeoutMs: flags.timeout }, (deps) => {
        let failed = 0;
        let found = 0;
        return runCheck(
          {
            open: flags.open,
            ...(openMode(flags) === undefined ? {} : { mode: openMode(flags) }),
            maxTabs: flags.maxTabs,
            maxStrips: flags.maxStrips,
            concurrency: flags.concurrency,
            perHost: flags.perHost,
            timeoutMs: flags.timeout,
            ...(flags.maxWalk === undefined ? {} : { maxWalk: flags.maxWalk }),
            archiveDir: context.archiveDir,
            signal: context.signal,
            onChecked: (result, done, total) => {
              if (result.status === 'error') failed++;
              found += result.new.length;
              status.update(`Checking ${done}/${total} comics · ${plural(found, 'new strip')} · ${plural(failed, 'error')}`, done === total);
            },
            onOpened: (strip, index, total) => status.update(`Opening ${index}/${total}: ${sanitize(strip.title ?? strip.url)}`, true),
          },
          deps,
        ).finally(() => status.clear());
      });
      if (flags.json) context.stdout.write(json(toJson(report)));
      else context.stdout.write(renderCheck(report, colors(useColor(context.stdout, context.env))));
      host.setExitCode(report.exitCode);
    });
}

/** The documented JSON shape (extra fields are allowed by the contract). */
export function toJson(report: CheckReport) {
  return {
    comics: report.comics.map((comic) => ({
      name: comic.name,
      status: comic.status,
      new: comic.new.map(stripJson),
      error: comic.error,
      errorCode: comic.errorCode,
      failureClass: comic.failureClass,
      failureStreak: comic.failureStreak,
      mode: comic.mode,
      baselined: comic.baselined,
      caughtUp: comic.caughtUp,
      pages: comic.pages,
      warnings: comic.warnings,
      skipped: comic.skipped.map((strip) => ({ ...stripJson(strip), reason: strip.skipped })),
    })),
    opened: report.opened.map((strip) => strip.url),
    digest: report.digest,
    onPage: report.onPage.length,
    unread: report.unread,
    claimedElsewhere: report.claimedElsewhere,
    notOpened: report.notOpened,
  };
}

function stripJson(strip: StripRow) {
  return { url: strip.url, title: strip.title, published: strip.published, image: strip.image, imageAlt: strip.imageAlt, imageTitle: strip.imageTitle };
}

/** The human report: rows only for comics with news or warnings, then failures once, then a summary. */
export function renderCheck(report: CheckReport, c: Colors): string {
  const rows: string[][] = [];
  const quiet: ComicResult[] = [];
  const failed = report.comics.filter((comic) => comic.status === 'error');
  for (const comic of report.comics) {
    if (comic.status === 'error') continue;
    // The comic's name on its first row; the rows under it belong to it.
    let name = sanitize(comic.name);
    const row = (...cells: string[]): void => {
      rows.push([name, ...cells]);
      name = '';
    };
    if (comic.status === 'new') {
      const titles = comic.new.map((strip) => sanitize(strip.title) || sanitize(strip.url)).join(' · ');
      const behind = comic.caughtUp > 0 ? ` (${comic.caughtUp} from before the feed's window)` : '';
      row(c.green(`${comic.new.length} new`), truncate(titles, 100) + behind);
    } else if (comic.baselined) {
      row(c.dim('baselined'), 'first check: the current strips count as read');
    } else if (comic.warnings.length === 0 && comic.skipped.length === 0) {
      quiet.push(comic);
    }
    for (const warning of comic.warnings) row(c.yellow('warning'), sanitize(warning));
    for (const strip of comic.skipped) {
      // A strip without a link is named by its title.
      const what = strip.url ? truncate(sanitize(strip.url), 60) : `"${truncate(sanitize(strip.title) || 'untitled', 60)}"`;
      row(c.yellow('skipped'), `${what} (${sanitize(strip.skipped)})`);
    }
  }
  const lines: string[] = [];
  if (rows.length > 0) lines.push(table(rows));
  if (quiet.length > 0) lines.push(c.dim(`${plural(quiet.length, 'comic')} unchanged.`));
  if (report.comics.length === 0) lines.push('No comics followed yet: add one with comics add <url>.');
  // Network failures (refused, reset, unknown host, timeout): doctor could only repeat them.
  const unreachable = failed.filter((comic) => comic.failureClass === 'network');
  if (failed.length > 0 && failed.length === report.comics.length) {
    const offline = unreachable.length === failed.length;
    lines.push(c.red(offline ? 'Nothing could be reached: is this machine online?' : 'No comic could be checked.'));
  } else if (failed.length > 0) {
    const others = report.comics.length - failed.length;
    lines.push(c.red(`${plural(failed.length, 'comic')} could not be checked; the other ${others} ${others === 1 ? 'was' : 'were'}.`));
  }
  if (failed.length > 0) {
    // Every failure, once, with its class and how long it has lasted.
    lines.push(
      table(
        failed.map((comic) => {
          const label = comic.failureClass === null ? '' : FAILURE_CLASS_LABELS[comic.failureClass];
          const streak = comic.failureStreak > 1 ? `, failing ${comic.failureStreak} checks in a row` : '';
          return [sanitize(comic.name), c.red('error'), `${sanitize(comic.error)}${label ? ` (${label}${streak})` : ''}`];
        }),
      ),
    );
    // Doctor helps where something about the comic changed (a moved feed, a selector, a 404).
    if (failed.some((comic) => comic.failureClass !== null && comic.failureClass !== 'network')) {
      lines.push(c.dim('comics doctor tells what to change.'));
    }
  }
  if (report.opened.length > 0) lines.push(`Opened ${plural(report.opened.length, 'strip')} in the browser.`);
  if (report.digest !== null) {
    const shown = `${plural(report.onPage.length, 'strip')} on one page`;
    lines.push(report.notOpened === null ? `Opened ${shown}: ${report.digest}` : `Wrote ${shown} (not opened, nothing marked read): ${report.digest}`);
  }
  if (report.notOpened !== null) {
    lines.push(c.yellow(`Not opened: ${report.notOpened}.`));
    if (report.unread > 0) lines.push('Open them later with: comics read (or comics history to see their links).');
  }
  if (report.unread > 0 && report.notOpened === null) {
    lines.push(`${plural(report.unread, 'unread strip')} left for the next run (comics read opens them now).`);
  }
  if (report.claimedElsewhere > 0) {
    lines.push(`${plural(report.claimedElsewhere, 'strip')} ${report.claimedElsewhere === 1 ? 'is' : 'are'} being opened by another run.`);
  }
  return `${lines.join('\n')}\n`;
}
