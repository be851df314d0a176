import type { Statement } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isClaimLive } from './claims.js';
import { OLDEST_FIRST, STRIP_COLUMNS, storable, type StripInput, type StripRow } from './comics-store.js';
import { statementCache, type Db } from './database.js';

export interface ArchiveStoreOptions {
  now?: () => Date;
  /** Whether another run's claim still stands. */
  claimLive?: (claimedBy: string, claimedAt: string, now: Date) => boolean;
}

/** A recorded strip as the archive plans it: with the file that holds its image, if any. */
export interface ArchiveCandidate extends StripRow {
  /** The file's name in the comic's folder, or null when the strip is not archived. */
  file: string | null;
}

/** One stored file of a comic. */
export interface ArchivedFile {
  sha256: string;
  file: string;
  bytes: number;
  contentType: string;
  /** The run that is putting the file in place; null once it is there. */
  pendingBy: string | null;
  pendingAt: string | null;
}

/** What is recorded per strip: the file that holds its image, and where that came from. */
export interface ArchiveEntry {
  comic: string;
  /** The strip's key. */
  key: string;
  sha256: string;
  sourceUrl: string;
  etag: string | null;
  lastModified: string | null;
}

/** Where a comic's back-catalogue walk stands. */
export interface WalkState {
  /** The page to read next; null before the walk started, and once it ended. */
  nextUrl: string | null;
  /** The key of the last strip the walk recorded (or started from). */
  lastKey: string | null;
  /** Where the undated strips found sort: the date of the strip the walk started from. */
  orderAt: string | null;
  /** The walk position of the last strip found (larger is older). */
  position: number;
  /** Pages walked, over every run. */
  walked: number;
  /** Why the walk ended ('first', 'loop'), or null while it goes on. */
  endReason: string | null;
  complete: boolean;
  firstReached: boolean;
}

/** A file whose name is to change, for the renaming journal. */
export interface Renaming {
  sha256: string;
  from: string;
  to: string;
}

/** A stored file with the strip that names it (the oldest strip whose image it is). */
export interface NamedFile {
  sha256: string;
  file: string;
  renamedFrom: string | null;
  number: number;
  published: string | null;
  title: string | null;
}

/** A walk's row as SQLite gives it. */
type WalkRow = Omit<WalkState, 'complete' | 'firstReached'> & {
  complete: number;
  firstReached: number;
  claimedBy: string | null;
  claimedAt: string | null;
};

const WALK_COLUMNS = `next_url AS nextUrl, last_key AS lastKey, order_at AS orderAt, position, walked,
  end_reason AS endReason, complete, first_reached AS firstReached, claimed_by AS claimedBy, claimed_at AS claimedAt`;
const FILE_COLUMNS = 'sha256, file, bytes, content_type AS contentType, pending_by AS pendingBy, pending_at AS pendingAt';

/**
 * The archive's index in SQLite: which file holds each strip's image (with its
 * digest, size, type, source and validators), each comic's folder, the claims
 * that keep two runs from fetching one strip, the renaming journal, and where
 * each back-catalogue walk stopped. Each step a run takes is one transaction,
 * so a run killed at any point leaves the index consistent with the files.
 *
 * @example
 * const archive = new ArchiveStore(openDatabase('data/comics.db'));
 * archive.filesFor([12, 13], 'data/strips') // Map { 12 => '/…/data/strips/xkcd/0012 2024-05-01 Title.png' }
 */
export class ArchiveStore {
  readonly db: Db;
  readonly #now: () => Date;
  readonly #claimLive: NonNullable<ArchiveStoreOptions['claimLive']>;
  readonly #sql: (source: string) => Statement;

  constructor(db: Db, options: ArchiveStoreOptions = {}) {
    this.db = db;
    this.#now = options.now ?? (() => new Date());
    this.#claimLive = options.claimLive ?? isClaimLive;
    this.#sql = statementCache(db);
  }

  #live(claimedBy: string | null, claimedAt: string | null, claimant: string): boolean {
    return claimedBy !== null && claimedBy !== claimant && this.#claimLive(claimedBy, claimedAt ?? '', this.#now());
  }

  // -------------------------------------------------------------------------
  // Folders and files

  /**
   * The comic's folder: the one it was given before, else `base` (from its name),
   * numbered `base (2)`, `base (3)`... when another comic's folder has that name
   * (compared as macOS and Windows do, see folderKey).
   */
  folderFor(comic: string, base: string, key: (folder: string) => string): string {
    return this.db.transaction((): string => {
      const known = this.#sql('SELECT folder FROM archive_folders WHERE comic = ?').pluck().get(comic) as string | undefined;
      if (known !== undefined) return known;
      const taken = this.#sql('SELECT 1 FROM archive_folders WHERE folder_key = ?').pluck();
      let folder = base;
      for (let n = 2; taken.get(key(folder)) !== undefined; n++) folder = `${base} (${n})`;
      this.#sql('INSERT INTO archive_folders (comic, folder, folder_key) VALUES (?, ?, ?)').run(comic, folder, key(folder));
      return folder;
    }).immediate();
  }

  /** The comic's recorded strips (skipped ones aside), oldest first, each with its file if archived. */
  candidates(comic: string): ArchiveCandidate[] {
    return this.#sql(
      `SELECT ${STRIP_COLUMNS}, (SELECT f.file FROM archive_strips a JOIN archive_files f ON f.comic = a.comic AND f.sha256 = a.sha256
           WHERE a.comic = strips.comic AND a.key = strips.key AND f.pending_by IS NULL) AS file
       FROM strips WHERE comic = ? AND skipped IS NULL ORDER BY ${OLDEST_FIRST}`,
    ).all(comic) as ArchiveCandidate[];
  }

  /** Strips by id (for `check`, which archives what it just recorded). */
  strips(ids: readonly number[]): StripRow[] {
    if (ids.length === 0) return [];
    return this.#sql(`SELECT ${STRIP_COLUMNS} FROM strips WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${OLDEST_FIRST}`)
      .all(JSON.stringify(ids)) as StripRow[];
  }

  /** The file that holds a strip's image, or null. */
  fileOf(comic: string, key: string): ArchivedFile | null {
    return (
      (this.#sql(
        `SELECT ${FILE_COLUMNS} FROM archive_files WHERE comic = @comic AND sha256 = (SELECT sha256 FROM archive_strips WHERE comic = @comic AND key = @key)`,
      ).get({ comic, key }) as ArchivedFile | undefined) ?? null
    );
  }

  /** The file holding these bytes, or null: identical images are stored once. */
  fileBySha(comic: string, sha256: string): ArchivedFile | null {
    return (this.#sql(`SELECT ${FILE_COLUMNS} FROM archive_files WHERE comic = ? AND sha256 = ?`).get(comic, sha256) as ArchivedFile | undefined) ?? null;
  }

  /**
   * What was archived from this image URL before (for another strip), with the validators
   * it came with, so it can be asked for conditionally; null when nothing was.
   */
  fromSource(comic: string, url: string): (ArchiveEntry & { file: string }) | null {
    return (
      (this.#sql(
        `SELECT a.comic, a.key, a.sha256, a.source_url AS sourceUrl, a.etag, a.last_modified AS lastModified, f.file
         FROM archive_strips a JOIN archive_files f ON f.comic = a.comic AND f.sha256 = a.sha256
         WHERE a.comic = ? AND a.source_url = ? AND f.pending_by IS NULL AND (a.etag IS NOT NULL OR a.last_modified IS NOT NULL)
         ORDER BY a.fetched_at DESC LIMIT 1`,
      ).get(comic, url) as (ArchiveEntry & { file: string }) | undefined) ?? null
    );
  }

  /**
   * Records a strip's image. A file not stored yet is recorded as pending for
   * `claimant` under `file` (the caller then puts it in place and calls
   * {@link confirmFile}); bytes already stored are not stored again. Returns the
   * file that holds the image, and whether the caller must store it.
   */
  recordFile(
    entry: ArchiveEntry,
    file: { name: string; bytes: number; contentType: string },
    claimant: string,
  ): { file: string; store: boolean } {
    const now = this.#now().toISOString();
    return this.db.transaction(() => {
      const existing = this.fileBySha(entry.comic, entry.sha256);
      if (existing === null) {
        this.#sql(
          `INSERT INTO archive_files (comic, sha256, file, bytes, content_type, pending_by, pending_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        ).run(entry.comic, entry.sha256, file.name, file.bytes, file.contentType, claimant, now);
      }
      this.#recordEntry(entry, now);
      return { file: existing?.file ?? file.name, store: existing === null };
    }).immediate();
  }

  /** Points a strip at a file already stored (a 304 for an image URL archived before). */
  recordEntry(entry: ArchiveEntry): void {
    this.#recordEntry(entry, this.#now().toISOString());
  }

  #recordEntry(entry: ArchiveEntry, now: string): void {
    this.#sql(
      `INSERT INTO archive_strips (comic, key, sha256, source_url, etag, last_modified, fetched_at)
       VALUES (@comic, @key, @sha256, @sourceUrl, @etag, @lastModified, @now)
       ON CONFLICT (comic, key) DO UPDATE SET sha256 = excluded.sha256, source_url = excluded.source_url,
         etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at`,
    ).run({ ...entry, now });
  }

  /** The name a pending file got (its first choice was taken on disk). */
  renamePending(comic: string, sha256: string, file: string): void {
    this.#sql('UPDATE archive_files SET file = ? WHERE comic = ? AND sha256 = ?').run(file, comic, sha256);
  }

  /** The file is in place under its name. */
  confirmFile(comic: string, sha256: string): void {
    this.#sql('UPDATE archive_files SET pending_by = NULL, pending_at = NULL WHERE comic = ? AND sha256 = ?').run(comic, sha256);
  }

  /** Pending files of runs that died: each is confirmed or dropped by the caller, which looks on disk. */
  deadPending(comic: string, claimant: string): ArchivedFile[] {
    const rows = this.#sql(`SELECT ${FILE_COLUMNS} FROM archive_files WHERE comic = ? AND pending_by IS NOT NULL`).all(comic) as ArchivedFile[];
    return rows.filter((row) => row.pendingBy !== claimant && !this.#live(row.pendingBy, row.pendingAt, claimant));
  }

  /** Forgets a file and every strip pointing at it (it never reached the disk, or was deleted there). */
  dropFile(comic: string, sha256: string): void {
    this.db.transaction(() => {
      this.#sql('DELETE FROM archive_strips WHERE comic = ? AND sha256 = ?').run(comic, sha256);
      this.#sql('DELETE FROM archive_files WHERE comic = ? AND sha256 = ?').run(comic, sha256);
    }).immediate();
  }

  // -------------------------------------------------------------------------
  // Claims: one run per strip

  /** Takes a strip for this run; false when another live run has it. */
  claim(strip: number, claimant: string): boolean {
    const now = this.#now().toISOString();
    return this.db.transaction((): boolean => {
      const row = this.#sql('SELECT claimed_by AS claimedBy, claimed_at AS claimedAt FROM archive_claims WHERE strip = ?').get(strip) as
        | { claimedBy: string; claimedAt: string }
        | undefined;
      if (row !== undefined && this.#live(row.claimedBy, row.claimedAt, claimant)) return false;
      this.#sql(
        `INSERT INTO archive_claims (strip, claimed_by, claimed_at) VALUES (?, ?, ?)
         ON CONFLICT (strip) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at`,
      ).run(strip, claimant, now);
      return true;
    }).immediate();
  }

  /** Gives a strip back. */
  release(strip: number, claimant: string): void {
    this.#sql('DELETE FROM archive_claims WHERE strip = ? AND claimed_by = ?').run(strip, claimant);
  }

  /** Gives back everything this run claimed: strips, walks and naming. */
  releaseAll(claimant: string): void {
    this.db.transaction(() => {
      this.#sql('DELETE FROM archive_claims WHERE claimed_by = ?').run(claimant);
      this.#sql('UPDATE archive_walks SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ?').run(claimant);
      this.#sql('UPDATE archive_folders SET naming_by = NULL, naming_at = NULL WHERE naming_by = ?').run(claimant);
    }).immediate();
  }

  // -------------------------------------------------------------------------
  // Names in publication order

  /** A strip's place in its comic, oldest first from 1, and how many strips the comic has. */
  rank(strip: number): { number: number; count: number } {
    return this.#sql(
      `SELECT 1 + (SELECT count(*) FROM strips o WHERE o.comic = s.comic AND (
           COALESCE(o.published, o.order_at, o.first_seen) < COALESCE(s.published, s.order_at, s.first_seen)
           OR (COALESCE(o.published, o.order_at, o.first_seen) = COALESCE(s.published, s.order_at, s.first_seen)
             AND (o.position > s.position OR (o.position = s.position AND o.id < s.id))))) AS number,
         (SELECT count(*) FROM strips c WHERE c.comic = s.comic) AS count
       FROM strips s WHERE s.id = ?`,
    ).get(strip) as { number: number; count: number };
  }

  /** Every stored file of the comic with the place of the oldest strip it holds, and the comic's strip count. */
  namedFiles(comic: string): { files: NamedFile[]; count: number } {
    const files = this.#sql(
      `WITH ranked AS (
         SELECT key, published, title, row_number() OVER (ORDER BY ${OLDEST_FIRST}) AS number FROM strips WHERE comic = @comic)
       SELECT f.sha256, f.file, f.renamed_from AS renamedFrom, min(r.number) AS number, r.published, r.title
       FROM archive_files f JOIN archive_strips a ON a.comic = f.comic AND a.sha256 = f.sha256 JOIN ranked r ON r.key = a.key
       WHERE f.comic = @comic AND f.pending_by IS NULL GROUP BY f.sha256`,
    ).all({ comic }) as NamedFile[];
    const count = this.#sql('SELECT count(*) FROM strips WHERE comic = ?').pluck().get(comic) as number;
    return { files, count };
  }

  /** Takes the comic's naming for this run: its renaming phase (0: none under way), or null when another live run has it. */
  lockNaming(comic: string, claimant: string): number | null {
    const now = this.#now().toISOString();
    return this.db.transaction((): number | null => {
      const row = this.#sql(
        'SELECT rename_phase AS phase, naming_by AS namingBy, naming_at AS namingAt FROM archive_folders WHERE comic = ?',
      ).get(comic) as { phase: number; namingBy: string | null; namingAt: string | null } | undefined;
      if (row === undefined || this.#live(row.namingBy, row.namingAt, claimant)) return null;
      this.#sql('UPDATE archive_folders SET naming_by = ?, naming_at = ? WHERE comic = ?').run(claimant, now, comic);
      return row.phase;
    }).immediate();
  }

  unlockNaming(comic: string, claimant: string): void {
    this.#sql('UPDATE archive_folders SET naming_by = NULL, naming_at = NULL WHERE comic = ? AND naming_by = ?').run(comic, claimant);
  }

  /** Writes the journal of a renaming, and the phase it starts in (see src/archive/renumber.ts), before any file moves. */
  beginRenaming(comic: string, renamings: readonly Renaming[], phase: number): void {
    this.db.transaction(() => {
      const update = this.#sql('UPDATE archive_files SET renamed_from = ?, file = ? WHERE comic = ? AND sha256 = ?');
      for (const { sha256, from, to } of renamings) update.run(from, to, comic, sha256);
      this.#sql('UPDATE archive_folders SET rename_phase = ? WHERE comic = ?').run(phase, comic);
    }).immediate();
  }

  /** The files of the renaming under way. */
  renamings(comic: string): Renaming[] {
    return this.#sql(
      'SELECT sha256, renamed_from AS "from", file AS "to" FROM archive_files WHERE comic = ? AND renamed_from IS NOT NULL',
    ).all(comic) as Renaming[];
  }

  /** Phase 2: files go from their temporary names to their new ones. */
  renamingPhase2(comic: string): void {
    this.#sql('UPDATE archive_folders SET rename_phase = 2 WHERE comic = ?').run(comic);
  }

  /** One file of phase 2 is in place (under `file`, its new name or the free one after it). */
  renamed(comic: string, sha256: string, file: string): void {
    this.#sql('UPDATE archive_files SET file = ?, renamed_from = NULL WHERE comic = ? AND sha256 = ?').run(file, comic, sha256);
  }

  endRenaming(comic: string): void {
    this.db.transaction(() => {
      this.#sql('UPDATE archive_files SET renamed_from = NULL WHERE comic = ?').run(comic);
      this.#sql('UPDATE archive_folders SET rename_phase = 0 WHERE comic = ?').run(comic);
    }).immediate();
  }

  // -------------------------------------------------------------------------
  // The back-catalogue walk

  /** Where the comic's walk stands, or null before its first step. */
  walk(comic: string): WalkState | null {
    const row = this.#sql(`SELECT ${WALK_COLUMNS} FROM archive_walks WHERE comic = ?`).get(comic) as WalkRow | undefined;
    return row === undefined ? null : toWalkState(row);
  }

  /**
   * Takes the comic's walk for this run and returns where it stands; null when another
   * live run is walking it. A walk whose last strip is gone from the store (the comic
   * was baselined again) starts over.
   */
  claimWalk(comic: string, claimant: string): WalkState | null {
    const now = this.#now().toISOString();
    return this.db.transaction((): WalkState | null => {
      const row = this.#sql(`SELECT ${WALK_COLUMNS} FROM archive_walks WHERE comic = ?`).get(comic) as WalkRow | undefined;
      if (row !== undefined && this.#live(row.claimedBy, row.claimedAt, claimant)) return null;
      const gone =
        row !== undefined &&
        row.lastKey !== null &&
        this.#sql('SELECT 1 FROM strips WHERE comic = ? AND key = ?').pluck().get(comic, row.lastKey) === undefined;
      if (row === undefined || gone) {
        this.#sql(
          `INSERT OR REPLACE INTO archive_walks (comic, claimed_by, claimed_at, updated_at) VALUES (?, ?, ?, ?)`,
        ).run(comic, claimant, now, now);
        return this.walk(comic);
      }
      this.#sql('UPDATE archive_walks SET claimed_by = ?, claimed_at = ? WHERE comic = ?').run(claimant, now, comic);
      return toWalkState(row);
    }).immediate();
  }

  /** The strip a walk starts from: the oldest recorded strip with a page of its own (else the oldest). */
  walkStart(comic: string): StripRow | null {
    return (
      (this.#sql(
        `SELECT ${STRIP_COLUMNS} FROM strips WHERE comic = ? AND url IS NOT NULL AND skipped IS NULL
         ORDER BY (image IS NOT NULL AND key = image), ${OLDEST_FIRST} LIMIT 1`,
      ).get(comic) as StripRow | undefined) ?? null
    );
  }

  /**
   * Records one step of the walk, in one transaction: the strip found (read,
   * `archive`, sorting before every strip the walk passed; null for a page that
   * records nothing), where to go next, and the end when the walk ended here.
   * The strip is claimed for this run, whose images come next. Returns the strip
   * recorded, or null.
   */
  recordWalkStep(
    comic: string,
    claimant: string,
    step: {
      strip: StripInput | null;
      /** The page read, known by this key, when it is the walk's starting point. */
      startKey?: string;
      /** For the start: where its undated strips sort and the position they count from. */
      base?: { orderAt: string; position: number };
      next: string | null;
      end: { reason: string; firstReached: boolean } | null;
    },
  ): StripRow | null {
    const now = this.#now().toISOString();
    return this.db.transaction((): StripRow | null => {
      if (step.base !== undefined) {
        this.#sql('UPDATE archive_walks SET order_at = ?, position = ?, last_key = ? WHERE comic = ?').run(
          step.base.orderAt,
          step.base.position,
          step.startKey ?? null,
          comic,
        );
      }
      const state = this.walk(comic)!;
      let recorded: StripRow | null = null;
      if (step.strip !== null) {
        const strip = storable(step.strip);
        const position = state.position + 1;
        const inserted = this.#sql(
          `INSERT INTO strips (comic, key, url, title, published, image, image_alt, image_title, position, order_at, first_seen,
             read_at, read_via, skipped)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'archive', NULL) ON CONFLICT (comic, key) DO NOTHING`,
        ).run(
          comic,
          strip.key,
          strip.url,
          strip.title,
          strip.published,
          strip.image,
          strip.imageAlt ?? null,
          strip.imageTitle ?? null,
          position,
          state.orderAt,
          now,
          now,
        );
        if (inserted.changes > 0) {
          const id = Number(inserted.lastInsertRowid);
          recorded = this.#sql(`SELECT ${STRIP_COLUMNS} FROM strips WHERE id = ?`).get(id) as StripRow;
          this.#sql(
            `INSERT INTO archive_claims (strip, claimed_by, claimed_at) VALUES (?, ?, ?)
             ON CONFLICT (strip) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_at = excluded.claimed_at`,
          ).run(id, claimant, now);
          this.#sql('UPDATE archive_walks SET position = ?, last_key = ? WHERE comic = ?').run(position, strip.key, comic);
        }
      }
      this.#sql(
        `UPDATE archive_walks SET next_url = ?, walked = walked + 1, end_reason = ?, complete = ?, first_reached = ?,
           claimed_at = ?, updated_at = ? WHERE comic = ?`,
      ).run(
        step.end === null ? step.next : null,
        step.end?.reason ?? null,
        step.end === null ? 0 : 1,
        step.end?.firstReached === true ? 1 : 0,
        now,
        now,
        comic,
      );
      return recorded;
    }).immediate();
  }

  // -------------------------------------------------------------------------
  // For other commands

  /**
   * The archived copy of each strip that has one on disk, by strip id, as an
   * absolute path (for the digest page, which shows it instead of the remote image).
   *
   * @example
   * archive.filesFor([12], '/home/me/comics/data/strips').get(12) // '/home/me/comics/data/strips/xkcd/0012 2024-05-01 Title.png'
   */
  filesFor(strips: readonly number[], dir: string): Map<number, string> {
    const files = new Map<number, string>();
    if (strips.length === 0) return files;
    const rows = this.#sql(
      `SELECT s.id, d.folder, f.file FROM strips s
       JOIN archive_strips a ON a.comic = s.comic AND a.key = s.key
       JOIN archive_files f ON f.comic = a.comic AND f.sha256 = a.sha256
       JOIN archive_folders d ON d.comic = s.comic
       WHERE s.id IN (SELECT value FROM json_each(?)) AND f.pending_by IS NULL`,
    ).all(JSON.stringify(strips)) as { id: number; folder: string; file: string }[];
    for (const row of rows) {
      const path = join(dir, row.folder, row.file);
      if (existsSync(path)) files.set(row.id, path);
    }
    return files;
  }

  /** How many recorded strips of each comic are archived (for `comics list`). */
  archivedCounts(): Map<string, number> {
    const rows = this.#sql(
      `SELECT s.comic, count(*) AS n FROM strips s
       JOIN archive_strips a ON a.comic = s.comic AND a.key = s.key
       JOIN archive_files f ON f.comic = a.comic AND f.sha256 = a.sha256
       WHERE f.pending_by IS NULL GROUP BY s.comic`,
    ).all() as { comic: string; n: number }[];
    return new Map(rows.map((row) => [row.comic, row.n]));
  }
}

function toWalkState(row: WalkRow): WalkState {
  return {
    nextUrl: row.nextUrl,
    lastKey: row.lastKey,
    orderAt: row.orderAt,
    position: row.position,
    walked: row.walked,
    endReason: row.endReason,
    complete: row.complete === 1,
    firstReached: row.firstReached === 1,
  };
}
