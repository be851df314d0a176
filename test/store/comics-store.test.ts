import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComicsStore, type StripInput } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

let dir: string;
let clock: Date;
const now = () => clock;

function entry(n: number, published: string | null = `2024-01-${String(n).padStart(2, '0')}T00:00:00.000Z`): StripInput {
  return { key: `id-${n}`, url: `https://comic.test/${n}`, title: `Strip ${n}`, published, image: null };
}
/** Feeds list newest first. */
function feed(...numbers: number[]): StripInput[] {
  return numbers.sort((a, b) => b - a).map((n) => entry(n));
}
const validators = { etag: '"e1"', lastModified: null };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-store-'));
  clock = new Date('2024-02-01T10:00:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(options: ConstructorParameters<typeof ComicsStore>[1] = {}) {
  return new ComicsStore(openDatabase(join(dir, 'sub', 'comics.db')), { now, ...options });
}

describe('openDatabase', () => {
  it('creates the file and folder, uses WAL and records the schema version', () => {
    const db = openDatabase(join(dir, 'sub', 'comics.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('cache_size', { simple: true })).toBe(-2000);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
    // Opening again applies nothing twice.
    openDatabase(join(dir, 'sub', 'comics.db')).close();
  });

  it('refuses a database from a newer version of the program', () => {
    const file = join(dir, 'new.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this program knows/);
  });

  it('keeps the crawl links of a version 3 database when it re-keys them (migration 4)', () => {
    const file = join(dir, 'v3.db');
    openDatabase(file, MIGRATIONS.slice(0, 3)).close();
    const raw = new Database(file);
    raw.exec(`INSERT INTO crawl_runs (id, started_at, updated_at, status, seeds, options) VALUES (1, 'x', 'x', 'finished', '[]', '{}');
      INSERT INTO crawl_links (run, to_id, from_id) VALUES (1, 5, 2), (1, 3, 2), (1, 5, 4);`);
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT run, from_id, to_id FROM crawl_links').raw().all()).toEqual([
      [1, 2, 3],
      [1, 2, 5],
      [1, 4, 5],
    ]);
    db.close();
  });

  it('reports an unopenable path with the file name', () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a folder');
    expect(() => openDatabase(join(file, 'comics.db'))).toThrow(/Cannot open the database .*plain-file/);
  });
});

describe('ComicsStore', () => {
  it('baselines a comic the first time: everything read but the newest n', () => {
    const store = open();
    const result = store.recordSuccess('xkcd', {
      feed: 'https://comic.test/feed',
      entries: feed(1, 2, 3, 4),
      validators,
      unreadAtBaseline: 2,
    });
    expect(result.baselined).toBe(true);
    expect(result.added.map((s) => s.key)).toEqual(['id-3', 'id-4']);
    expect(store.countUnread()).toBe(2);
    expect(store.getComic('xkcd')).toMatchObject({ etag: '"e1"', failureStreak: 0 });
  });

  it('records only entries not seen before, unread, oldest first', () => {
    const store = open();
    store.recordSuccess('xkcd', { feed: 'f', entries: feed(1, 2), validators, unreadAtBaseline: 0 });
    clock = new Date('2024-02-02T10:00:00Z');
    const result = store.recordSuccess('xkcd', { feed: 'f', entries: feed(2, 3, 4), validators, unreadAtBaseline: 0 });
    expect(result.baselined).toBe(false);
    expect(result.added.map((s) => s.key)).toEqual(['id-3', 'id-4']);
    // The same feed again: nothing new.
    expect(store.recordSuccess('xkcd', { feed: 'f', entries: feed(2, 3, 4), validators, unreadAtBaseline: 0 }).added).toEqual([]);
  });

  it('orders undated strips by feed order, oldest (last in the feed) first', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: [], validators, unreadAtBaseline: 0 });
    const undated = [entry(9, null), entry(8, null), entry(7, null)];
    store.recordSuccess('c', { feed: 'f', entries: undated, validators, unreadAtBaseline: 0 });
    expect(store.unread().map((s) => s.key)).toEqual(['id-7', 'id-8', 'id-9']);
  });

  it('baselines again when the feed URL changed, instead of flooding', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'old', entries: feed(1), validators, unreadAtBaseline: 0 });
    const result = store.recordSuccess('c', { feed: 'new', entries: feed(5, 6, 7), validators, unreadAtBaseline: 0 });
    expect(result.baselined).toBe(true);
    expect(store.countUnread()).toBe(0);
  });

  it('does not reopen a strip whose id changed but whose link is known', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: feed(1, 2), validators, unreadAtBaseline: 0 });
    const renamed = feed(1, 2).map((e) => ({ ...e, key: `new-${e.key}` }));
    const result = store.recordSuccess('c', { feed: 'f', entries: [entry(3), ...renamed], validators, unreadAtBaseline: 0 });
    expect(result.added.map((s) => s.key)).toEqual(['id-3']);
  });

  it('still records new strips when every entry links to the same page', () => {
    const store = open();
    const home = (n: number) => ({ ...entry(n), url: 'https://comic.test/' });
    store.recordSuccess('c', { feed: 'f', entries: [home(2), home(1)], validators, unreadAtBaseline: 0 });
    const result = store.recordSuccess('c', { feed: 'f', entries: [home(3), home(2)], validators, unreadAtBaseline: 0 });
    expect(result.added.map((s) => s.key)).toEqual(['id-3']);
  });

  it('records unsafe strips as skipped, never unread', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: [], validators, unreadAtBaseline: 0 });
    const result = store.recordSuccess('c', {
      feed: 'f',
      entries: [{ ...entry(1), url: 'javascript:alert(1)', skipped: 'not an http(s) URL' }, entry(2)],
      validators,
      unreadAtBaseline: 0,
    });
    expect(result.skipped.map((s) => [s.key, s.skipped])).toEqual([['id-1', 'not an http(s) URL']]);
    expect(store.unread().map((s) => s.key)).toEqual(['id-2']);
  });

  it('keeps strips and validators when a check fails, counting the streak', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: feed(1), validators, unreadAtBaseline: 1 });
    store.recordFailure('c', 'f', { code: 'E_HTTP_STATUS', message: 'Request failed with status 500' });
    store.recordFailure('c', 'f', { code: 'E_HTTP_STATUS', message: 'Request failed with status 500' });
    expect(store.getComic('c')).toMatchObject({ etag: '"e1"', failureStreak: 2, errorCode: 'E_HTTP_STATUS' });
    expect(store.countUnread()).toBe(1);
    store.recordNotModified('c', 'f', { etag: '"e2"', lastModified: null });
    expect(store.getComic('c')).toMatchObject({ etag: '"e2"', failureStreak: 0, lastError: null });
  });

  it('never hands the same strip to two live runs', () => {
    const first = open({ claimLive: () => true });
    first.recordSuccess('c', { feed: 'f', entries: feed(1, 2, 3), validators, unreadAtBaseline: 3 });
    // A second connection, as another process would have.
    const second = open({ claimLive: () => true });
    const a = first.claimUnread({ claimant: 'run-a', limit: 2 });
    const b = second.claimUnread({ claimant: 'run-b', limit: 2 });
    expect(a.map((s) => s.key)).toEqual(['id-1', 'id-2']);
    expect(b.map((s) => s.key)).toEqual(['id-3']);
  });

  it('takes over the claims of a run that died', () => {
    const store = open({ claimLive: (claimant) => claimant !== 'dead-run' });
    store.recordSuccess('c', { feed: 'f', entries: feed(1, 2), validators, unreadAtBaseline: 2 });
    store.claimUnread({ claimant: 'dead-run', limit: 2 });
    expect(store.claimUnread({ claimant: 'run-b', limit: 5 }).map((s) => s.key)).toEqual(['id-1', 'id-2']);
  });

  it('counts strips another live run is opening apart from those left for the next run', () => {
    const store = open({ claimLive: (claimant) => claimant !== 'dead-run' });
    store.recordSuccess('c', { feed: 'f', entries: feed(1, 2, 3, 4, 5, 6), validators, unreadAtBaseline: 6 });
    store.claimUnread({ claimant: 'run-b', limit: 3 });
    store.claimUnread({ claimant: 'dead-run', limit: 1 });
    store.claimUnread({ claimant: 'run-a', limit: 1 });
    expect(store.unreadByClaim({ claimant: 'run-a' })).toEqual({ left: 3, claimed: 3 });
    expect(store.unreadByClaim({ claimant: 'run-a', comics: ['other'] })).toEqual({ left: 0, claimed: 0 });
  });

  it('marks read only what was opened and releases the rest', () => {
    const store = open({ claimLive: () => true });
    store.recordSuccess('c', { feed: 'f', entries: feed(1, 2), validators, unreadAtBaseline: 2 });
    const [first] = store.claimUnread({ claimant: 'run-a', limit: 2 });
    store.markRead(first!.id, 'opened');
    store.releaseClaims('run-a');
    expect(store.claimUnread({ claimant: 'run-b', limit: 5 }).map((s) => s.key)).toEqual(['id-2']);
  });

  it('summarises comics with unread counts and the last strip read', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: feed(1, 2, 3), validators, unreadAtBaseline: 1 });
    expect(store.summaries()).toMatchObject([
      { name: 'c', feed: 'f', unread: 1, lastRead: { url: 'https://comic.test/2', title: 'Strip 2' } },
    ]);
    expect(store.markAllRead(['c'])).toBe(1);
    expect(store.summaries()[0]!.lastRead).toEqual({ url: 'https://comic.test/3', title: 'Strip 3' });
  });

  it('lists history by when strips were recorded, newest recording first, then by date', () => {
    const store = open();
    clock = new Date('2026-11-01T07:00:00Z');
    store.recordSuccess('c', { feed: 'f', entries: [entry(20, '2026-10-20T00:00:00.000Z'), entry(19, '2026-10-19T00:00:00.000Z')], validators, unreadAtBaseline: 0 });
    clock = new Date('2026-12-01T07:00:00Z');
    // Found later, but dated long ago (a catch-up, a feed with old dates).
    store.recordSuccess('c', { feed: 'f', entries: [entry(3, '2016-01-03T00:00:00.000Z'), entry(2, '2016-01-02T00:00:00.000Z')], validators, unreadAtBaseline: 0 });
    expect(store.history({ limit: 10 }).map((s) => s.key)).toEqual(['id-3', 'id-2', 'id-20', 'id-19']);
  });

  it('lists history newest first and forgets removed comics', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: feed(1, 2, 3), validators, unreadAtBaseline: 0 });
    expect(store.history({ comic: 'c', limit: 2 }).map((s) => s.key)).toEqual(['id-3', 'id-2']);
    expect(store.removeComic('c')).toBe(true);
    expect(store.history({ limit: 10 })).toEqual([]);
  });
});
