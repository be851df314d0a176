import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runDoctor } from '../../src/commands/doctor.js';
import { HttpClient } from '../../src/http/client.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { startPageSite, type PageSite } from '../helpers/page-site.js';

let feeds: ComicSite;
let pages: PageSite;
let dir: string;
let deps: { configPath: string; store: ComicsStore; http: HttpClient };

beforeAll(async () => {
  feeds = await startComicSite();
  pages = await startPageSite({ comics: [{ slug: 'fine', entry: 'latest' }, { slug: 'drifted', entry: 'latest' }, { slug: 'front' }] });
  feeds.server.routes.set('/empty.xml', { headers: { 'content-type': 'application/rss+xml' }, body: '<rss version="2.0"><channel><title>Empty</title></channel></rss>' });
  feeds.server.routes.set('/nav-less/', { headers: { 'content-type': 'text/html' }, body: '<html><body><div id="comic"><img src="/s.png"></div></body></html>' });
});
afterAll(async () => {
  await feeds.close();
  await pages.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-doctor-'));
  deps = { configPath: join(dir, 'comics.json'), store: new ComicsStore(openDatabase(join(dir, 'comics.db'))), http: new HttpClient({ maxTries: 1 }) };
});
afterEach(async () => {
  deps.store.db.close();
  await deps.http.close();
  rmSync(dir, { recursive: true, force: true });
});

const configure = (comics: object[]) => writeFileSync(deps.configPath, JSON.stringify({ comics }));
const byName = async (name?: string) => {
  const report = await runDoctor(name === undefined ? {} : { name }, deps);
  return { report, get: (comic: string) => report.diagnoses.find((d) => d.name === comic)! };
};

describe('comics doctor', () => {
  it('passes comics whose feed parses with entries and whose page selectors still match; exits 0', async () => {
    configure([
      { name: 'feed', feed: feeds.feedUrl('atom10') },
      { name: 'page', mode: 'page', url: pages.entryUrl('fine'), selectors: { image: '#comic img', prev: 'a[rel="prev"]' } },
      { name: 'front', mode: 'page', url: pages.entryUrl('front') },
    ]);
    const { report, get } = await byName();
    expect(report.exitCode).toBe(0);
    expect(report.diagnoses.map((d) => [d.name, d.ok, d.problems])).toEqual([
      ['feed', true, []],
      ['page', true, []],
      ['front', true, []],
    ]);
    expect(get('feed').checks).toEqual(['the feed parses (atom10) with 3 entries']);
    expect(get('page').found).toEqual({ image: pages.imageUrl('fine', 3), prev: pages.stripUrl('fine', 2), key: pages.stripUrl('fine', 3) });
  });

  it('names selectors that stopped matching after a redesign, and what the defaults would take instead', async () => {
    configure([{ name: 'drifted', mode: 'page', url: pages.entryUrl('drifted'), selectors: { image: '#comic img', prev: 'a[rel="prev"]' } }]);
    pages.drift('drifted');
    const { report, get } = await byName('drifted');
    expect(report.exitCode).toBe(1);
    expect(get('drifted')).toMatchObject({ ok: false, failureClass: 'selector' });
    expect(get('drifted').problems).toEqual([
      `selectors.image "#comic img" no longer matches an image on ${pages.stripUrl('drifted', 3)}: update it; the defaults would take ${pages.imageUrl('drifted', 3)} (selector "img.panel")`,
      `selectors.prev "a[rel=\\"prev\\"]" no longer matches a link on ${pages.stripUrl('drifted', 3)}: update it; the defaults would take ${pages.stripUrl('drifted', 2)} (selector "a.comic-nav-previous")`,
    ]);
  });

  it('says what to change for a feed that moved, broke, or went empty, and for a page without a previous-strip link', async () => {
    configure([
      { name: 'moved', feed: `${feeds.origin}/page/old-feed.xml`, url: `${feeds.origin}/page/` },
      { name: 'broken', feed: `${feeds.origin}/broken.xml` },
      { name: 'html', feed: `${feeds.origin}/notafeed.xml`, url: `${feeds.origin}/nofeed/` },
      { name: 'empty', feed: `${feeds.origin}/empty.xml` },
      { name: 'navless', mode: 'page', url: `${feeds.origin}/nav-less/` },
    ]);
    const { report, get } = await byName();
    expect(report.exitCode).toBe(1);
    expect(get('moved')).toMatchObject({ ok: false, failureClass: 'http' });
    expect(get('moved').problems[0]).toMatch(/status 404 .*: the site now announces its feed at .*\/page\/feed\.xml: set "feed" to it$/);
    expect(get('broken').problems[0]).toMatch(/status 500 .*: the server is failing or busy/);
    expect(get('html')).toMatchObject({ failureClass: 'feed' });
    expect(get('html').problems[0]).toMatch(/found an HTML page: the feed has moved or gone, and .*\/nofeed\/ announces no other: if the comic goes on without a feed, follow it in page mode/);
    expect(get('empty').problems).toEqual([`The feed at ${feeds.origin}/empty.xml has no entries: the site may have stopped updating it; look for another feed with comics add ${feeds.origin}`]);
    expect(get('navless').problems).toEqual([expect.stringMatching(/^No link to the previous strip found on .*\/nav-less\/: set selectors\.prev/)]);
  });

  it('notes that a comic failing in the store works again, and records nothing', async () => {
    configure([{ name: 'flaky', feed: feeds.feedUrl('rss10') }]);
    deps.store.recordFailure('flaky', feeds.feedUrl('rss10'), { code: 'E_TIMEOUT', message: 'No complete response within 30000 ms' });
    const { get } = await byName();
    expect(get('flaky')).toMatchObject({ ok: true, failureStreak: 1, failingSince: expect.any(String) });
    expect(get('flaky').checks).toContain('the last check failed (No complete response within 30000 ms), but it works now');
    // A diagnosis never baselines or records strips.
    expect(deps.store.getComic('flaky')).toMatchObject({ baselinedAt: null, failureStreak: 1 });
    const check = await runCheck({ open: false, maxTabs: 0, concurrency: 2, perHost: 2 }, { ...deps, opener: async () => {}, browser: { ok: true }, claimant: 't', digestDir: join(tmpdir(), 'comics-digest-unused') });
    expect(check.comics[0]).toMatchObject({ baselined: true });
  });
});
