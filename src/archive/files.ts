/**
 * Writing archive files so that none is ever half-written under its final
 * name: bytes go to a temporary name in the same folder, are flushed to disk,
 * and only then get their final name. The file system is injected, so tests
 * can make a write fail.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ComicsError, errorMessage } from '../errors.js';
import { CLAIM_TTL_MS } from '../store/claims.js';
import { nthName } from './names.js';

/** The file operations the archive uses; {@link nodeArchiveFs} in production. */
export interface ArchiveFs {
  mkdir(dir: string): Promise<void>;
  /** Writes a new file and flushes it to disk before resolving. */
  writeFlushed(path: string, bytes: Uint8Array): Promise<void>;
  /** Gives `from` a second name `to`, unless `to` exists: false then. */
  linkNew(from: string, to: string): Promise<boolean>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; one already gone is fine. */
  remove(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  list(dir: string): Promise<string[]>;
  /** Last modification time in ms, or null when the file is gone. */
  modifiedMs(path: string): Promise<number | null>;
  /** Whether two names are links to one file. */
  sameFile(a: string, b: string): Promise<boolean>;
}

/**
 * The real file system. A name is given with link(2), which fails when the name
 * exists, so no file is ever replaced; where hard links are not supported, the
 * name is checked first and rename(2) used.
 */
export const nodeArchiveFs: ArchiveFs = {
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  writeFlushed: async (path, bytes) => {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  linkNew: async (from, to) => {
    try {
      await link(from, to);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      if (await nodeArchiveFs.exists(to)) return false;
      await rename(from, to);
      return true;
    }
  },
  rename: (from, to) => rename(from, to),
  remove: async (path) => {
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  },
  exists: async (path) => (await nodeArchiveFs.modifiedMs(path)) !== null,
  list: (dir) => readdir(dir),
  modifiedMs: async (path) => {
    try {
      return (await stat(path)).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  sameFile: async (a, b) => {
    const [x, y] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
    return x !== null && y !== null && x.ino === y.ino && x.dev === y.dev;
  },
};

/** Temporary files of a write in progress: `.comics-<pid>-<random>.part`. */
const TEMP = /^\.comics-(\d+)-[0-9a-f]+\.part$/;
/** Files between the two phases of a renaming (src/archive/renumber.ts). */
const RENAMING = /^\.comics-rename-[0-9a-f]+\.tmp$/;

/** The temporary name of a file that holds the image with this digest while it is renamed. */
export function renamingName(sha256: string): string {
  return `.comics-rename-${sha256.slice(0, 32)}.tmp`;
}

/**
 * Writes `bytes` under a temporary name in `folder`, flushed to disk; returns
 * its path, for {@link placeFile}.
 *
 * @example
 * const temp = await writeTemporary(nodeArchiveFs, '/data/strips/xkcd', bytes);
 */
export async function writeTemporary(fs: ArchiveFs, folder: string, bytes: Uint8Array): Promise<string> {
  const path = join(folder, `.comics-${process.pid}-${randomBytes(6).toString('hex')}.part`);
  try {
    await fs.writeFlushed(path, bytes);
  } catch (error) {
    await fs.remove(path).catch(() => {});
    throw writeError(folder, error);
  }
  return path;
}

/**
 * Gives a temporary file its final name, or the first free one after it
 * (`name (2).png`...), never replacing a file; removes the temporary name and
 * returns the name used.
 */
export async function placeFile(fs: ArchiveFs, folder: string, temporary: string, name: string): Promise<string> {
  try {
    for (let n = 1; ; n++) {
      const candidate = n <= 99 ? nthName(name, n) : nthName(name, Number.parseInt(randomBytes(4).toString('hex'), 16));
      if (await fs.linkNew(temporary, join(folder, candidate))) {
        await fs.remove(temporary);
        return candidate;
      }
    }
  } catch (error) {
    throw writeError(folder, error);
  }
}

/**
 * Removes what writes that died left behind: temporary files of processes no
 * longer running (or older than a claim lives), and, when `renaming` is false,
 * files of a renaming that can no longer be finished. Returns how many.
 */
export async function removeLeftovers(
  fs: ArchiveFs,
  folder: string,
  options: { now: number; renaming: boolean; alive?: (pid: number) => boolean },
): Promise<number> {
  const alive = options.alive ?? processAlive;
  let removed = 0;
  for (const name of await fs.list(folder)) {
    const temp = TEMP.exec(name);
    const stale =
      temp !== null
        ? !alive(Number(temp[1])) || options.now - ((await fs.modifiedMs(join(folder, name))) ?? 0) > CLAIM_TTL_MS
        : RENAMING.test(name) && !options.renaming;
    if (!stale) continue;
    await fs.remove(join(folder, name));
    removed++;
  }
  return removed;
}

/** Whether a process of this machine is running (EPERM: it is, as another user). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The one clear error for a folder that cannot be written (disk full, no permission).
 *
 * @example
 * writeError('/data/strips/xkcd', enospc).message // 'Cannot write to the archive folder /data/strips/xkcd: ENOSPC: no space left on device'
 */
export function writeError(folder: string, error: unknown): ComicsError {
  if (error instanceof ComicsError && error.code === 'E_WRITE') return error;
  return new ComicsError('E_WRITE', `Cannot write to the archive folder ${folder}: ${errorMessage(error)}`, { cause: error });
}
