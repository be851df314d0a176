import type { Command } from 'commander';
import type { ComicListing } from '../commands/list.js';
import { ago, json, truncate } from './format.js';
import type { CommandHost } from './program.js';
import { colors, sanitize, table, useColor, type Colors } from './terminal.js';

/** `comics list`. */
export function registerList(program: Command, host: CommandHost): void {
  program
    .command('list')
    .description('list followed comics with unread counts and their last check')
    .option('--json', 'print a JSON array')
    .action(async (flags: { json?: boolean }) => {
      const context = host.context();
      const [{ runList }, { withReaderDeps }] = await Promise.all([import('../commands/list.js'), import('./deps.js')]);
      const comics = await withReaderDeps(context, {}, (deps) => runList(deps));
      context.stdout.write(flags.json ? json(comics) : renderList(comics, colors(useColor(context.stdout, context.env))));
    });
}

export function renderList(comics: ComicListing[], c: Colors, now = new Date()): string {
  if (comics.length === 0) return 'No comics followed yet: add one with comics add <url>.\n';
  const rows = [[c.bold('NAME'), c.bold('UNREAD'), c.bold('CHECKED'), c.bold('STATUS')]];
  for (const comic of comics) {
    const state =
      comic.lastError !== null
        ? c.red(`failing (${comic.failureStreak}×): ${truncate(sanitize(comic.lastError), 80)}`)
        : comic.lastChecked === null
          ? c.dim('not checked yet')
          : c.green('ok');
    rows.push([sanitize(comic.name), String(comic.unread), ago(comic.lastChecked, now), state]);
  }
  return `${table(rows)}\n`;
}
