import type { Command } from 'commander';
import { json, plural } from './format.js';
import { integer, openMode, openOptions, type OpenFlags } from './options.js';
import type { CommandHost } from './program.js';
import { sanitize } from './terminal.js';

/** `comics read [<name>]`: show strips already recorded unread, in tabs or on one digest page. */
export function registerRead(program: Command, host: CommandHost): void {
  openOptions(
    program
      .command('read [name]')
      .description('open unread strips (of one comic, or all) oldest first, in tabs or on one digest page, without checking')
      .option('--max-tabs <n>', 'most tabs to open', integer(1), 10),
  )
    .option('--json', 'print one JSON document')
    .action(async (name: string | undefined, flags: OpenFlags & { maxTabs: number; json?: boolean }) => {
      const context = host.context();
      const [{ runRead }, { withReaderDeps }] = await Promise.all([import('../commands/read.js'), import('./deps.js')]);
      const mode = openMode(flags);
      const result = await withReaderDeps(context, {}, (deps) =>
        runRead(
          { ...(name === undefined ? {} : { name }), ...(mode === undefined ? {} : { mode }), maxTabs: flags.maxTabs, maxStrips: flags.maxStrips, signal: context.signal, archiveDir: context.archiveDir },
          deps,
        ),
      );
      if (flags.json) {
        context.stdout.write(json({ opened: result.opened.map((s) => s.url), digest: result.digest, onPage: result.onPage.length, unread: result.unread, error: result.notOpened }));
      } else {
        const lines = result.opened.map((strip) => `opened  ${sanitize(strip.comic)}: ${sanitize(strip.title ?? strip.url)}`);
        if (result.digest !== null) {
          const shown = `${plural(result.onPage.length, 'strip')} on one page`;
          lines.push(result.notOpened === null ? `Opened ${shown}: ${result.digest}` : `Wrote ${shown} (not opened, nothing marked read): ${result.digest}`);
        }
        if (result.opened.length === 0 && result.digest === null && result.notOpened === null) lines.push('Nothing unread.');
        if (result.notOpened !== null) lines.push(`Stopped: ${result.notOpened}`);
        if (result.unread > 0) lines.push(`${plural(result.unread, 'unread strip')} left.`);
        if (result.claimedElsewhere > 0) lines.push(`${plural(result.claimedElsewhere, 'strip')} being opened by another run.`);
        context.stdout.write(`${lines.join('\n')}\n`);
      }
      host.setExitCode(result.notOpened === null ? 0 : 1);
    });
}
