import { InvalidArgumentError, type Command } from 'commander';
import type { ImportResult } from '../subscriptions/import.js';
import { json, plural } from './format.js';
import { integer } from './options.js';
import type { CommandHost } from './program.js';
import { colors, sanitize, StatusLine, table, useColor, type Colors } from './terminal.js';

const choice =
  (...allowed: string[]) =>
  (value: string): string => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`Expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
    return value;
  };

/** `comics import <file>` and `comics export`. */
export function registerSubscriptions(program: Command, host: CommandHost): void {
  program
    .command('import <file>')
    .description('follow the comics of an OPML file, a newsboat urls file or a comics JSON export (duplicates are skipped)')
    .option('--format <format>', 'opml, newsboat or json (default: told from the file)', choice('opml', 'newsboat', 'json'))
    .option('--timeout <ms>', 'per-request timeout in milliseconds', integer(1), 30_000)
    .option('--json', 'print one JSON document')
    .action(async (file: string, flags: { format?: 'opml' | 'newsboat' | 'json'; timeout: number; json?: boolean }) => {
      const context = host.context();
      const status = new StatusLine(context.stderr);
      const [{ runImport }, { withReaderDeps }] = await Promise.all([import('../commands/import.js'), import('./deps.js')]);
      const { result, exitCode } = await withReaderDeps(context, { timeoutMs: flags.timeout }, (deps) =>
        runImport(
          {
            file,
            ...(flags.format ? { format: flags.format } : {}),
            signal: context.signal,
            timeoutMs: flags.timeout,
            onFetched: (done, total) => status.update(`Fetching ${done}/${total} comics to baseline them`, done === total),
          },
          deps,
        ).finally(() => status.clear()),
      );
      context.stdout.write(flags.json ? json(result) : renderImport(result, colors(useColor(context.stdout, context.env))));
      host.setExitCode(exitCode);
    });
  program
    .command('export')
    .description('print the followed comics as OPML, or as JSON with read state (for comics import on another machine)')
    .option('--format <format>', 'opml or json', choice('opml', 'json'), 'opml')
    .action(async (flags: { format: 'opml' | 'json' }) => {
      const context = host.context();
      const [{ runExport }, { withReaderDeps }] = await Promise.all([import('../commands/export.js'), import('./deps.js')]);
      context.stdout.write(await withReaderDeps(context, {}, (deps) => runExport({ format: flags.format }, deps)));
    });
}

export function renderImport(result: ImportResult, c: Colors): string {
  const rows: string[][] = [];
  const STATE = { restored: 'restored with its read state', baselined: 'baselined', pending: 'added' };
  for (const comic of result.imported) {
    const unread = comic.unread > 0 ? `, ${plural(comic.unread, 'strip')} unread` : '';
    rows.push([sanitize(comic.name), c.green('imported'), `${STATE[comic.state]}${unread}${comic.note ? ` (${sanitize(comic.note)})` : ''}`]);
  }
  for (const comic of result.skipped) {
    const name = sanitize(comic.name);
    rows.push([name || sanitize(comic.where), c.yellow('skipped'), `${name ? `${sanitize(comic.source)}: ` : `${sanitize(comic.source)} `}${sanitize(comic.reason)}`]);
  }
  for (const entry of result.rejected) rows.push([sanitize(entry.where), c.red('rejected'), sanitize(entry.reason)]);
  const lines = rows.length > 0 ? [table(rows)] : ['Nothing to import: the file lists no comics.'];
  lines.push(
    `${plural(result.imported.length, 'comic')} imported, ${plural(result.skipped.length, 'duplicate')} skipped` +
      (result.rejected.length > 0 ? `, ${plural(result.rejected.length, 'entry', 'entries')} rejected.` : '.'),
  );
  return `${lines.join('\n')}\n`;
}
