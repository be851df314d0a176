import type { Command } from 'commander';
import { json, plural } from './format.js';
import { integer } from './options.js';
import type { CommandHost } from './program.js';
import { sanitize, StatusLine } from './terminal.js';

const VIA = { feed: 'the URL is a feed', link: 'announced by the page', guess: 'found at a common feed path', page: 'page mode' };

/** `comics add <url>`. */
export function registerAdd(program: Command, host: CommandHost): void {
  program
    .command('add <url>')
    .description('follow a comic by its feed or site URL (the current strips count as read); a site without a feed is followed in page mode')
    .option('--name <name>', 'name to use (default: the feed title)')
    .option('--unread <n>', 'leave the newest n strips unread', integer(0), 0)
    .option('--json', 'print one JSON document')
    .action(async (url: string, flags: { name?: string; unread: number; json?: boolean }) => {
      const context = host.context();
      const status = new StatusLine(context.stderr);
      status.update(`Looking for a feed at ${sanitize(url)}…`, true);
      const [{ runAdd }, { withReaderDeps }] = await Promise.all([import('../commands/add.js'), import('./deps.js')]);
      const added = await withReaderDeps(context, {}, (deps) =>
        runAdd({ url, unread: flags.unread, signal: context.signal, ...(flags.name === undefined ? {} : { name: flags.name }) }, deps),
      ).finally(() => status.clear());
      if (flags.json) {
        context.stdout.write(json({ ...added, unread: added.unread.map((s) => ({ url: s.url, title: s.title, published: s.published })) }));
        return;
      }
      const lines =
        added.page === null
          ? [
              `Added ${sanitize(added.name)}: ${sanitize(added.feed)} (${VIA[added.via]})`,
              `${plural(added.entries, 'strip')} in the feed; ${plural(added.unread.length, 'strip')} left unread.`,
            ]
          : [
              `Added ${sanitize(added.name)} in page mode: ${sanitize(added.url)} (no feed; the page looks like a strip page)`,
              `  strip image:    ${sanitize(added.page.image)}`,
              `  previous strip: ${sanitize(added.page.prev)}`,
              `  key:            ${sanitize(added.page.key)} (${added.page.keyVia})`,
              `${plural(added.entries, 'strip')} read; ${plural(added.unread.length, 'strip')} left unread.`,
            ];
      for (const warning of added.warnings) lines.push(`Note: ${sanitize(warning)}.`);
      context.stdout.write(`${lines.join('\n')}\n`);
    });
}
