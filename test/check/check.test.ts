import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAdd } from '../../src/commands/add.js';
import { runCheck, type CheckCommandDeps } from '../../src/commands/check.js';
import { runRead } from '../../src/commands/read.js';
import { ComicsError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { startServer } from '../helpers/server.js';

let site: ComicSite;
let dir: string;
let configPath: string;
let opened: string[];
let deps: CheckCommandDeps & { http: HttpClient };
const options = { open: true, maxTabs: 50, concurrency: 8, perHost: 2 };
const ALL_FORMATS = ['rss20', 'rss091', 'rss10', 'atom10', 'atom03', 'json11', 'json10'];

function writeConfig(comics: object[]): void {
  writeFileSync(configPath, JSON.stringify({ comics }, null, 2));
}
const follow = (...slugs: string[]) => writeConfig(slugs.map((slug) => ({ name: slug, feed: site.feedUrl(slug) })));

beforeAll(async () => {
  site = await startComicSite({
    comics: [
      { slug: 'hostile', format: 'rss20' },
      { slug: 'undated', format: 'rss20', undated: true },
    ],
  });
});
afterAll(() => site.close());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-check-'));
  configPath = join(dir, 'comics.json');
  opened = [];
  deps = {
    configPath,
    store: new ComicsStore(openDatabase(join(dir, 'comics.db'))),
    http: new HttpClient({ sleep: async () => {}, random: () => 0 }),
    opener: async (url) => {
      opened.push(url);
    },
    browser: { ok: true },
    claimant: 'test-run',
    digestDir: join(dir, 'digest'),
  };
});
afterEach(async () => {
  deps.store.db.close();
  await deps.http.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('comics check', () => {
  it('baselines new comics in every feed format, then opens only what is published later, oldest first', async () => {
    follow(...ALL_FORMATS);
    const first = await runCheck(options, deps);
    expect(first.comics.map((c) => [c.name, c.status, c.baselined, c.error])).toEqual(
      ALL_FORMATS.map((name) => [name, 'unchanged', true, null]),
    );
    expect(opened).toEqual([]);

    const published = ALL_FORMATS.map((slug) => site.publish(slug, 2));
    const second = await runCheck(options, deps);
    expect(second.exitCode).toBe(0);
    for (const comic of second.comics) {
      expect(comic.status, comic.name).toBe('new');
      expect(comic.new.map((s) => s.title)).toEqual([`${comic.name} #4`, `${comic.name} #5`]);
    }
    // Same dates on every comic: oldest first across comics, then by name. RSS 0.91 items
    // carry no dates, so they sort by when they were first seen (now): last, in feed order.
    const all = published.flatMap((strips, i) =>
      strips.map((s) => ({ url: `${site.origin}${s.link}`, date: s.date, name: ALL_FORMATS[i]! })),
    );
    const expected = [
      ...all
        .filter((s) => s.name !== 'rss091')
        .sort((a, b) => a.date.getTime() - b.date.getTime() || a.name.localeCompare(b.name)),
      ...all.filter((s) => s.name === 'rss091'),
    ].map((s) => s.url);
    expect(opened).toEqual(expected);
    expect(second.unread).toBe(0);

    // Nothing new: every feed answers 304 and nothing is opened twice.
    const before = site.notModified;
    const third = await runCheck(options, deps);
    expect(third.comics.every((c) => c.status === 'unchanged')).toBe(true);
    expect(site.notModified - before).toBe(ALL_FORMATS.length);
    expect(opened).toHaveLength(expected.length);
  });

  it('opens at most --max-tabs and leaves the rest unread for the next run', async () => {
    follow('rss20');
    await runCheck(options, deps);
    const published = site.publish('rss20', 5);
    const report = await runCheck({ ...options, maxTabs: 2 }, deps);
    expect(report.opened.map((s) => s.title)).toEqual(published.slice(0, 2).map((s) => s.title));
    expect(opened).toHaveLength(2);
    expect(report.unread).toBe(3);
    const next = await runRead({ maxTabs: 10 }, deps);
    expect(next.opened).toHaveLength(3);
    // Oldest first over both runs, nothing twice.
    const numbers = opened.map((url) => Number(url.split('/').at(-2)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(opened).size).toBe(5);
  });

  it('counts the strips it opens 1, 2, 3 of 3 for progress', async () => {
    follow('rss20');
    await runCheck(options, deps);
    site.publish('rss20', 3);
    const counted: [number, number][] = [];
    await runCheck({ ...options, onOpened: (_, index, total) => counted.push([index, total]) }, deps);
    expect(counted).toEqual([[1, 3], [2, 3], [3, 3]]);
  });

  it('keeps feed order for undated feeds (oldest = last in the feed)', async () => {
    follow('undated');
    await runCheck(options, deps);
    const strips = site.publish('undated', 3);
    await runCheck(options, deps);
    expect(opened).toEqual(strips.map((s) => `${site.origin}${s.link}`));
  });

  it('records failures per comic and still checks the others', async () => {
    writeConfig([
      { name: 'ok', feed: site.feedUrl('rss20') },
      { name: 'broken', feed: `${site.origin}/broken.xml` },
      { name: 'html', feed: `${site.origin}/notafeed.xml` },
      { name: 'gone', feed: `${site.origin}/nothing-here.xml` },
    ]);
    const report = await runCheck(options, deps);
    expect(report.exitCode).toBe(1);
    expect(report.comics.map((c) => [c.name, c.status, c.errorCode])).toEqual([
      ['ok', 'unchanged', null],
      ['broken', 'error', 'E_HTTP_STATUS'],
      ['html', 'error', 'E_NOT_A_FEED'],
      ['gone', 'error', 'E_HTTP_STATUS'],
    ]);
    expect(report.comics[1]!.error).toMatch(/status 500/);
    expect(deps.store.getComic('broken')).toMatchObject({ failureStreak: 1, errorCode: 'E_HTTP_STATUS' });
    expect(deps.store.getComic('ok')?.baselinedAt).not.toBeNull();
  });

  it('retries a 503 with Retry-After and reads a malformed feed leniently', async () => {
    writeConfig([
      { name: 'flaky', feed: site.feedUrl('flaky') },
      { name: 'malformed', feed: `${site.origin}/malformed.xml`, unread: 1 },
    ]);
    const report = await runCheck(options, deps);
    expect(report.comics.map((c) => [c.name, c.status])).toEqual([
      ['flaky', 'unchanged'],
      ['malformed', 'new'],
    ]);
    expect(report.comics[1]!.new[0]).toMatchObject({ title: expect.stringMatching(/^Cats & dogs\s#1$/), url: `${site.origin}/malformed/1` });
  });

  it('never opens javascript:, file:, data: or option-like links, and records them as skipped', async () => {
    follow('hostile');
    await runCheck(options, deps);
    const hostile = ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'vbscript:x', '--help'];
    let i = 0;
    site.publish('hostile', hostile.length, () => hostile[i++]!);
    site.publish('hostile', 1);
    const report = await runCheck(options, deps);
    // A relative "--help" is resolved against the feed: only ever an absolute http URL reaches the launcher.
    expect(opened).toEqual([`${site.origin}/hostile/--help`, `${site.origin}/hostile/9/`]);
    expect(report.comics[0]!.skipped.map((s) => s.skipped)).toEqual([
      'javascript: URLs are never opened',
      'file: URLs are never opened',
      'data: URLs are never opened',
      'vbscript: URLs are never opened',
    ]);
    expect(report.unread).toBe(0);
  });

  it('marks nothing read when no browser can be launched', async () => {
    follow('rss20');
    await runCheck(options, deps);
    site.publish('rss20', 2);
    const report = await runCheck(options, { ...deps, browser: { ok: false, reason: 'no display' } });
    expect(report.opened).toEqual([]);
    expect(report.notOpened).toBe('no display');
    expect(report.unread).toBe(2);
  });

  it('stops at a browser failure and keeps the rest unread', async () => {
    follow('rss20');
    await runCheck(options, deps);
    site.publish('rss20', 3);
    let calls = 0;
    const failing = async (url: string) => {
      if (++calls === 2) throw new ComicsError('E_BROWSER', 'The browser launcher failed (exit code 4)');
      opened.push(url);
    };
    const report = await runCheck(options, { ...deps, opener: failing });
    expect(report.opened).toHaveLength(1);
    expect(report.notOpened).toMatch(/exit code 4/);
    expect(report.unread).toBe(2);
  });

  it('baselines a hand-added comic with its unread setting', async () => {
    writeConfig([{ name: 'rss20', feed: site.feedUrl('rss20'), unread: 2 }]);
    const report = await runCheck(options, deps);
    expect(report.comics[0]).toMatchObject({ status: 'new', baselined: true });
    expect(opened).toHaveLength(2);
  });

  it('respects the per-host limit, measured at the server', async () => {
    const slow = await startServer({ latencyMs: 50, fallback: site.server.routes.get('/rss20/rss.xml')! });
    writeConfig(Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, feed: slow.url(`/feed-${i}.xml`) })));
    await runCheck({ ...options, perHost: 3 }, deps);
    expect(slow.stats.requests).toBe(12);
    expect(slow.stats.maxInFlight).toBe(3);
    await slow.close();
  });
});

describe('comics add', () => {
  it('adds a feed URL and baselines it, leaving the newest --unread strips', async () => {
    const added = await runAdd({ url: site.feedUrl('atom10'), unread: 1 }, deps);
    const strips = site.comics.get('atom10')!.strips;
    expect(added).toMatchObject({ name: 'atom10', feed: site.feedUrl('atom10'), via: 'feed', entries: strips.length });
    expect(added.unread.map((s) => s.title)).toEqual([strips.at(-1)!.title]);
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual({
      comics: [{ name: 'atom10', feed: site.feedUrl('atom10'), url: `${site.origin}/atom10/` }],
    });
  });

  it('finds the main feed a page announces, not its comments feed', async () => {
    const added = await runAdd({ url: `${site.origin}/page/`, unread: 0, name: 'My comic' }, deps);
    expect(added).toMatchObject({ name: 'My comic', feed: `${site.origin}/page/feed.xml`, via: 'link' });
  });

  it('fails clearly and leaves the config untouched for a page without a feed or an unreachable URL', async () => {
    await expect(runAdd({ url: `${site.origin}/nofeed/`, unread: 0 }, deps)).rejects.toMatchObject({
      code: 'E_NO_FEED',
      message: expect.stringMatching(/No feed found for/),
    });
    await expect(runAdd({ url: `${site.origin}/broken.xml`, unread: 0 }, { ...deps, http: new HttpClient({ maxTries: 1 }) })).rejects.toMatchObject({
      code: 'E_HTTP_STATUS',
    });
    expect(existsSync(configPath)).toBe(false);
  });

  it('refuses a feed that is already followed', async () => {
    await runAdd({ url: site.feedUrl('rss10'), unread: 0 }, deps);
    await expect(runAdd({ url: site.feedUrl('rss10'), unread: 0, name: 'again' }, deps)).rejects.toThrow(/already followed as "rss10"/);
  });
});
