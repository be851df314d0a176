import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runArchive, type ArchiveCommandDeps, type ArchiveCommandOptions } from '../../src/commands/archive.js';
import { runCheck } from '../../src/commands/check.js';
import { ArchiveStore } from '../../src/store/archive-store.js';
import { checkEnv, type CheckEnv } from './check-env.js';

/** A check environment with an archive folder, and helpers to run and inspect archives. */
export interface ArchiveEnv extends CheckEnv {
  archiveDir: string;
  archive: ArchiveStore;
  /** Writes the config: comics given as config entries. */
  follow(...comics: Record<string, unknown>[]): void;
  /** `comics check --no-open` (archiving for comics with "archive": true). */
  check(): ReturnType<typeof runCheck>;
  /** `comics archive` with fast defaults for tests (no delay unless given). */
  archiveRun(options?: Partial<ArchiveCommandOptions>, deps?: Partial<ArchiveCommandDeps>): ReturnType<typeof runArchive>;
  /** The files of a comic's folder, sorted as a file manager would. */
  files(folder: string): string[];
  sha256(path: string): string;
}

/**
 * @example
 * beforeEach(() => { env = archiveEnv(); }); afterEach(() => env.close());
 */
export function archiveEnv(): ArchiveEnv {
  const env = checkEnv('comics-archive-', { maxTries: 1 });
  const archiveDir = join(env.dir, 'strips');
  return {
    ...env,
    archiveDir,
    archive: new ArchiveStore(env.deps.store.db),
    follow: (...comics) => writeFileSync(env.configPath, JSON.stringify({ comics })),
    check: () => runCheck({ open: false, maxTabs: 0, concurrency: 8, perHost: 2, archiveDir }, env.deps),
    archiveRun: (options = {}, deps = {}) =>
      runArchive({ names: [], delayMs: 0, ...options }, { ...env.deps, archiveDir, ...deps }),
    files: (folder) => readdirSync(folder).sort(),
    sha256: (path) => createHash('sha256').update(readFileSync(path)).digest('hex'),
  };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
