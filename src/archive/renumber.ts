/**
 * Keeping file names in publication order. A file is named by the place of its
 * strip in the comic (`0042 ...`); a walk back finds strips older than every
 * strip named so far, so the names shift. They are settled at the end of each
 * run, through a journal in the store: the new names are recorded first, then
 * files move to temporary names (phase 1), then to their new names (phase 2).
 * A run killed in between is finished by the next one, from the journal.
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
  const phase = archive.lockNaming(comic, deps.claimant);
  if (phase === null) return null;
  try {
    if (phase !== 0) await finishRenaming(deps, comic, folder, phase);
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
    archive.beginRenaming(comic, renamings);
    await finishRenaming(deps, comic, folder, 1);
    return renamings.length;
  } finally {
    archive.unlockNaming(comic, deps.claimant);
  }
}

async function finishRenaming(deps: NamingDeps, comic: string, folder: string, phase: number): Promise<void> {
  const { archive, fs } = deps;
  const renamings = archive.renamings(comic);
  const temporary = (renaming: Renaming): string => join(folder, renamingName(renaming.sha256));
  try {
    if (phase === 1) {
      for (const renaming of renamings) {
        const from = join(folder, renaming.from);
        if (!(await fs.exists(temporary(renaming))) && (await fs.exists(from))) await fs.rename(from, temporary(renaming));
      }
      archive.renamingPhase2(comic);
    }
    for (const renaming of renamings) {
      const moving = temporary(renaming);
      if (!(await fs.exists(moving))) continue;
      const to = join(folder, renaming.to);
      // Killed between giving the new name and removing the temporary one.
      if (await fs.sameFile(moving, to)) {
        await fs.remove(moving);
        continue;
      }
      archive.renamed(comic, renaming.sha256, await placeFile(fs, folder, moving, renaming.to));
    }
  } catch (error) {
    throw writeError(folder, error);
  }
  archive.endRenaming(comic);
}

/** `name` is `wanted`, or `wanted` numbered because that name was taken (`a (2).png`). */
function isVariantOf(name: string, wanted: string): boolean {
  const dot = wanted.lastIndexOf('.');
  const stem = dot <= 0 ? wanted : wanted.slice(0, dot);
  const ext = dot <= 0 ? '' : wanted.slice(dot);
  return name.startsWith(`${stem} (`) && name.endsWith(`)${ext}`) && /^\d+$/.test(name.slice(stem.length + 2, name.length - ext.length - 1));
}
