/**
 * Keeping file names in publication order. A file is named by the place of its
 * strip in the comic (`0042 ...`); a walk back finds strips older than every
 * strip named so far, so the names shift. They are settled at the end of each
 * run, through a journal in the store: the new names are recorded first, then
 * the files move: straight to their new names when no new name is another
 * file's old one, else to temporary names (phase 1) and then to their new ones
 * (phase 2). A run killed in between is finished by the next one, from the
 * journal and what it finds on disk.
 */
import { join } from 'node:path';
import type { ArchiveStore, Renaming } from '../store/archive-store.js';
import { placeFile, renamingName, writeError, type ArchiveFs } from './files.js';
import { fileName, numberWidth } from './names.js';

export interface NamingDeps {
  archive: ArchiveStore;
  fs: ArchiveFs;
  claimant: string;
}

/**
 * Renames the comic's files so their names sort in publication order, first
 * finishing a renaming that a killed run left. Returns how many files were
 * renamed, or null when another run holds the comic's naming (nothing is done).
 *
 * @example
 * await settleNames({ archive, fs: nodeArchiveFs, claimant }, 'xkcd', '/data/strips/xkcd') // 1000 after a walk back
 */
export async function settleNames(deps: NamingDeps, comic: string, folder: string): Promise<number | null> {
  const { archive } = deps;
  const left = archive.lockNaming(comic, deps.claimant);
  if (left === null) return null;
  try {
    if (left !== 0) await finishRenaming(deps, comic, folder, left);
    const { files, count } = archive.namedFiles(comic);
    const width = numberWidth(count);
    const indexed = new Set(files.map((file) => file.file));
    const renamings: Renaming[] = [];
    for (const file of files) {
      const ext = file.file.slice(file.file.lastIndexOf('.') + 1);
      const to = fileName({ number: file.number, width, published: file.published, title: file.title, ext });
      if (file.file === to) continue;
      // Numbered because a file that is not the archive's has the name: leave it be.
      if (isVariantOf(file.file, to) && !indexed.has(to) && (await deps.fs.exists(join(folder, to)))) continue;
      renamings.push({ sha256: file.sha256, from: file.file, to });
    }
    if (renamings.length === 0) return 0;
    // When no new name is another file's old one, each file moves straight to its new name.
    const from = new Set(renamings.map((renaming) => renaming.from));
    const phase = renamings.some((renaming) => from.has(renaming.to)) ? 1 : DIRECT;
    archive.beginRenaming(comic, renamings, phase);
    await finishRenaming(deps, comic, folder, phase);
    return renamings.length;
  } finally {
    archive.unlockNaming(comic, deps.claimant);
  }
}

/** Journal phase of a renaming whose files move straight to their new names. */
const DIRECT = 3;

/** Phase 1 moves files to temporary names, phase 2 to their new ones; DIRECT does it in one. Safe to run again. */
async function finishRenaming(deps: NamingDeps, comic: string, folder: string, phase: number): Promise<void> {
  const { archive, fs } = deps;
  const renamings = archive.renamings(comic);
  const temporary = (renaming: Renaming): string => renamingName(renaming.sha256);
  try {
    if (phase === 1) {
      for (const renaming of renamings) {
        // Gone: moved already by the run that was killed.
        await fs.rename(join(folder, renaming.from), join(folder, temporary(renaming))).catch(ignoreMissing);
      }
      archive.renamingPhase2(comic);
    }
    for (const renaming of renamings) {
      const used = await move(fs, folder, phase === DIRECT ? renaming.from : temporary(renaming), renaming.to);
      if (used !== null && used !== renaming.to) archive.renamed(comic, renaming.sha256, used);
    }
  } catch (error) {
    throw writeError(folder, error);
  }
  archive.endRenaming(comic);
}

/**
 * Gives file `from` the name `to` (or the first free one after it), never replacing
 * another file; null when `from` is gone (moved before). Returns the name used.
 */
async function move(fs: ArchiveFs, folder: string, from: string, to: string): Promise<string | null> {
  const path = join(folder, from);
  try {
    if (await fs.linkNew(path, join(folder, to))) {
      await fs.remove(path);
      return to;
    }
  } catch (error) {
    ignoreMissing(error);
    return null;
  }
  // Killed between giving the new name and removing the old one.
  if (await fs.sameFile(path, join(folder, to))) {
    await fs.remove(path);
    return to;
  }
  return placeFile(fs, folder, path, to);
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

/** `name` is `wanted`, or `wanted` numbered because that name was taken (`a (2).png`). */
function isVariantOf(name: string, wanted: string): boolean {
  const dot = wanted.lastIndexOf('.');
  const stem = dot <= 0 ? wanted : wanted.slice(0, dot);
  const ext = dot <= 0 ? '' : wanted.slice(dot);
  return name.startsWith(`${stem} (`) && name.endsWith(`)${ext}`) && /^\d+$/.test(name.slice(stem.length + 2, name.length - ext.length - 1));
}
