import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
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
  /** --archive-dir / COMICS_ARCHIVE_DIR / `strips/` beside the database. */
  archiveDir: string;
}

/**
 * Resolves the config, database and archive paths: flag, then environment, then the
 * defaults (the checkout's config and database; the archive beside the database).
 */
export function resolvePaths(
  flags: { config?: string | undefined; db?: string | undefined; archiveDir?: string | undefined },
  env: NodeJS.ProcessEnv,
  cwd: string,
): { configPath: string; dbPath: string; archiveDir: string } {
  const pick = (flag: string | undefined, variable: string | undefined, fallback: string): string =>
    flag ? resolve(cwd, flag) : variable ? resolve(cwd, variable) : fallback;
  const dbPath = pick(flags.db, env.COMICS_DB, DEFAULT_DB);
  return {
    configPath: pick(flags.config, env.COMICS_CONFIG, DEFAULT_CONFIG),
    dbPath,
    archiveDir: pick(flags.archiveDir, env.COMICS_ARCHIVE_DIR, join(dirname(dbPath), 'strips')),
  };
}
