import { Command } from 'commander';
import { VERSION } from '../version.js';
import { resolvePaths, type CliContext } from './context.js';
import type { Output } from './terminal.js';
import { registerAdd } from './add.js';
import { registerArchive } from './archive.js';
import { registerCheck } from './check.js';
import { registerCrawl } from './crawl.js';
import { registerDoctor } from './doctor.js';
import { registerHistory } from './history.js';
import { registerList } from './list.js';
import { registerManage } from './manage.js';
import { registerRead } from './read.js';
import { registerSubscriptions } from './subscriptions.js';

/** What the entry point hands to the program: the outside world, and where the exit code goes. */
export interface ProgramEnv {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  cwd: string;
  setExitCode(code: number): void;
}

/** Given to each command's CLI adapter: builds the context once options are parsed. */
export interface CommandHost {
  /** The context for the running command, with --config/--db resolved. */
  context(): CliContext;
  setExitCode(code: number): void;
}

/**
 * The `comics` command line: global options and every subcommand. Adapters in
 * src/cli/*.ts only parse options, call a command function and render its result.
 */
export function createProgram(world: ProgramEnv): Command {
  const program = new Command('comics')
    .description('Follow webcomics: check their feeds, open new strips in the browser, crawl sites.')
    .version(VERSION, '-V, --version')
    .option('--config <file>', 'comics config file (env COMICS_CONFIG, default config/comics.json of the checkout)')
    .option('--db <file>', 'state database (env COMICS_DB, default data/comics.db of the checkout)')
    .option('--archive-dir <dir>', 'where comics archive keeps strip images (env COMICS_ARCHIVE_DIR, default strips/ beside the database)')
    .exitOverride()
    // Every subcommand's --help lists --config and --db too.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => world.stdout.write(text),
      writeErr: (text) => world.stderr.write(text),
      // Usage mistakes are reported by src/cli/run.ts in one `comics:` line, like every other failure.
      outputError: () => {},
    });
  const host: CommandHost = {
    context: () => {
      const flags = program.opts<{ config?: string; db?: string; archiveDir?: string }>();
      return {
        stdout: world.stdout,
        stderr: world.stderr,
        env: world.env,
        signal: world.signal,
        ...resolvePaths(flags, world.env, world.cwd),
      };
    },
    setExitCode: world.setExitCode,
  };
  registerCheck(program, host);
  registerAdd(program, host);
  registerManage(program, host);
  registerList(program, host);
  registerHistory(program, host);
  registerRead(program, host);
  registerDoctor(program, host);
  registerSubscriptions(program, host);
  registerCrawl(program, host);
  registerArchive(program, host);
  return program;
}
