import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { RECORD_BROWSER, recorded, runComics } from '../helpers/cli.js';
import { startServer } from '../helpers/server.js';

let site: ComicSite;
let dir: string;
let env: Record<string, string>;
let record: string;

beforeAll(async () => {
  site = await startComicSite({ comics: [{ slug: 'evil', format: 'rss20' }] });
});
afterAll(() => site.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-e2e-'));
  record = join(dir, 'opened.txt');
  env = {
    COMICS_CONFIG: join(dir, 'comics.json'),
    COMICS_DB: join(dir, 'comics.db'),
    BROWSER: RECORD_BROWSER,
    COMICS_TEST_RECORD: record,
  };
  return () => rmSync(dir, { recursive: true, force: true });
});

const urls = (strips: { link: string }[]) => strips.map((s) => `${site.origin}${s.link}`);

describe('comics CLI, end to end', () => {
  it('adds comics, then opens exactly the new strips, oldest first, across runs', async () => {
    expect((await runComics(['add', site.feedUrl('rss20')], env)).code).toBe(0);
    const added = await runComics(['add', `${site.origin}/page/`, '--name', 'Page comic', '--json'], env);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'Page comic', feed: `${site.origin}/page/feed.xml`, via: 'link' });

    let run = await runComics(['check', '--json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ opened: [], unread: 0 });
    expect(recorded(record)).toEqual([]);

    const first = site.publish('rss20', 2);
    const second = site.publish('page', 1);
    run = await runComics(['check', '--json'], env);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.comics).toEqual([
      expect.objectContaining({ name: 'rss20', status: 'new', error: null, new: first.map((s) => expect.objectContaining({ url: `${site.origin}${s.link}`, title: s.title, published: s.date.toISOString().replace('.000Z', 'Z') })) }),
      expect.objectContaining({ name: 'Page comic', status: 'new', error: null }),
    ]);
    // Oldest first whatever the comic: page #4 and rss20 #4 share a date (ties go by name), rss20 #5 is a day later.
    expect(recorded(record)).toEqual(urls([second[0]!, first[0]!, first[1]!]));
    expect(report.opened).toEqual(recorded(record));

    // Again: nothing new, nothing opened twice.
    run = await runComics(['check'], env);
    expect(run.code).toBe(0);
    expect(recorded(record)).toHaveLength(3);

    // More strips than tabs: the rest wait for `read`.
    const third = site.publish('rss20', 3);
    run = await runComics(['check', '--max-tabs', '2', '--json'], env);
    expect(JSON.parse(run.stdout)).toMatchObject({ opened: urls(third.slice(0, 2)), unread: 1 });
    run = await runComics(['read'], env);
    expect(run.code).toBe(0);
    expect(recorded(record).slice(3)).toEqual(urls(third));
  });

  it('lists comics and history as JSON', async () => {
    await runComics(['add', site.feedUrl('atom10'), '--unread', '1'], env);
    const list = JSON.parse((await runComics(['list', '--json'], env)).stdout);
    expect(list).toEqual([
      expect.objectContaining({
        name: 'atom10',
        feed: site.feedUrl('atom10'),
        unread: 1,
        lastRead: expect.objectContaining({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1/) }),
        lastChecked: expect.any(String),
        lastError: null,
      }),
    ]);
    const history = JSON.parse((await runComics(['history', 'atom10', '--limit', '2', '--json'], env)).stdout);
    expect(history.map((h: { status: string }) => h.status)).toEqual(['unread', 'read']);
    expect((await runComics(['mark-read', '--all'], env)).stdout).toBe('Marked 1 strip read.\n');
    expect((await runComics(['remove', 'ATOM10'], env)).code).toBe(0);
    expect(JSON.parse((await runComics(['list', '--json'], env)).stdout)).toEqual([]);
  });

  it('opens nothing and marks nothing read without a browser, and says how to open them later', async () => {
    await runComics(['add', site.feedUrl('json11')], env);
    site.publish('json11', 2);
    const noBrowser = { ...env, BROWSER: undefined };
    const run = await runComics(['check'], noBrowser);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Not opened: no display and no BROWSER set/);
    expect(run.stdout).toMatch(/comics read/);
    expect(recorded(record)).toEqual([]);
    const read = await runComics(['read'], noBrowser);
    expect(read.code).toBe(1);
    expect(read.stderr).toBe('comics: Cannot open 2 unread strips: no display and no BROWSER set, so no browser can be launched\n');
    expect((await runComics(['read'], env)).code).toBe(0);
    expect(recorded(record)).toHaveLength(2);
    // Nothing unread is success, browser or not.
    const nothing = await runComics(['read'], noBrowser);
    expect(nothing).toMatchObject({ code: 0, stdout: 'Nothing unread.\n', stderr: '' });
  });

  it('never opens a strip twice when two checks run at once', async () => {
    await runComics(['add', site.feedUrl('json10')], env);
    const published = site.publish('json10', 6);
    const [a, b] = await Promise.all([runComics(['check', '--json'], env), runComics(['check', '--json'], env)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const opened = recorded(record);
    expect(opened.sort()).toEqual(urls(published).sort());
    const fromJson = [...JSON.parse(a.stdout).opened, ...JSON.parse(b.stdout).opened];
    expect(fromJson.sort()).toEqual(opened.sort());
  });

  it('exits 1 when a comic fails, after checking the others', async () => {
    writeFileSync(
      env.COMICS_CONFIG!,
      JSON.stringify({ comics: [{ name: 'broken', feed: `${site.origin}/broken.xml` }, { name: 'fine', feed: site.feedUrl('rss10') }] }),
    );
    const run = await runComics(['check', '--timeout', '5000'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/broken\s+error\s+Request failed with status 500/);
    expect(run.stdout).toMatch(/fine\s+baselined/);
    expect(run.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 with a clear message for usage and config errors, without a stack trace', async () => {
    let run = await runComics(['check', '--max-tabs', 'lots'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Expected an integer from 0 and up, got "lots"/);
    run = await runComics(['check'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/comics\.json: no such config file/);
    writeFileSync(env.COMICS_CONFIG!, JSON.stringify({ comics: [{ name: 'x', feed: 'gopher://old' }] }));
    run = await runComics(['check'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/comics\.json: comics\[0\] \("x"\), field "feed": must be an absolute http\(s\) URL/);
    run = await runComics(['frobnicate'], env);
    expect(run.code).toBe(2);
    expect(`${run.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('adds nothing for an unreachable URL or a page without a feed', async () => {
    let run = await runComics(['add', `${site.origin}/nofeed/`], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^comics: No feed found for/);
    run = await runComics(['add', 'http://127.0.0.1:9/feed.xml'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Network error/);
    run = await runComics(['add', 'not a url'], env);
    expect(run.code).toBe(2);
    expect(() => readFileSync(env.COMICS_CONFIG!)).toThrow();
  });

  it('strips control characters from feed text before printing', async () => {
    await runComics(['add', site.feedUrl('evil')], env);
    const comic = site.comics.get('evil')!;
    site.publish('evil', 1);
    comic.strips.at(-1)!.title = 'Evil\u001b]0;pwned\u0007\u001b[2J title';
    const run = await runComics(['check', '--no-open'], { ...env, FORCE_COLOR: '0' });
    // The escape and bell bytes are gone; what is left of the sequence is inert text.
    expect(run.stdout).toMatch(/evil\s+1 new\s+Evil.*title/);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

describe('a silent server', () => {
  it('costs the check one timeout, one request, and no other comic', async () => {
    const silent = await startServer({ routes: { '/feed.xml': () => {} } });
    try {
      writeFileSync(
        env.COMICS_CONFIG!,
        JSON.stringify({ comics: [{ name: 'Silent', feed: silent.url('/feed.xml') }, { name: 'Working', feed: site.feedUrl('evil') }] }),
      );
      const run = await runComics(['check', '--timeout', '500', '--json'], env);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.comics).toEqual([
        expect.objectContaining({ name: 'Silent', status: 'error', errorCode: 'E_TIMEOUT' }),
        expect.objectContaining({ name: 'Working', status: 'unchanged', baselined: true }),
      ]);
      expect(silent.stats.requests).toBe(1);
    } finally {
      await silent.close();
    }
  });
});
