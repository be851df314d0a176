import type { Command } from 'commander';
import { json } from './format.js';
import { integer } from './options.js';
import type { CommandHost } from './program.js';
import { colors, sanitize, table, useColor } from './terminal.js';

/** `comics history [<name>]`. */
export function registerHistory(program: Command, host: CommandHost): void {
  program
    .command('history [name]')
    .description('show recorded strips, the most recently recorded first')
    .option('--limit <n>', 'most strips to show', integer(1), 20)
    .option('--json', 'print a JSON array')
    .action(async (name: string | undefined, flags: { limit: number; json?: boolean }) => {
      const context = host.context();
      const [{ runHistory }, { withReaderDeps }] = await Promise.all([import('../commands/history.js'), import('./deps.js')]);
      const entries = await withReaderDeps(context, {}, (deps) =>
        runHistory({ ...(name === undefined ? {} : { name }), limit: flags.limit }, deps),
      );
      if (flags.json) return context.stdout.write(json(entries));
      if (entries.length === 0) return context.stdout.write('No strips recorded yet: run comics check.\n');
      const c = colors(useColor(context.stdout, context.env));
      const rows = entries.map((entry) => [
        (entry.published ?? entry.firstSeen).slice(0, 10),
        entry.status === 'unread' ? c.green('unread') : entry.status === 'skipped' ? c.yellow('skipped') : c.dim('read'),
        sanitize(entry.comic),
        sanitize(entry.title) || '(untitled)',
        sanitize(entry.url) + (entry.skipped ? ` (${sanitize(entry.skipped)})` : ''),
      ]);
      context.stdout.write(`${table(rows)}\n`);
    });
}
