/** `check` and `read` with the digest: one page of unread strips, marked read once the browser took it. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runRead } from '../../src/commands/read.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { checkEnv, type CheckEnv } from '../helpers/check-env.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';

let site: ComicSite;
let env: CheckEnv;
const options = { open: true, maxTabs: 10, concurrency: 4, perHost: 2 };

beforeAll(async () => {
  site = await startComicSite({
    comics: [
      { slug: 'pictures', format: 'rss20' },
      { slug: 'words', format: 'rss20', imageless: true },
    ],
  });
});
afterAll(() => site.close());
beforeEach(() => {
  env = checkEnv('comics-digest-check-');
});
afterEach(() => env.close());

function follow(config: object = {}): void {
  writeFileSync(
    env.configPath,
    JSON.stringify({ ...config, comics: [{ name: 'Words', feed: site.feedUrl('words') }, { name: 'Pictures', feed: site.feedUrl('pictures') }] }),
  );
}

const pageOf = (path: string | null) => readFileSync(path!, 'utf8');
const read = (via: string) => env.deps.store.history({ limit: 100 }).filter((strip) => strip.readVia === via);

describe('check --digest', () => {
  it('puts every new strip on one page, comics in config order, oldest first, and marks them read via digest', async () => {
    follow();
    await runCheck(options, env.deps);
    const pictures = site.publish('pictures', 2);
    const words = site.publish('words', 2);
    const hits = site.server.stats.requests;
    const report = await runCheck({ ...options, mode: 'digest' }, env.deps);
    expect(report.digest).toMatch(/digest\/\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.html$/);
    expect(env.opened).toEqual([`file://${report.digest}`]);
    expect(report.opened).toEqual([]);
    expect(report.onPage.map((strip) => strip.title)).toEqual([...words, ...pictures].map((strip) => strip.title));
    expect(read('digest').map((strip) => strip.title).sort()).toEqual([...words, ...pictures].map((strip) => strip.title).sort());
    const html = pageOf(report.digest);
    expect(html.indexOf('<h2 id="comic-1">Words</h2>')).toBeLessThan(html.indexOf('<h2 id="comic-2">Pictures</h2>'));
    // The feed carried the pictures' images; the words' images came from their own pages, one request each.
    expect(html).toContain(`src="${site.origin}/pictures/img/${pictures[0]!.n}.png"`);
    expect(html).toContain(`src="${site.origin}/words/img/${words[1]!.n}.png" alt="Strip ${words[1]!.n} art" title="Hover text of strip ${words[1]!.n}"`);
    for (const strip of words) expect(site.server.hits.get(`/words/${strip.n}/`)).toBe(1);
    // 2 feeds, 2 strip pages.
    expect(site.server.stats.requests - hits).toBe(4);
    // Nothing new: no page.
    const again = await runCheck({ ...options, mode: 'digest' }, env.deps);
    expect(again.digest).toBeNull();
    expect(env.opened).toHaveLength(1);
  });

  it('writes the page without a browser and marks nothing read; read --digest opens it later', async () => {
    follow();
    await runCheck(options, env.deps);
    site.publish('pictures', 3);
    const noBrowser = { ...env.deps, browser: { ok: false as const, reason: 'no display and no BROWSER set' } };
    const report = await runCheck({ ...options, mode: 'digest' }, noBrowser);
    expect(existsSync(report.digest!)).toBe(true);
    expect(report).toMatchObject({ notOpened: 'no display and no BROWSER set', unread: 3 });
    expect(env.opened).toEqual([]);
    const later = await runRead({ mode: 'digest', maxTabs: 10 }, env.deps);
    expect(later).toMatchObject({ notOpened: null, unread: 0 });
    expect(later.onPage).toHaveLength(3);
    expect(env.opened).toEqual([`file://${later.digest}`]);
  });

  it('writes nothing with --no-open, and marks nothing read when the launcher fails', async () => {
    follow();
    await runCheck(options, env.deps);
    site.publish('pictures', 1);
    expect((await runCheck({ ...options, open: false, mode: 'digest' }, env.deps)).digest).toBeNull();
    const failing = { ...env.deps, opener: async () => Promise.reject(Object.assign(new Error('The browser launcher xdg-open failed (exit code 3)'), { code: 'E_BROWSER' })) };
    const report = await runRead({ mode: 'digest', maxTabs: 10 }, failing);
    expect(report.notOpened).toMatch(/launcher xdg-open failed/);
    expect(report.unread).toBe(1);
    expect(read('digest')).toEqual([]);
  });

  it('puts at most --max-strips on a page; the rest stay unread for the next', async () => {
    follow();
    await runCheck(options, env.deps);
    const published = site.publish('pictures', 5);
    const report = await runCheck({ ...options, mode: 'digest', maxStrips: 3 }, env.deps);
    expect(report.onPage.map((strip) => strip.title)).toEqual(published.slice(0, 3).map((strip) => strip.title));
    expect(report.unread).toBe(2);
  });

  it('follows the config\'s "open": "digest" by default, and --tabs overrides it', async () => {
    follow({ open: 'digest' });
    await runCheck(options, env.deps);
    site.publish('pictures', 1);
    expect((await runCheck(options, env.deps)).digest).not.toBeNull();
    const tabs = site.publish('pictures', 1);
    const report = await runCheck({ ...options, mode: 'tabs' }, env.deps);
    expect(report.digest).toBeNull();
    expect(env.opened.at(-1)).toBe(`${site.origin}${tabs[0]!.link}`);
  });

  it('never puts one strip on two pages when two runs deliver at once', async () => {
    follow();
    await runCheck(options, env.deps);
    site.publish('pictures', 6);
    site.publish('words', 6);
    await runCheck({ ...options, open: false }, env.deps);
    // A second process: its own connection to the same database, its own claims.
    const other = new ComicsStore(openDatabase(join(env.dir, 'comics.db')));
    try {
      const [a, b] = await Promise.all([
        runRead({ mode: 'digest', maxTabs: 10, maxStrips: 7 }, env.deps),
        runRead({ mode: 'digest', maxTabs: 10, maxStrips: 7 }, { ...env.deps, store: other, claimant: 'other-run' }),
      ]);
      const ids = [...a.onPage, ...b.onPage].map((strip) => strip.id);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect(readdirSync(join(env.dir, 'digest')).filter((name) => name.endsWith('.html'))).toHaveLength(2);
    } finally {
      other.db.close();
    }
  });
});

describe('strips with a picture but no link', () => {
  it('go on a page of their own in tabs mode, and are never opened in a tab', async () => {
    follow();
    await runCheck(options, env.deps);
    // As a check records an entry that has an image but no link (see withSafety).
    env.deps.store.recordSuccess('Pictures', {
      feed: site.feedUrl('pictures'),
      entries: [{ key: 'linkless', url: null, title: 'Linkless', published: null, image: `${site.origin}/pictures/img/1.png` }],
      validators: { etag: null, lastModified: null },
      unreadAtBaseline: 0,
    });
    const linked = site.publish('pictures', 1);
    const report = await runCheck({ ...options, mode: 'tabs' }, env.deps);
    expect(report.opened.map((strip) => strip.url)).toEqual([`${site.origin}${linked[0]!.link}`]);
    expect(report.onPage.map((strip) => strip.title)).toEqual(['Linkless']);
    expect(env.opened).toEqual([`${site.origin}${linked[0]!.link}`, `file://${report.digest}`]);
    expect(pageOf(report.digest)).toContain('<h3>Linkless</h3>');
  });
});

describe('a digest of archived strips', () => {
  it('shows the archived copy of an image, so the page reads offline', async () => {
    const archiveDir = join(env.dir, 'strips');
    writeFileSync(env.configPath, JSON.stringify({ comics: [{ name: 'Pictures', feed: site.feedUrl('pictures'), archive: true }] }));
    await runCheck({ ...options, archiveDir }, env.deps);
    const published = site.publish('pictures', 1);
    const report = await runCheck({ ...options, mode: 'digest', archiveDir }, env.deps);
    const folder = join(archiveDir, 'Pictures');
    const [file] = readdirSync(folder).filter((name) => name.endsWith('.png'));
    expect(file).toMatch(new RegExp(`^\\d{4} \\d{4}-\\d{2}-\\d{2} pictures #${published[0]!.n}\\.png$`));
    const html = pageOf(report.digest);
    expect(html).toContain(`<img src="${pathToFileURL(join(folder, file!)).href}"`);
    expect(html).toContain('img-src http: https: file:;');
  });
});
