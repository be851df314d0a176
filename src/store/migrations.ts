import type Database from 'better-sqlite3';

/** One schema step; its position in {@link MIGRATIONS} (1-based) is the `user_version` it sets. */
export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

/**
 * Schema history. Append only: never edit a migration that has shipped.
 * 1: comics and strips (`comics check`); 2: crawl runs (`comics crawl`).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'comics and strips',
    up(db) {
      db.exec(`
        CREATE TABLE comics (
          name TEXT PRIMARY KEY,
          feed TEXT NOT NULL,
          etag TEXT,
          last_modified TEXT,
          baselined_at TEXT,
          last_checked TEXT,
          last_success TEXT,
          last_error TEXT,
          error_code TEXT,
          failure_streak INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE TABLE strips (
          id INTEGER PRIMARY KEY,
          comic TEXT NOT NULL REFERENCES comics(name) ON DELETE CASCADE ON UPDATE CASCADE,
          key TEXT NOT NULL,
          url TEXT,
          title TEXT,
          published TEXT,
          image TEXT,
          position INTEGER NOT NULL DEFAULT 0,
          first_seen TEXT NOT NULL,
          read_at TEXT,
          read_via TEXT,
          skipped TEXT,
          claimed_by TEXT,
          claimed_at TEXT,
          UNIQUE (comic, key)
        ) STRICT;
        CREATE INDEX strips_unread ON strips (comic) WHERE read_at IS NULL;
        CREATE INDEX strips_url ON strips (comic, url);
      `);
    },
  },
];
