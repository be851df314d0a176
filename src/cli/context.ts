import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Output } from './terminal.js';

/** The checkout (or installed package) root: defaults live beside the code, not in the cwd. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const DEFAULT_CONFIG = resolve(PACKAGE_ROOT, 'config/comics.json');
export const DEFAULT_DB = resolve(PACKAGE_ROOT, 'data/comics.db');

/**
 * Everything a command needs from the outside world, built once at the edge
 * (src/cli/run.ts) and passed in, so tests can run commands in-process too.
 */
export interface CliContext {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /** --config / COMICS_CONFIG / default. */
  configPath: string;
  /** --db / COMICS_DB / default. */
  dbPath: string;
}

/** Resolves the config and database paths: flag, then environment, then the checkout's defaults. */
export function resolvePaths(
  flags: { config?: string | undefined; db?: string | undefined },
  env: NodeJS.ProcessEnv,
  cwd: string,
): { configPath: string; dbPath: string } {
  const pick = (flag: string | undefined, variable: string | undefined, fallback: string): string =>
    flag ? resolve(cwd, flag) : variable ? resolve(cwd, variable) : fallback;
  return {
    configPath: pick(flags.config, env.COMICS_CONFIG, DEFAULT_CONFIG),
    dbPath: pick(flags.db, env.COMICS_DB, DEFAULT_DB),
  };
}
