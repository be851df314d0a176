/**
 * Where digest pages live and how long: one HTML file per digest in `digest/`
 * beside the database, named by local date and time so that they sort in reading
 * order, written atomically, the newest {@link KEEP_DIGESTS} kept.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ComicsError, errorMessage } from '../errors.js';

/** Strips on one digest page unless --max-strips says otherwise; the rest stay unread. */
export const DEFAULT_MAX_STRIPS = 200;

/** Digest pages kept; older ones are removed when a new one is written. */
export const KEEP_DIGESTS = 60;

/** `2026-12-05T07-30-01.html`, or `…-2.html` for a second page within the same second. */
const DIGEST_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d+)?\.html$/;

/**
 * The folder digests go into: `digest/` beside the database.
 *
 * @example
 * digestDir('/home/me/comics/data/comics.db') // '/home/me/comics/data/digest'
 */
export function digestDir(dbPath: string): string {
  return join(dirname(dbPath), 'digest');
}

/**
 * A digest's file name from the local date and time (colons left out, for file
 * systems that refuse them).
 *
 * @example
 * digestFileName(new Date(2026, 11, 5, 7, 30, 1)) // '2026-12-05T07-30-01.html'
 */
export function digestFileName(when: Date, attempt = 1): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())}` +
    `T${two(when.getHours())}-${two(when.getMinutes())}-${two(when.getSeconds())}`;
  return attempt === 1 ? `${stamp}.html` : `${stamp}-${attempt}.html`;
}

/**
 * Writes a digest page into `dir` and returns its absolute path. The page is
 * written under a temporary name, flushed, then linked to its final name, so a
 * page under a final name is always whole; a page never replaces an earlier one (two runs in the
 * same second get `-2`, `-3`).
 *
 * @example
 * const file = writeDigest('data/digest', html, new Date());
 */
export function writeDigest(dir: string, html: string, when: Date): string {
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = join(dir, `.digest-${process.pid}-${Date.now()}.tmp`);
    const fd = openSync(temporary, 'wx');
    try {
      writeSync(fd, html);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      for (let attempt = 1; ; attempt++) {
        const file = join(dir, digestFileName(when, attempt));
        if (linkNew(temporary, file)) return file;
      }
    } finally {
      rmSync(temporary, { force: true });
    }
  } catch (error) {
    throw new ComicsError('E_STORE', `Cannot write the digest page into ${dir}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Gives the whole page its final name unless another page has it (a link, unlike a rename, never replaces). */
function linkNew(temporary: string, file: string): boolean {
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes all but the newest `keep` digest pages of `dir` (and temporary files a
 * killed run left behind); files that are not digests are never touched. Returns
 * the names removed.
 *
 * @example
 * pruneDigests('data/digest', KEEP_DIGESTS) // ['2026-10-01T07-30-00.html']
 */
export function pruneDigests(dir: string, keep: number = KEEP_DIGESTS): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const pages = names.filter((name) => DIGEST_NAME.test(name)).sort(byTime);
  const old = pages.slice(0, Math.max(0, pages.length - keep));
  // A temporary file is another run's page being written, unless it is old: then its run died.
  const leftovers = names.filter((name) => /^\.digest-\d+-\d+\.tmp$/.test(name) && isOld(join(dir, name)));
  for (const name of [...old, ...leftovers]) rmSync(join(dir, name), { force: true });
  return old;
}

function isOld(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > 10 * 60 * 1000;
  } catch {
    return false;
  }
}

/** By time, then by the `-2` of a second page within one second. */
function byTime(a: string, b: string): number {
  const [stampA, nA] = split(a);
  const [stampB, nB] = split(b);
  return stampA < stampB ? -1 : stampA > stampB ? 1 : nA - nB;
}

function split(name: string): [string, number] {
  const stamp = name.slice(0, 19);
  const n = /-(\d+)\.html$/.exec(name.slice(19))?.[1];
  return [stamp, n === undefined ? 1 : Number(n)];
}
