import type { Command } from 'commander';
import { json, plural } from './format.js';
import { integer } from './options.js';
import type { CommandHost } from './program.js';
import { sanitize } from './terminal.js';

/** `comics read [<name>]`: open strips already recorded unread. */
export function registerRead(program: Command, host: CommandHost): void {
  program
    .command('read [name]')
    .description('open unread strips (of one comic, or all) oldest first, without fetching')
    .option('--max-tabs <n>', 'most tabs to open', integer(1), 10)
    .option('--json', 'print one JSON document')
    .action(async (name: string | undefined, flags: { maxTabs: number; json?: boolean }) => {
      const context = host.context();
      const [{ runRead }, { withReaderDeps }] = await Promise.all([import('../commands/read.js'), import('./deps.js')]);
      const result = await withReaderDeps(context, {}, (deps) =>
        runRead({ ...(name === undefined ? {} : { name }), maxTabs: flags.maxTabs, signal: context.signal }, deps),
      );
      if (flags.json) {
        context.stdout.write(json({ opened: result.opened.map((s) => s.url), unread: result.unread, error: result.failure }));
      } else {
        const lines = result.opened.map((strip) => `opened  ${sanitize(strip.comic)}: ${sanitize(strip.title ?? strip.url)}`);
        if (result.opened.length === 0 && result.failure === null) lines.push('Nothing unread.');
        if (result.failure !== null) lines.push(`Stopped: ${result.failure}`);
        if (result.unread > 0) lines.push(`${plural(result.unread, 'unread strip')} left.`);
        if (result.claimedElsewhere > 0) lines.push(`${plural(result.claimedElsewhere, 'strip')} being opened by another run.`);
        context.stdout.write(`${lines.join('\n')}\n`);
      }
      host.setExitCode(result.failure === null ? 0 : 1);
    });
}
