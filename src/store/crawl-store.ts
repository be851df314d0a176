import type { Statement } from 'better-sqlite3';
import { ComicsError, errorMessage } from '../errors.js';
import type { Db } from './database.js';

/** How a URL entered the frontier. */
export type CrawlVia = 'seed' | 'link' | 'redirect';
/** queued: not fetched yet (the saved frontier); done: fetched, whatever the outcome; blocked: robots.txt said no; skipped: not fetched because its host kept failing. */
export type CrawlState = 'queued' | 'done' | 'blocked' | 'skipped';
export type CrawlRunStatus = 'running' | 'interrupted' | 'finished';

export interface CrawlRunRow {
  id: number;
  status: CrawlRunStatus;
  startedAt: string;
  finishedAt: string | null;
  seeds: string[];
  /** The options the run was started with, as the crawler saved them. */
  options: Record<string, unknown>;
  elapsedMs: number;
}

/** A URL waiting in the frontier, as saved. */
export interface QueuedUrl {
  id: number;
  url: string;
  site: number;
  depth: number;
  fromId: number | null;
  /** URL of the referring page, or null for a seed. */
  from: string | null;
  via: CrawlVia;
  /** Redirects that led here. */
  hops: number;
}

export interface NewUrl {
  url: string;
  site: number;
  depth: number;
  fromId: number | null;
  via: CrawlVia;
  hops: number;
}

/** What became of a URL. */
export interface UrlOutcome {
  state: Exclude<CrawlState, 'queued'>;
  status: number | null;
  finalUrl: string | null;
  contentType: string | null;
  bytes: number;
  ms: number;
  tries: number;
  redirectTo: string | null;
  links: number;
  errorCode: string | null;
  error: string | null;
}

export interface SavedRobots {
  status: number | null;
  body: string | null;
  error: string | null;
}

export interface SiteTotals {
  site: number;
  pages: number;
  errors: number;
  blocked: number;
  queued: number;
  bytes: number;
  /** True when one of the site's seeds (or a redirect from one) answered 2xx. */
  seedOk: boolean;
}

export interface BrokenUrl {
  url: string;
  status: number | null;
  error: string | null;
  /** The page the URL was first found on (null for a seed). */
  from: string | null;
  site: number;
}

export interface RedirectRow {
  url: string;
  status: number;
  to: string;
  finalUrl: string | null;
  from: string | null;
}

export interface FeedRow {
  url: string;
  site: number;
  type: string;
  title: string | null;
  from: string;
  /** The state of the feed URL's own row in this run; null when the crawl never queued it. */
  state: string | null;
  /** The state at the end of its redirects (its own when there are none); null when not reached. */
  finalState: string | null;
  status: number | null;
  contentType: string | null;
  error: string | null;
}

/** Links written by one multi-row INSERT. */
const LINK_CHUNK = 16;

/** Rows written between commits; a commit also happens on {@link CrawlStore.flush}. */
const BATCH_ROWS = 5000;

/** SQL for a failed row: not fetched because its host kept failing, a network or protocol error, or HTTP 400 and up. */
function failed(table = ''): string {
  const t = table === '' ? '' : `${table}.`;
  return `(${t}state = 'skipped' OR (${t}state = 'done' AND (${t}error IS NOT NULL OR ${t}status >= 400)))`;
}
const FAILED = failed();

/**
 * Crawl runs in SQLite: the frontier, every fetched URL, the links between pages,
 * feeds found and robots.txt answers, written in batched transactions so a crawl
 * streams its results to disk instead of keeping them in memory.
 *
 * Writes open a transaction that stays open until {@link flush} (the crawler calls
 * it a few times a second and when it stops) or until a batch is full; a run killed
 * outright loses at most the last batch, whose URLs are still queued and are
 * fetched again on `--resume`.
 *
 * @example
 * const store = new CrawlStore(openDatabase('data/comics.db'));
 * const run = store.createRun(['https://xkcd.com/'], { maxPages: 100 });
 */
export class CrawlStore {
  readonly #db: Db;
  readonly #now: () => Date;
  #pendingRows = 0;
  readonly #insertUrl: Statement;
  readonly #record: Statement;
  readonly #finalUrl: Statement;
  readonly #insertLink: Statement;
  readonly #insertLinks: Statement;
  readonly #insertFeed: Statement;
  readonly #lookup: Statement;
  readonly #queued: Statement;

  constructor(db: Db, options: { now?: () => Date } = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
    this.#insertUrl = db.prepare(
      `INSERT INTO crawl_pages (run, url, site, depth, from_id, via, hops, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'queued') ON CONFLICT (run, url) DO NOTHING`,
    );
    this.#record = db.prepare(
      `UPDATE crawl_pages SET state = ?, status = ?, final_url = ?, content_type = ?, bytes = ?, ms = ?, tries = ?,
         redirect_to = ?, links = ?, error_code = ?, error = ?, fetched_at = ? WHERE id = ?`,
    );
    this.#finalUrl = db.prepare(
      'UPDATE crawl_pages SET final_url = ? WHERE id = ? AND final_url IS NULL RETURNING from_id, via',
    );
    this.#insertLink = db.prepare('INSERT OR IGNORE INTO crawl_links (run, from_id, to_id) VALUES (?, ?, ?)');
    this.#insertLinks = db.prepare(
      `INSERT OR IGNORE INTO crawl_links (run, from_id, to_id) VALUES ${Array(LINK_CHUNK).fill('(?, ?, ?)').join(', ')}`,
    );
    this.#insertFeed = db.prepare(
      'INSERT OR IGNORE INTO crawl_feeds (run, url, site, type, title, from_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#lookup = db.prepare('SELECT id, state, final_url AS finalUrl FROM crawl_pages WHERE run = ? AND url = ?');
    this.#queued = db.prepare(
      `SELECT p.id, p.url, p.site, p.depth, p.from_id AS fromId, f.url AS "from", p.via, p.hops
       FROM crawl_pages p LEFT JOIN crawl_pages f ON f.id = p.from_id
       WHERE p.run = ? AND p.site = ? AND p.state = 'queued' AND p.id > ? ORDER BY p.id LIMIT ?`,
    );
  }

  /** Starts a run and returns its id. */
  createRun(seeds: readonly string[], options: Record<string, unknown>): number {
    const now = this.#now().toISOString();
    return this.#guard(() => {
      this.#begin();
      const info = this.#db
        .prepare(
          `INSERT INTO crawl_runs (started_at, updated_at, status, seeds, options) VALUES (?, ?, 'running', ?, ?)`,
        )
        .run(now, now, JSON.stringify(seeds), JSON.stringify(options));
      return Number(info.lastInsertRowid);
    });
  }

  /** A saved run; E_NOT_FOUND when there is none with that id. */
  getRun(id: number): CrawlRunRow {
    const row = this.#db
      .prepare(
        `SELECT id, status, started_at AS startedAt, finished_at AS finishedAt, seeds, options, elapsed_ms AS elapsedMs
         FROM crawl_runs WHERE id = ?`,
      )
      .get(id) as (Omit<CrawlRunRow, 'seeds' | 'options'> & { seeds: string; options: string }) | undefined;
    if (row === undefined) throw new ComicsError('E_NOT_FOUND', `No crawl run ${id} in the database`);
    return { ...row, seeds: JSON.parse(row.seeds) as string[], options: JSON.parse(row.options) as Record<string, unknown> };
  }

  /** Sets a run's status and adds to its elapsed time. */
  updateRun(id: number, status: CrawlRunStatus, addElapsedMs: number): void {
    const now = this.#now().toISOString();
    this.#guard(() => {
      this.#begin();
      this.#db
        .prepare(
          `UPDATE crawl_runs SET status = ?, updated_at = ?, elapsed_ms = elapsed_ms + ?,
             finished_at = CASE WHEN ? = 'finished' THEN ? ELSE finished_at END WHERE id = ?`,
        )
        .run(status, now, Math.round(addElapsedMs), status, now, id);
    });
  }

  /** Adds a URL to the frontier; returns its id, or null when the run already has it. */
  addUrl(run: number, url: NewUrl): number | null {
    return this.#guard(() => {
      this.#begin();
      const info = this.#insertUrl.run(run, url.url, url.site, url.depth, url.fromId, url.via, url.hops);
      if (info.changes === 0) return null;
      this.#pendingRows++;
      return Number(info.lastInsertRowid);
    });
  }

  /** The saved state of a URL of the run, if it has one. */
  lookup(run: number, url: string): { id: number; state: CrawlState; finalUrl: string | null } | undefined {
    return this.#lookup.get(run, url) as { id: number; state: CrawlState; finalUrl: string | null } | undefined;
  }

  /** Records what became of a URL. */
  record(id: number, outcome: UrlOutcome): void {
    const o = outcome;
    this.#guard(() => {
      this.#begin();
      this.#record.run(
        o.state,
        o.status,
        o.finalUrl,
        o.contentType,
        o.bytes,
        o.ms,
        o.tries,
        o.redirectTo,
        o.links,
        o.errorCode,
        o.error,
        this.#now().toISOString(),
        id,
      );
      this.#pendingRows++;
    });
  }

  /**
   * Sets the final URL of the redirect chain ending at a page: on `id`, then on each
   * redirect that led there and has none yet. Returns the ids updated.
   */
  resolveChain(id: number, finalUrl: string): number[] {
    return this.#guard(() => {
      this.#begin();
      const updated: number[] = [];
      let current: number | null = id;
      while (current !== null) {
        const row = this.#finalUrl.get(finalUrl, current) as { from_id: number | null; via: CrawlVia } | undefined;
        if (row === undefined) break;
        updated.push(current);
        current = row.via === 'redirect' ? row.from_id : null;
      }
      return updated;
    });
  }

  /** Records links from a page to URLs of the run, by id (each edge once). */
  addLinks(run: number, fromId: number, toIds: readonly number[]): void {
    // In key order, so the page's rows go into the table's B-tree side by side.
    const targets = [...toIds].sort((a, b) => a - b);
    this.#guard(() => {
      this.#begin();
      // Multi-row statements: one call into SQLite per LINK_CHUNK links.
      let i = 0;
      if (targets.length >= LINK_CHUNK) {
        const values: number[] = new Array<number>(LINK_CHUNK * 3);
        for (; i + LINK_CHUNK <= targets.length; i += LINK_CHUNK) {
          for (let k = 0; k < LINK_CHUNK; k++) {
            values[k * 3] = run;
            values[k * 3 + 1] = fromId;
            values[k * 3 + 2] = targets[i + k]!;
          }
          this.#insertLinks.run(values);
        }
      }
      for (; i < targets.length; i++) this.#insertLink.run(run, fromId, targets[i]);
      this.#pendingRows += targets.length;
    });
  }

  /** Every URL of a run with its id, to rebuild the crawler's dedup index on resume. */
  *urls(run: number): IterableIterator<{ id: number; url: string }> {
    yield* this.#db.prepare('SELECT id, url FROM crawl_pages WHERE run = ?').iterate(run) as IterableIterator<{
      id: number;
      url: string;
    }>;
  }

  /** Records a feed found on a page; the first page to mention it is kept. */
  addFeed(run: number, feed: { url: string; site: number; type: string; title: string | null }, fromId: number): void {
    this.#guard(() => {
      this.#begin();
      this.#insertFeed.run(run, feed.url, feed.site, feed.type, feed.title, fromId);
    });
  }

  saveRobots(run: number, origin: string, robots: SavedRobots): void {
    this.#guard(() => {
      this.#begin();
      this.#db
        .prepare(
          `INSERT OR REPLACE INTO crawl_robots (run, origin, status, body, error, fetched_at) VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(run, origin, robots.status, robots.body, robots.error, this.#now().toISOString());
    });
  }

  loadRobots(run: number, origin: string): SavedRobots | undefined {
    return this.#db
      .prepare('SELECT status, body, error FROM crawl_robots WHERE run = ? AND origin = ?')
      .get(run, origin) as SavedRobots | undefined;
  }

  /** Queued URLs of one site with ids above `afterId`, oldest first: how the frontier pages itself in. */
  queued(run: number, site: number, afterId: number, limit: number): QueuedUrl[] {
    return this.#queued.all(run, site, afterId, limit) as QueuedUrl[];
  }

  /** URLs per site of a run, any state: what counts against --max-pages. */
  urlsPerSite(run: number): Map<number, number> {
    const rows = this.#db
      .prepare('SELECT site, COUNT(*) AS n FROM crawl_pages WHERE run = ? GROUP BY site')
      .all(run) as { site: number; n: number }[];
    return new Map(rows.map((row) => [row.site, row.n]));
  }

  /** Counts by state for a run. */
  counts(run: number): { done: number; queued: number; errors: number; blocked: number } {
    return this.#db
      .prepare(
        `SELECT COUNT(*) FILTER (WHERE state = 'done') AS done, COUNT(*) FILTER (WHERE state = 'queued') AS queued,
           COUNT(*) FILTER (WHERE ${FAILED}) AS errors, COUNT(*) FILTER (WHERE state = 'blocked') AS blocked
         FROM crawl_pages WHERE run = ?`,
      )
      .get(run) as { done: number; queued: number; errors: number; blocked: number };
  }

  /** Per-site totals, by site index. */
  siteTotals(run: number): SiteTotals[] {
    const rows = this.#db
      .prepare(
        `SELECT site, COUNT(*) FILTER (WHERE state = 'done') AS pages, COUNT(*) FILTER (WHERE ${FAILED}) AS errors,
           COUNT(*) FILTER (WHERE state = 'blocked') AS blocked, COUNT(*) FILTER (WHERE state = 'queued') AS queued,
           COALESCE(SUM(bytes), 0) AS bytes,
           MAX(depth = 0 AND state = 'done' AND error IS NULL AND status BETWEEN 200 AND 299) AS seedOk
         FROM crawl_pages WHERE run = ? GROUP BY site ORDER BY site`,
      )
      .all(run) as (Omit<SiteTotals, 'seedOk'> & { seedOk: number })[];
    return rows.map((row) => ({ ...row, seedOk: row.seedOk === 1 }));
  }

  /** The seeds (and redirects from them) of a site that failed, for the message on exit 1. */
  seedFailures(run: number, site: number): BrokenUrl[] {
    return this.#db
      .prepare(
        `SELECT url, status, error, NULL AS "from", site FROM crawl_pages
         WHERE run = ? AND site = ? AND depth = 0 AND state != 'queued' ORDER BY id`,
      )
      .all(run, site) as BrokenUrl[];
  }

  /** Failed URLs with the page each was first found on, in crawl order. */
  *broken(run: number): IterableIterator<BrokenUrl> {
    yield* this.#db
      .prepare(
        `SELECT p.url, p.status, p.error, f.url AS "from", p.site FROM crawl_pages p
         LEFT JOIN crawl_pages f ON f.id = p.from_id WHERE p.run = ? AND ${failed('p')} ORDER BY p.id`,
      )
      .iterate(run) as IterableIterator<BrokenUrl>;
  }

  /**
   * The pages that link to each failed URL of the run (see {@link broken}), at most
   * `limit` per URL, first found first, keyed by the failed URL. One pass over the
   * run's links: they are keyed by the linking page, so there is no index by target.
   */
  brokenReferrers(run: number, limit = 20): Map<string, string[]> {
    // CROSS JOIN keeps the links as the outer loop: each target is then one rowid lookup.
    const rows = this.#db
      .prepare(
        `SELECT t.url AS target, p.url AS referrer FROM crawl_links l
         CROSS JOIN crawl_pages t ON t.id = l.to_id
         CROSS JOIN crawl_pages p ON p.id = l.from_id
         WHERE l.run = ? AND ${failed('t')} ORDER BY l.to_id, l.from_id`,
      )
      .iterate(run) as IterableIterator<{ target: string; referrer: string }>;
    const referrers = new Map<string, string[]>();
    for (const { target, referrer } of rows) {
      const list = referrers.get(target);
      if (list === undefined) referrers.set(target, [referrer]);
      else if (list.length < limit) list.push(referrer);
    }
    return referrers;
  }

  *redirects(run: number): IterableIterator<RedirectRow> {
    yield* this.#db
      .prepare(
        `SELECT p.url, p.status, p.redirect_to AS "to", p.final_url AS finalUrl, f.url AS "from" FROM crawl_pages p
         LEFT JOIN crawl_pages f ON f.id = p.from_id WHERE p.run = ? AND p.redirect_to IS NOT NULL ORDER BY p.id`,
      )
      .iterate(run) as IterableIterator<RedirectRow>;
  }

  /** Feeds found, each with how its own URL answered in this run (the end of its redirects), if it was fetched. */
  feeds(run: number): FeedRow[] {
    return this.#db
      .prepare(
        `SELECT d.url, d.site, d.type, d.title, p.url AS "from", f.state,
           CASE WHEN f.redirect_to IS NULL THEN f.state ELSE t.state END AS finalState,
           COALESCE(t.status, f.status) AS status, COALESCE(t.content_type, f.content_type) AS contentType,
           COALESCE(t.error, f.error) AS error
         FROM crawl_feeds d JOIN crawl_pages p ON p.id = d.from_id
         LEFT JOIN crawl_pages f ON f.run = d.run AND f.url = d.url
         LEFT JOIN crawl_pages t ON f.redirect_to IS NOT NULL AND t.run = d.run AND t.url = f.final_url
         WHERE d.run = ? ORDER BY d.site, p.id, d.url`,
      )
      .all(run) as FeedRow[];
  }

  /** Commits the open batch, if any. */
  flush(): void {
    if (!this.#db.inTransaction) return;
    this.#guard(() => this.#db.exec('COMMIT'));
    this.#pendingRows = 0;
  }

  #begin(): void {
    if (this.#pendingRows >= BATCH_ROWS) this.flush();
    if (!this.#db.inTransaction) this.#db.exec('BEGIN IMMEDIATE');
  }

  /** Storage errors stop a run: they become E_STORE. */
  #guard<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (error instanceof ComicsError) throw error;
      throw new ComicsError('E_STORE', `Cannot write the crawl to the database: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
}
