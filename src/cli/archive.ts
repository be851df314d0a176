import type { Command } from 'commander';
import type { ArchiveProgress, ComicArchive } from '../archive/archive-comics.js';
import type { ArchiveReport } from '../commands/archive.js';
import { formatBytes } from '../http/body.js';
import { json, plural, truncate } from './format.js';
import { integer } from './options.js';
import type { CommandHost } from './program.js';
import { bar, ProgressBar } from './progress.js';
import { colors, sanitize, table, useColor, type Colors, type Output } from './terminal.js';

interface ArchiveFlags {
  all?: boolean;
  maxPages?: number;
  delay?: number;
  json?: boolean;
}

/** Failures shown per comic before "… and N more". */
const SHOW = 10;

/** `comics archive`: a local copy of every strip. */
export function registerArchive(program: Command, host: CommandHost): void {
  program
    .command('archive')
    .description('download the images of recorded strips (with --all, the whole back catalogue) into the archive folder')
    .argument('[name...]', 'comics to archive (default: all)')
    .option('--all', 'also walk back to the first strip, recording the strips found as read')
    .option('--max-pages <n>', 'most pages one comic walks back in this run (default 1000)', integer(1))
    .option('--delay <ms>', 'least time between two requests to one host (default 1000 with --all, else 0)', integer(0))
    .option('--json', 'print one JSON document instead of the table')
    .action(async (names: string[], flags: ArchiveFlags) => {
      const context = host.context();
      const progress = flags.json === true ? null : archiveProgress(context.stderr);
      const started = performance.now();
      const [{ runArchive }, { withReaderDeps }] = await Promise.all([import('../commands/archive.js'), import('./deps.js')]);
      try {
        // undici's request API, as the crawler uses: a walk back is thousands of requests.
        const report = await withReaderDeps(context, { transport: 'request' }, (deps) =>
          runArchive(
            {
              names,
              all: flags.all === true,
              ...(flags.maxPages === undefined ? {} : { maxPages: flags.maxPages }),
              ...(flags.delay === undefined ? {} : { delayMs: flags.delay }),
              signal: context.signal,
              ...(progress === null ? {} : { onProgress: (p: ArchiveProgress) => progress.update(p) }),
            },
            { ...deps, archiveDir: context.archiveDir },
          ),
        );
        progress?.clear();
        if (flags.json === true) context.stdout.write(json(toJson(report)));
        else context.stdout.write(renderArchive(report, colors(useColor(context.stdout, context.env)), performance.now() - started));
        host.setExitCode(report.exitCode);
      } finally {
        progress?.clear();
      }
    });
}

/** `[#####-----] 340 archived · 4 already · 1 failed · 12.3 MiB · 4.1 strips/s · walking xkcd: https://…` */
function archiveProgress(output: Output): ProgressBar<ArchiveProgress> {
  return new ProgressBar(output, (p) => {
    const rate = p.elapsedMs > 0 ? ((p.downloaded / p.elapsedMs) * 1000).toFixed(1) : '0.0';
    const where = p.walking === null ? '' : ` · walking ${sanitize(p.walking.comic)}: ${sanitize(p.walking.url)}`;
    return (
      `${bar(p.downloaded + p.failed, p.planned)} ${p.downloaded} archived · ${p.alreadyArchived} already · ${p.failed} failed · ` +
      `${formatBytes(p.bytes)} · ${rate} strips/s${where}`
    );
  });
}

/** The documented JSON shape (extra fields are allowed by the contract). */
export function toJson(report: ArchiveReport) {
  return {
    dir: report.dir,
    comics: report.comics.map((comic) => ({
      name: comic.name,
      downloaded: comic.downloaded,
      alreadyArchived: comic.alreadyArchived,
      failed: comic.failed,
      bytes: comic.bytes,
      walked: comic.walked,
      firstReached: comic.firstReached,
      complete: comic.complete,
      folder: comic.folder,
      duplicates: comic.duplicates,
      warnings: comic.warnings,
    })),
  };
}

/** One row per comic, its failures and warnings, and a summary line. */
export function renderArchive(report: ArchiveReport, c: Colors, elapsedMs: number): string {
  const rows: string[][] = [];
  for (const comic of report.comics) {
    const parts = [
      c.green(`${comic.downloaded} archived`),
      `${comic.alreadyArchived} already`,
      comic.failed.length > 0 ? c.red(`${comic.failed.length} failed`) : '',
      formatBytes(comic.bytes),
      walkText(comic),
    ].filter(Boolean);
    rows.push([sanitize(comic.name), parts.join(' · ')]);
    for (const failure of comic.failed.slice(0, SHOW)) {
      rows.push(['', `${c.red('failed')} ${truncate(sanitize(failure.url), 80)}: ${sanitize(failure.reason)}`]);
    }
    if (comic.failed.length > SHOW) rows.push(['', c.dim(`… and ${comic.failed.length - SHOW} more (see --json)`)]);
    for (const warning of comic.warnings) rows.push(['', `${c.yellow('warning')} ${sanitize(warning)}`]);
  }
  const lines: string[] = [];
  if (report.comics.length === 0) lines.push('No comics followed yet: add one with comics add <url>.');
  else lines.push(table(rows));
  const downloaded = report.comics.reduce((sum, comic) => sum + comic.downloaded, 0);
  const bytes = report.comics.reduce((sum, comic) => sum + comic.bytes, 0);
  const failed = report.comics.reduce((sum, comic) => sum + comic.failed.length, 0);
  const seconds = (elapsedMs / 1000).toFixed(1);
  lines.push(`Archived ${plural(downloaded, 'strip')} (${formatBytes(bytes)}) into ${report.dir} in ${seconds} s.`);
  if (failed > 0) lines.push(c.red(`${plural(failed, 'strip')} could not be archived; the next comics archive tries them again.`));
  return `${lines.join('\n')}\n`;
}

function walkText(comic: ComicArchive): string {
  if (comic.walked === 0) return comic.complete ? (comic.firstReached ? 'back catalogue complete' : 'walk complete') : '';
  const pages = `walked ${plural(comic.walked, 'page')}`;
  if (comic.firstReached) return `${pages}, first strip reached`;
  if (comic.complete) return `${pages}, walk complete`;
  return `${pages}, goes on from there next time`;
}
