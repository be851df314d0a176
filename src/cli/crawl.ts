import type { Command } from 'commander';
import { ComicsError } from '../errors.js';
import type { CommandHost } from './program.js';

/** Placeholder until the crawler lands (issue 3): registers `comics crawl`. */
export function registerCrawl(program: Command, _host: CommandHost): void {
  program
    .command('crawl')
    .description('crawl sites with bounded concurrency (not built yet)')
    .action(() => {
      throw new ComicsError('E_USAGE', 'comics crawl is not built yet');
    });
}
