import type { Command } from 'commander';
import type { ComicListing } from '../commands/list.js';
import { FAILURE_CLASS_LABELS } from '../health/failure-class.js';
import { ago, json, plural, truncate } from './format.js';
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
  const rows = [[c.bold('NAME'), c.bold('BEHIND'), c.bold('CHECKED'), c.bold('STATUS')]];
  for (const comic of comics) {
    const since = comic.failingSince === null ? '' : ` since ${ago(comic.failingSince, now)}`;
    const kind = comic.failureClass === null ? '' : ` (${FAILURE_CLASS_LABELS[comic.failureClass]})`;
    const state = comic.failing
      ? c.red(`failing ${comic.failureStreak}×${since}${kind}: ${truncate(sanitize(comic.lastError), 80)}`)
      : comic.lastChecked === null
        ? c.dim('not checked yet')
        : c.green('ok');
    rows.push([sanitize(comic.name), String(comic.behind), ago(comic.lastChecked, now), state]);
  }
  const failing = comics.filter((comic) => comic.failing).length;
  const footer = failing > 0 ? `\n${c.red(`${plural(failing, 'comic')} failing`)}: comics doctor tells what to change.` : '';
  return `${table(rows)}${footer}\n`;
}
