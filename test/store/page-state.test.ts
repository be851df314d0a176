import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ComicsStore, type StripInput } from '../../src/store/comics-store.js';
import { migrate, openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

let dir: string;
let clock: Date;
const validators = { etag: null, lastModified: null };
const dated = (n: number): StripInput => ({ key: `g${n}`, url: `https://c.test/${n}/`, title: `#${n}`, published: `2024-01-${String(n).padStart(2, '0')}T00:00:00Z`, image: null });
const walked = (n: number, orderAt: string | null): StripInput => ({ key: `https://c.test/${n}/`, url: `https://c.test/${n}/`, title: `#${n}`, published: null, image: null, orderAt });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-store3-'));
  clock = new Date('2024-02-01T10:00:00Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const open = () => new ComicsStore(openDatabase(join(dir, 'comics.db')), { now: () => clock });

describe('store, schema 3', () => {
  it('migrates a version 2 database, dating the failure streaks it holds', () => {
    const file = join(dir, 'old.db');
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 2), file);
    raw.prepare("INSERT INTO comics (name, feed, last_checked, failure_streak) VALUES ('x', 'https://x.test/f', '2024-01-05T00:00:00Z', 2)").run();
    raw.close();
    const store = new ComicsStore(openDatabase(file));
    expect(store.getComic('x')).toMatchObject({ failureStreak: 2, failingSince: '2024-01-05T00:00:00Z' });
    store.db.close();
  });

  it('sorts undated strips found behind a feed before the dated entries they were walked back from', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: [dated(1)], validators, unreadAtBaseline: 0 });
    const result = store.recordSuccess('c', {
      feed: 'f',
      entries: [dated(6), dated(5), walked(4, dated(5).published), walked(3, dated(5).published), walked(2, dated(5).published)],
      validators,
      unreadAtBaseline: 0,
    });
    expect(result.added.map((strip) => strip.title)).toEqual(['#2', '#3', '#4', '#5', '#6']);
    expect(store.unread().map((strip) => strip.title)).toEqual(['#2', '#3', '#4', '#5', '#6']);
    expect(store.history({ comic: 'c', limit: 3 }).map((strip) => strip.title)).toEqual(['#6', '#5', '#4']);
    store.db.close();
  });

  it('dates a failure streak from its first failure, and clears it on success', () => {
    const store = open();
    store.recordFailure('c', 'f', { code: 'E_TIMEOUT', message: 'slow' });
    clock = new Date('2024-02-02T10:00:00Z');
    store.recordFailure('c', 'f', { code: 'E_NETWORK', message: 'down' });
    expect(store.getComic('c')).toMatchObject({ failureStreak: 2, failingSince: '2024-02-01T10:00:00.000Z', errorCode: 'E_NETWORK' });
    store.recordSuccess('c', { feed: 'f', entries: [dated(1)], validators, unreadAtBaseline: 0 });
    expect(store.getComic('c')).toMatchObject({ failureStreak: 0, failingSince: null });
    store.db.close();
  });

  it('never calls a front-page strip a duplicate for sharing the front page URL', () => {
    const store = open();
    const front = (n: number): StripInput => ({ key: `https://c.test/img/${n}.png`, url: 'https://c.test/', title: null, published: null, image: null, sharedUrl: true });
    store.recordSuccess('c', { feed: 'f', entries: [front(1)], validators, unreadAtBaseline: 0 });
    const result = store.recordSuccess('c', { feed: 'f', entries: [front(2)], validators, unreadAtBaseline: 0 });
    expect(result.added.map((strip) => strip.key)).toEqual(['https://c.test/img/2.png']);
    store.db.close();
  });

  it('answers whether any of some keys or links is recorded, from the indexes', () => {
    const store = open();
    expect(store.knowsAny('c', { keys: ['g1'], urls: [] })).toEqual({ recorded: false, seen: false });
    store.recordSuccess('c', { feed: 'f', entries: [dated(1)], validators, unreadAtBaseline: 0 });
    expect(store.knowsAny('c', { keys: ['g9'], urls: ['https://c.test/1/'] })).toEqual({ recorded: true, seen: true });
    expect(store.knowsAny('c', { keys: ['g9'], urls: ['https://c.test/9/'] })).toEqual({ recorded: true, seen: false });
    store.db.close();
  });

  it('restores a snapshot exactly, replacing what was there', () => {
    const store = open();
    store.recordSuccess('c', { feed: 'f', entries: [dated(2), dated(1)], validators: { etag: '"e"', lastModified: null }, unreadAtBaseline: 1 });
    store.recordFailure('c', 'f', { code: 'E_TIMEOUT', message: 'slow' });
    const snapshot = store.snapshot('c')!;
    store.recordSuccess('other', { feed: 'g', entries: [dated(3)], validators, unreadAtBaseline: 0 });
    store.restore('other', snapshot);
    expect(store.snapshot('other')).toEqual({ ...snapshot, state: { ...snapshot.state } });
    expect(store.snapshot('nobody')).toBeNull();
    store.db.close();
  });
});
