import type { Statement } from 'better-sqlite3';
import { statementCache, type Db } from './database.js';
import { capKey, capText, MAX_IMAGE_TEXT, MAX_MESSAGE, MAX_TITLE, MAX_URL } from '../text/limits.js';
import { isClaimLive } from './claims.js';

/** A strip as a feed (or page walk) reports it. */
export interface StripInput {
  key: string;
  /** The key an earlier version gave this entry, if it differs: a strip recorded under it is this one. */
  legacyKey?: string;
  url: string | null;
  title: string | null;
  /** ISO 8601 or null. */
  published: string | null;
  image: string | null;
  /** The image's alt text, when known. */
  imageAlt?: string | null;
  /** The image's hover text (its title attribute), when known. */
  imageTitle?: string | null;
  /** Why this strip must never be opened (unsafe URL, no link), or null. */
  skipped?: string | null;
  /**
   * For an undated strip found by walking back from a dated one (catch-up): that
   * strip's date, so it sorts with it (and, by position, before it).
   */
  orderAt?: string | null;
  /**
   * The URL shows whichever strip is newest (a comic's front page), so it says
   * nothing about which strip this is: never a reason to call it a duplicate.
   */
  sharedUrl?: boolean;
}

/** How a strip came to be read ('archive': back catalogue found by `comics archive --all`). */
export type ReadVia = 'baseline' | 'opened' | 'digest' | 'mark-read' | 'duplicate' | 'skipped' | 'archive';

export interface StripRow {
  id: number;
  comic: string;
  key: string;
  url: string | null;
  title: string | null;
  published: string | null;
  image: string | null;
  imageAlt: string | null;
  /** The image's hover text. */
  imageTitle: string | null;
  /** When the strip's own page was read to find an image it was recorded without (at most once). */
  imageLookedAt: string | null;
  /** Why that found none, when it did not. */
  imageNote: string | null;
  /** Index in the feed document (or page walk) that first listed it (0 = first, usually the newest). */
  position: number;
  /** See {@link StripInput.orderAt}. */
  orderAt: string | null;
  firstSeen: string;
  readAt: string | null;
  readVia: ReadVia | null;
  skipped: string | null;
}

export interface ComicState {
  name: string;
  /** The feed URL (or page URL for page-mode comics) the state belongs to. */
  feed: string;
  etag: string | null;
  lastModified: string | null;
  baselinedAt: string | null;
  lastChecked: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  errorCode: string | null;
  failureStreak: number;
  /** When the current run of failures began; null when the last check succeeded. */
  failingSince: string | null;
}

export interface ComicSummary extends ComicState {
  unread: number;
  lastRead: { url: string | null; title: string | null } | null;
}

/** A comic's recorded state and strips, as `comics export` writes them; see {@link ComicsStore.snapshot}. */
export interface ComicSnapshot {
  state: Omit<ComicState, 'name'>;
  strips: Omit<StripRow, 'id' | 'comic'>[];
}

export interface FetchSuccess {
  feed: string;
  entries: readonly StripInput[];
  validators: { etag: string | null; lastModified: string | null };
  /** When the comic is baselined now: how many of the newest entries stay unread. */
  unreadAtBaseline: number;
  /** Forget earlier state and baseline again (`comics add` of a known name). */
  rebaseline?: boolean;
}

export interface RecordResult {
  /** True when this call baselined the comic. */
  baselined: boolean;
  /** Strips recorded by this call that are unread, oldest first. */
  added: StripRow[];
  /** Strips recorded by this call that will never be opened (unsafe or missing links). */
  skipped: StripRow[];
}

export interface ComicsStoreOptions {
  now?: () => Date;
  /** Whether another run's claim on a strip still stands. */
  claimLive?: (claimedBy: string, claimedAt: string, now: Date) => boolean;
}

/** Matches strips of the comics in @comics (a JSON array), or all strips when it is NULL. */
const IN_COMICS = '(@comics IS NULL OR comic IN (SELECT value FROM json_each(@comics)))';

/** A strip whose link a browser tab can open. */
const HAS_WEB_LINK = "(url IS NOT NULL AND (url LIKE 'http://%' OR url LIKE 'https://%'))";

function comicsParam(comics: readonly string[] | undefined): { comics: string | null } {
  return { comics: comics === undefined ? null : JSON.stringify(comics) };
}

/**
 * Oldest first: by date (or the date a catch-up walk started from), else by when
 * first seen, then feed or walk order (later in the feed = older).
 */
export const OLDEST_FIRST = 'COALESCE(published, order_at, first_seen) ASC, comic ASC, position DESC, id ASC';
const NEWEST_FIRST = 'COALESCE(published, order_at, first_seen) DESC, comic ASC, position ASC, id DESC';
/**
 * History order: most recently recorded first, so what a check just found is on top
 * whatever date its feed gives it (a strip dated 2016 opened today sits above strips
 * baselined last month); within one recording, newest first by date, then feed order.
 */
const RECORDED_LAST_FIRST = 'first_seen DESC, COALESCE(published, order_at) DESC, comic ASC, position ASC, id DESC';

/** The columns of a {@link StripRow}, for queries of other stores over `strips`. */
export const STRIP_COLUMNS = `id, comic, key, url, title, published, image, image_alt AS imageAlt, image_title AS imageTitle,
  image_looked_at AS imageLookedAt, image_note AS imageNote, position, order_at AS orderAt, first_seen AS firstSeen,
  read_at AS readAt, read_via AS readVia, skipped`;
const COMIC_COLUMNS = `name, feed, etag, last_modified AS lastModified, baselined_at AS baselinedAt,
  last_checked AS lastChecked, last_success AS lastSuccess, last_error AS lastError, error_code AS errorCode,
  failure_streak AS failureStreak, failing_since AS failingSince`;

/**
 * Per-comic and per-strip state in SQLite. Every write that must not be half done
 * (new strips together with the validators that would hide them next time) is one
 * transaction, so a run killed at any point loses nothing.
 *
 * @example
 * const store = new ComicsStore(openDatabase('data/comics.db'));
 * store.recordSuccess('xkcd', { feed, entries, validators, unreadAtBaseline: 0 });
 */
export class ComicsStore {
  readonly db: Db;
  readonly #now: () => Date;
  readonly #claimLive: NonNullable<ComicsStoreOptions['claimLive']>;
  readonly #sql: (source: string) => Statement;

  constructor(db: Db, options: ComicsStoreOptions = {}) {
    this.db = db;
    this.#now = options.now ?? (() => new Date());
    this.#claimLive = options.claimLive ?? isClaimLive;
    this.#sql = statementCache(db);
  }

  /**
   * Runs several writes in one immediate transaction (each record method keeps its own
   * all-or-nothing guarantee inside it, as a savepoint).
   */
  batch<T>(writes: () => T): T {
    return this.db.transaction(writes).immediate();
  }

    getComic(name: string): ComicState | null {
    return (this.#sql(`SELECT ${COMIC_COLUMNS} FROM comics WHERE name = ?`).get(name) as ComicState) ?? null;
  }

  /**
   * Records a successful fetch: baselines the comic the first time (or when its
   * feed URL changed), else inserts every entry key not seen before as unread;
   * stores the new validators in the same transaction.
   */
  recordSuccess(name: string, given: FetchSuccess): RecordResult {
    const now = this.#now().toISOString();
    const fetch = { ...given, entries: given.entries.map(storable) };
    return this.db.transaction((): RecordResult => {
      const state = this.getComic(name);
      const baseline = fetch.rebaseline === true || state === null || state.baselinedAt === null || state.feed !== fetch.feed;
      if (baseline) {
        this.#sql('DELETE FROM comics WHERE name = ?').run(name);
        this.#sql('INSERT INTO comics (name, feed, baselined_at) VALUES (?, ?, ?)').run(name, fetch.feed, now);
      }
      const ids = baseline ? this.#insertBaseline(name, fetch, now) : this.#insertNew(name, fetch.entries, now);
      this.#sql(
        `UPDATE comics SET feed = ?, etag = ?, last_modified = ?, last_checked = ?, last_success = ?,
           last_error = NULL, error_code = NULL, failure_streak = 0, failing_since = NULL WHERE name = ?`,
      ).run(fetch.feed, fetch.validators.etag, fetch.validators.lastModified, now, now, name);
      const rows = this.#reported(ids);
      return {
        baselined: baseline,
        added: rows.filter((row) => row.readAt === null),
        skipped: rows.filter((row) => row.readVia === 'skipped'),
      };
      // Immediate: a deferred transaction that reads first cannot wait for another writer.
    }).immediate();
  }

  /** Records a 304: nothing new, validators refreshed. */
  recordNotModified(name: string, feed: string, validators: FetchSuccess['validators']): void {
    const now = this.#now().toISOString();
    this.#sql(
      `UPDATE comics SET etag = ?, last_modified = ?, last_checked = ?, last_success = ?,
         last_error = NULL, error_code = NULL, failure_streak = 0, failing_since = NULL WHERE name = ? AND feed = ?`,
    ).run(validators.etag, validators.lastModified, now, now, name, feed);
  }

  /** Records a failed check; the comic's strips and validators stay as they were. */
  recordFailure(name: string, feed: string, error: { code: string; message: string }): void {
    const now = this.#now().toISOString();
    this.#sql(
      `INSERT INTO comics (name, feed, last_checked, last_error, error_code, failure_streak, failing_since)
       VALUES (@name, @feed, @now, @message, @code, 1, @now)
       ON CONFLICT (name) DO UPDATE SET last_checked = @now, last_error = @message, error_code = @code,
         failure_streak = failure_streak + 1, failing_since = COALESCE(failing_since, @now)`,
    ).run({ name, feed, now, message: capText(error.message, MAX_MESSAGE), code: error.code });
  }

  /**
   * Takes up to `limit` unread strips, oldest first, for this run alone: a strip
   * claimed by another live run is not handed out again, so two concurrent runs
   * never open the same strip. Claims of dead or stale runs are taken over.
   */
  claimUnread(options: { claimant: string; limit: number; comics?: readonly string[]; links?: 'with' | 'without' }): StripRow[] {
    const now = this.#now();
    // Tabs take strips with a web link; strips without one (an image and a title) go on a digest page.
    const links = options.links === 'with' ? `AND ${HAS_WEB_LINK}` : options.links === 'without' ? `AND NOT ${HAS_WEB_LINK}` : '';
    return this.db.transaction((): StripRow[] => {
      const candidates = this.#sql(
        `SELECT ${STRIP_COLUMNS}, claimed_by AS claimedBy, claimed_at AS claimedAt FROM strips
         WHERE read_at IS NULL AND ${IN_COMICS} ${links} ORDER BY ${OLDEST_FIRST}`,
      ).iterate(comicsParam(options.comics)) as IterableIterator<
        StripRow & { claimedBy: string | null; claimedAt: string | null }
      >;
      const taken: StripRow[] = [];
      for (const { claimedBy, claimedAt, ...strip } of candidates) {
        if (taken.length >= options.limit) break;
        if (claimedBy !== null && claimedBy !== options.claimant && this.#claimLive(claimedBy, claimedAt ?? '', now)) {
          continue;
        }
        taken.push(strip);
      }
      const claim = this.#sql('UPDATE strips SET claimed_by = ?, claimed_at = ? WHERE id = ?');
      for (const strip of taken) claim.run(options.claimant, now.toISOString(), strip.id);
      return taken;
    }).immediate();
  }

  /** Marks one strip read (after it was handed to the browser) and drops its claim. */
  markRead(id: number, via: ReadVia): void {
    this.#sql(
      `UPDATE strips SET read_at = ?, read_via = ?, claimed_by = NULL, claimed_at = NULL
       WHERE id = ? AND read_at IS NULL`,
    ).run(this.#now().toISOString(), via, id);
  }

  /**
   * Records what reading a strip's own page found for a strip recorded without an
   * image: the image (with its texts), or why there is none. Either way the page
   * is not read again for it.
   */
  recordStripImage(id: number, found: { image: string; alt: string | null; title: string | null } | { note: string }): void {
    const now = this.#now().toISOString();
    if ('note' in found) {
      this.#sql('UPDATE strips SET image_looked_at = ?, image_note = ? WHERE id = ?').run(now, capText(found.note, MAX_MESSAGE), id);
      return;
    }
    this.#sql('UPDATE strips SET image = ?, image_alt = ?, image_title = ?, image_looked_at = ?, image_note = NULL WHERE id = ?').run(
      found.image,
      capText(found.alt, MAX_IMAGE_TEXT),
      capText(found.title, MAX_IMAGE_TEXT),
      now,
      id,
    );
  }

  /** Gives back what a run claimed but did not open. */
  releaseClaims(claimant: string): void {
    this.#sql('UPDATE strips SET claimed_by = NULL, claimed_at = NULL WHERE claimed_by = ?').run(claimant);
  }

  /** Marks every unread strip of the given comics (all when undefined) read; returns how many. */
  markAllRead(comics?: readonly string[]): number {
    return this.#sql(
      `UPDATE strips SET read_at = @now, read_via = 'mark-read', claimed_by = NULL, claimed_at = NULL
       WHERE read_at IS NULL AND ${IN_COMICS}`,
    ).run({ now: this.#now().toISOString(), ...comicsParam(comics) }).changes;
  }

  /** Unread strips of the given comics (all when undefined). */
  countUnread(comics?: readonly string[]): number {
    const row = this.#sql(`SELECT count(*) AS n FROM strips WHERE read_at IS NULL AND ${IN_COMICS}`)
      .get(comicsParam(comics)) as { n: number };
    return row.n;
  }

  /**
   * Unread strips of the given comics split by who may open them: `claimed` are
   * held by another run that is still opening them (live claims), `left` are
   * waiting for whichever run comes next.
   */
  unreadByClaim(options: { claimant: string; comics?: readonly string[] }): { left: number; claimed: number } {
    const now = this.#now();
    const rows = this.#sql(
      `SELECT claimed_by AS claimedBy, claimed_at AS claimedAt, count(*) AS n FROM strips
       WHERE read_at IS NULL AND ${IN_COMICS} GROUP BY claimed_by, claimed_at`,
    ).all(comicsParam(options.comics)) as { claimedBy: string | null; claimedAt: string | null; n: number }[];
    let left = 0;
    let claimed = 0;
    for (const row of rows) {
      const live = row.claimedBy !== null && row.claimedBy !== options.claimant && this.#claimLive(row.claimedBy, row.claimedAt ?? '', now);
      if (live) claimed += row.n;
      else left += row.n;
    }
    return { left, claimed };
  }

  /** Unread strips, oldest first, without claiming them. */
  unread(comics?: readonly string[]): StripRow[] {
    return this.#sql(`SELECT ${STRIP_COLUMNS} FROM strips WHERE read_at IS NULL AND ${IN_COMICS} ORDER BY ${OLDEST_FIRST}`)
      .all(comicsParam(comics)) as StripRow[];
  }

  /** State of every comic the store knows, with unread counts and the last strip read. */
  summaries(): ComicSummary[] {
    const rows = this.#sql(
      `SELECT ${COMIC_COLUMNS},
         (SELECT count(*) FROM strips s WHERE s.comic = c.name AND s.read_at IS NULL) AS unread,
         (SELECT json_object('url', s.url, 'title', s.title) FROM strips s
            WHERE s.comic = c.name AND s.read_at IS NOT NULL AND s.read_via IN ('opened', 'digest', 'mark-read', 'baseline')
            ORDER BY s.read_at DESC, ${NEWEST_FIRST} LIMIT 1) AS lastRead
       FROM comics c ORDER BY name`,
    ).all() as (ComicState & { unread: number; lastRead: string | null })[];
    return rows.map((row) => ({ ...row, lastRead: row.lastRead === null ? null : JSON.parse(row.lastRead) }));
  }

  /** Strips most recently recorded first, for `comics history`. */
  history(options: { comic?: string; limit: number }): StripRow[] {
    return this.#sql(
      `SELECT ${STRIP_COLUMNS} FROM strips WHERE (@comic IS NULL OR comic = @comic)
       ORDER BY ${RECORDED_LAST_FIRST} LIMIT @limit`,
    ).all({ comic: options.comic ?? null, limit: options.limit }) as StripRow[];
  }

  /**
   * Whether a comic has any strip recorded, and whether any of these keys or
   * links is among them: the cheap test for a gap behind a feed's window,
   * answered from the indexes without reading the comic's strips.
   */
  knowsAny(name: string, ids: { keys: readonly string[]; urls: readonly string[] }): { recorded: boolean; seen: boolean } {
    const row = this.#sql(
    `SELECT EXISTS (SELECT 1 FROM strips WHERE comic = @name) AS recorded,
       EXISTS (SELECT 1 FROM strips WHERE comic = @name AND key IN (SELECT value FROM json_each(@keys))) OR
       EXISTS (SELECT 1 FROM strips WHERE comic = @name AND url IN (SELECT value FROM json_each(@urls))) AS seen`,
    ).get({ name, keys: JSON.stringify(ids.keys), urls: JSON.stringify(ids.urls) }) as { recorded: number; seen: number };
    return { recorded: row.recorded === 1, seen: row.seen === 1 };
  }

  /**
   * Every key, link and image recorded for a comic, for a page walk to know where
   * to stop (see knownStrips in src/pages/page-walk.ts).
   */
  stripIdentities(name: string): { keys: string[]; urls: string[]; images: string[] } {
    const rows = this.#sql('SELECT key, url, image FROM strips WHERE comic = ?').all(name) as {
      key: string;
      url: string | null;
      image: string | null;
    }[];
    return {
      keys: rows.map((row) => row.key),
      urls: rows.flatMap((row) => (row.url === null ? [] : [row.url])),
      images: rows.flatMap((row) => (row.image === null ? [] : [row.image])),
    };
  }

  /**
   * A comic's whole state and every strip it recorded (claims aside), for
   * `comics export`; null when the store does not know the comic.
   */
  snapshot(name: string): ComicSnapshot | null {
    const state = this.getComic(name);
    if (state === null) return null;
    const strips = this.#sql(`SELECT ${STRIP_COLUMNS} FROM strips WHERE comic = ? ORDER BY ${OLDEST_FIRST}`)
      .all(name)
      .map((row) => {
        const { id: _id, comic: _comic, ...strip } = row as StripRow;
        return strip;
      });
    const { name: _name, ...rest } = state;
    return { state: rest, strips };
  }

  /**
   * Puts back what {@link snapshot} took, replacing anything the store had for
   * `name`, in one transaction: `comics import` of an export.
   */
  restore(name: string, snapshot: ComicSnapshot): void {
    const { state, strips } = snapshot;
    this.db.transaction(() => {
      this.#sql('DELETE FROM comics WHERE name = ?').run(name);
      this.#sql(
        `INSERT INTO comics (name, feed, etag, last_modified, baselined_at, last_checked, last_success, last_error,
           error_code, failure_streak, failing_since)
         VALUES (@name, @feed, @etag, @lastModified, @baselinedAt, @lastChecked, @lastSuccess, @lastError,
           @errorCode, @failureStreak, @failingSince)`,
      ).run({ name, ...state, lastError: capText(state.lastError, MAX_MESSAGE) });
      const insert = this.#sql(
      `INSERT INTO strips (comic, key, url, title, published, image, image_alt, image_title, image_looked_at, image_note,
         position, order_at, first_seen, read_at, read_via, skipped)
       VALUES (@comic, @key, @url, @title, @published, @image, @imageAlt, @imageTitle, @imageLookedAt, @imageNote,
         @position, @orderAt, @firstSeen, @readAt, @readVia, @skipped)
       ON CONFLICT (comic, key) DO NOTHING`,
      );
      for (const strip of strips) {
        const capped = storable(strip);
        insert.run({
          comic: name,
          ...strip,
          key: capped.key,
          url: capped.url,
          title: capped.title,
          imageAlt: capped.imageAlt ?? null,
          imageTitle: capped.imageTitle ?? null,
          imageNote: capText(strip.imageNote, MAX_MESSAGE),
          skipped: capped.skipped ?? null,
        });
      }
    }).immediate();
  }

  /** Forgets a comic and its strips. */
  removeComic(name: string): boolean {
    return this.#sql('DELETE FROM comics WHERE name = ?').run(name).changes > 0;
  }

  /** Everything counts as read but the newest `unreadAtBaseline` entries (by date, else feed order). */
  #insertBaseline(name: string, fetch: FetchSuccess, now: string): number[] {
    const newest = fetch.entries
      .map((entry, position) => ({ entry, position }))
      .sort((a, b) => compareNewestFirst(a.entry.published, a.position, b.entry.published, b.position))
      .filter(({ entry }) => !entry.skipped)
      .slice(0, Math.max(0, fetch.unreadAtBaseline))
      .map(({ position }) => position);
    const keepUnread = new Set(newest);
    return this.#insert(name, fetch.entries, now, (entry, position) =>
      entry.skipped ? 'skipped' : keepUnread.has(position) ? null : 'baseline',
    );
  }

  #insertNew(name: string, entries: readonly StripInput[], now: string): number[] {
    const seen = this.#sql('SELECT 1 FROM strips WHERE comic = ? AND key = ?').pluck();
    const knownUrl = this.#sql('SELECT 1 FROM strips WHERE comic = ? AND url = ? LIMIT 1').pluck();
    const urlCounts = new Map<string, number>();
    for (const entry of entries) if (entry.url) urlCounts.set(entry.url, (urlCounts.get(entry.url) ?? 0) + 1);
    const legacyCounts = new Map<string, number>();
    for (const entry of entries) if (entry.legacyKey) legacyCounts.set(entry.legacyKey, (legacyCounts.get(entry.legacyKey) ?? 0) + 1);
    const rekey = this.#sql('UPDATE strips SET key = ? WHERE comic = ? AND key = ?');
    const known = (entry: StripInput): boolean => {
      if (seen.get(name, entry.key)) return true;
      // Recorded under the key an earlier version gave it: the same strip, if that key names only this
      // entry of the feed (entries that once shared one key were never told apart). It takes its new key.
      if (entry.legacyKey && legacyCounts.get(entry.legacyKey) === 1 && seen.get(name, entry.legacyKey)) {
        rekey.run(entry.key, name, entry.legacyKey);
        return true;
      }
      return false;
    };
    const fresh = entries.map((entry, position) => ({ entry, position })).filter(({ entry }) => !known(entry));
    return this.#insert(
      name,
      entries,
      now,
      (entry) => {
        if (entry.skipped) return 'skipped';
        // A feed that changes its ids must not reopen strips already known by their link;
        // links shared by several entries (a feed linking every item to the home page) prove nothing.
        if (entry.url && !entry.sharedUrl && urlCounts.get(entry.url) === 1 && knownUrl.get(name, entry.url)) return 'duplicate';
        return null;
      },
      new Set(fresh.map(({ position }) => position)),
    );
  }

  /**
   * Inserts entries (only `only` positions when given), read with `readVia(...)` or unread
   * when it is null. Returns the ids of the rows inserted unread or skipped: what a check
   * reports (a baseline usually has none, and then nothing needs reading back).
   */
  #insert(
    name: string,
    entries: readonly StripInput[],
    now: string,
    readVia: (entry: StripInput, position: number) => ReadVia | null,
    only?: Set<number>,
  ): number[] {
    // Positional parameters bind faster than an object by name (with reading back only the rows a
    // check reports, a 200-comic baseline went from ~45 to ~36 ms, measured).
    const insert = this.#sql(
    `INSERT INTO strips (comic, key, url, title, published, image, image_alt, image_title, position, order_at, first_seen, read_at, read_via, skipped)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (comic, key) DO NOTHING`,
    );
    const ids: number[] = [];
    entries.forEach((entry, position) => {
      if (only && !only.has(position)) return;
      const via = readVia(entry, position);
      const result = insert.run(
        name,
        entry.key,
        entry.url,
        entry.title,
        entry.published,
        entry.image,
        entry.imageAlt ?? null,
        entry.imageTitle ?? null,
        position,
        entry.orderAt ?? null,
        now,
        via === null ? null : now,
        via,
        entry.skipped ?? null,
      );
      if (result.changes > 0 && (via === null || via === 'skipped')) ids.push(Number(result.lastInsertRowid));
    });
    return ids;
  }

  /** The strips just inserted unread or skipped (what a check reports), oldest first. */
  #reported(ids: number[]): StripRow[] {
    if (ids.length === 0) return [];
    return this.#sql(
    `SELECT ${STRIP_COLUMNS} FROM strips WHERE id IN (SELECT value FROM json_each(?))
       AND (read_at IS NULL OR read_via = 'skipped') ORDER BY ${OLDEST_FIRST}`,
    ).all(JSON.stringify(ids)) as StripRow[];
  }
}

/**
 * An entry as the store keeps it: free text cut to its limit, an overlong key
 * hashed, an overlong link dropped (and the strip never opened); see src/text/limits.ts.
 * Exported for the archive, which records the strips its walk back finds.
 *
 * @example
 * storable({ key: 'k', url: null, title: 'x'.repeat(9999), published: null, image: null }).title?.length // 500
 */
export function storable(entry: StripInput): StripInput {
  const tooLong = entry.url !== null && entry.url.length > MAX_URL;
  return {
    ...entry,
    key: capKey(entry.key),
    url: tooLong ? null : entry.url,
    title: capText(entry.title, MAX_TITLE),
    imageAlt: capText(entry.imageAlt ?? null, MAX_IMAGE_TEXT),
    imageTitle: capText(entry.imageTitle ?? null, MAX_IMAGE_TEXT),
    skipped: tooLong ? `the link is longer than ${MAX_URL} characters` : capText(entry.skipped ?? null, MAX_MESSAGE),
  };
}

/** Newest first by date; undated entries keep feed order (earlier in the feed = newer). */
function compareNewestFirst(aDate: string | null, aPos: number, bDate: string | null, bPos: number): number {
  if (aDate !== null && bDate !== null && aDate !== bDate) return aDate < bDate ? 1 : -1;
  return aPos - bPos;
}
