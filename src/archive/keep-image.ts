import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ArchiveStore } from '../store/archive-store.js';
import type { StripRow } from '../store/comics-store.js';
import type { Validators } from '../http/client.js';
import { placeFile, writeTemporary, type ArchiveFs } from './files.js';
import type { ImageType } from './image-type.js';
import { fileName, numberWidth } from './names.js';

export interface KeepDeps {
  archive: ArchiveStore;
  fs: ArchiveFs;
  /** This run, for the pending file it writes. */
  claimant: string;
}

/** An image fetched for a strip, ready to keep. */
export interface FetchedStripImage {
  bytes: Uint8Array;
  type: ImageType;
  contentType: string;
  /** The URL asked for (the strip's image URL). */
  sourceUrl: string;
  validators: Validators;
}

/**
 * Keeps a strip's image: recorded in the index and, unless identical bytes are
 * already stored for another strip of the comic, written to the comic's folder.
 * The file is written under a temporary name and flushed; the index row goes in
 * as pending; only then does the file get its final name (never replacing
 * another), and the row is confirmed. A run killed at any point leaves no
 * partial file under a final name, and a pending row that the next run settles
 * from what it finds on disk. Throws E_WRITE when the folder cannot be written,
 * with the index left as the files are.
 *
 * @example
 * const kept = await keepImage({ archive, fs: nodeArchiveFs, claimant }, { comic: 'xkcd', folder: '/data/strips/xkcd', strip }, image);
 * kept // { file: '0012 2024-05-01 Title.png', stored: true }
 */
export async function keepImage(
  deps: KeepDeps,
  target: { comic: string; folder: string; strip: StripRow },
  image: FetchedStripImage,
): Promise<{ file: string; stored: boolean }> {
  const { archive, fs } = deps;
  const { comic, folder, strip } = target;
  const sha256 = createHash('sha256').update(image.bytes).digest('hex');
  const entry = {
    comic,
    key: strip.key,
    sha256,
    sourceUrl: image.sourceUrl,
    etag: image.validators.etag,
    lastModified: image.validators.lastModified,
  };
  const existing = archive.fileBySha(comic, sha256);
  if (existing !== null) {
    // Stored already (or being stored by another run): record, do not store twice.
    if (existing.pendingBy !== null || (await fs.exists(join(folder, existing.file)))) {
      archive.recordEntry(entry);
      return { file: existing.file, stored: false };
    }
    // The file was deleted by hand: put it back where the index says it is.
    const temporary = await writeTemporary(fs, folder, image.bytes);
    const used = await placeFile(fs, folder, temporary, existing.file);
    if (used !== existing.file) archive.renamePending(comic, sha256, used);
    archive.recordEntry(entry);
    return { file: used, stored: true };
  }
  const { number, count } = archive.rank(strip.id);
  const name = fileName({ number, width: numberWidth(count), published: strip.published, title: strip.title, ext: image.type.ext });
  const temporary = await writeTemporary(fs, folder, image.bytes);
  const recorded = archive.recordFile(entry, { name, bytes: image.bytes.byteLength, contentType: image.contentType }, deps.claimant);
  if (!recorded.store) {
    // Another run stored the same bytes meanwhile.
    await fs.remove(temporary);
    return { file: recorded.file, stored: false };
  }
  let used: string;
  try {
    used = await placeFile(fs, folder, temporary, name);
  } catch (error) {
    await fs.remove(temporary).catch(() => {});
    archive.dropFile(comic, sha256);
    throw error;
  }
  if (used !== name) archive.renamePending(comic, sha256, used);
  archive.confirmFile(comic, sha256);
  return { file: used, stored: true };
}
