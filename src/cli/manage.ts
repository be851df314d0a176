import type { Command } from 'commander';
import { plural } from './format.js';
import type { CommandHost } from './program.js';
import { sanitize } from './terminal.js';

/** `comics remove <name>` and `comics mark-read <name>|--all`. */
export function registerManage(program: Command, host: CommandHost): void {
  program
    .command('remove <name>')
    .description('stop following a comic and forget its strips')
    .action(async (name: string) => {
      const context = host.context();
      const [{ runRemove }, { withReaderDeps }] = await Promise.all([import('../commands/remove.js'), import('./deps.js')]);
      const removed = await withReaderDeps(context, {}, (deps) => runRemove({ name }, deps));
      const lost = removed.unread > 0 ? ` (${plural(removed.unread, 'unread strip')} forgotten)` : '';
      context.stdout.write(`Removed ${sanitize(removed.name)}${lost}.\n`);
    });
  program
    .command('mark-read [name]')
    .description('mark unread strips of a comic (or --all) read without opening them')
    .option('--all', 'every followed comic')
    .action(async (name: string | undefined, flags: { all?: boolean }) => {
      const context = host.context();
      const [{ runMarkRead }, { withReaderDeps }] = await Promise.all([import('../commands/mark-read.js'), import('./deps.js')]);
      const count = await withReaderDeps(context, {}, (deps) =>
        runMarkRead({ ...(name === undefined ? {} : { name }), all: flags.all === true }, deps),
      );
      context.stdout.write(`Marked ${plural(count, 'strip')} read.\n`);
    });
}
