import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAdd } from '../../src/commands/add.js';
import { runCheck } from '../../src/commands/check.js';
import { HttpClient } from '../../src/http/client.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { startPageSite, type PageSite } from '../helpers/page-site.js';

let site: PageSite;
let feeds: ComicSite;
let dir: string;
let configPath: string;
let deps: { configPath: string; store: ComicsStore; http: HttpClient };

beforeAll(async () => {
  site = await startPageSite({ comics: [{ slug: 'nofeed' }, { slug: 'newest', entry: 'latest' }] });
  feeds = await startComicSite();
});
afterAll(async () => {
  await site.close();
  await feeds.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-add-page-'));
  configPath = join(dir, 'comics.json');
  deps = { configPath, store: new ComicsStore(openDatabase(join(dir, 'comics.db'))), http: new HttpClient({ maxTries: 1 }) };
});
afterEach(async () => {
  deps.store.db.close();
  await deps.http.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('comics add on a site without a feed', () => {
  it('switches to page mode when the defaults find a strip image and a previous-strip link, and says what it found', async () => {
    const added = await runAdd({ url: site.entryUrl('nofeed'), unread: 0 }, deps);
    expect(added).toMatchObject({
      name: 'nofeed comics',
      mode: 'page',
      feed: null,
      url: site.entryUrl('nofeed'),
      via: 'page',
      entries: 1,
      unread: [],
      page: { image: site.imageUrl('nofeed', 3), prev: site.stripUrl('nofeed', 2), key: site.imageUrl('nofeed', 3), keyVia: 'the strip image: the page is a front page' },
    });
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual({ comics: [{ name: 'nofeed comics', mode: 'page', url: site.entryUrl('nofeed') }] });
    // Baselined like a feed: the next check opens only what is published after.
    site.publish('nofeed', 1);
    const opened: string[] = [];
    const report = await runCheck(
      { open: true, maxTabs: 10, concurrency: 2, perHost: 2 },
      { ...deps, opener: async (url) => void opened.push(url), browser: { ok: true }, claimant: 'test', digestDir: join(tmpdir(), 'comics-digest-unused') },
    );
    expect(report.comics[0]).toMatchObject({ status: 'new', baselined: false });
    expect(opened).toEqual([site.entryUrl('nofeed')]);
  });

  it('leaves the newest --unread strips unread, walking back for them', async () => {
    const added = await runAdd({ url: site.entryUrl('newest'), unread: 2, name: 'Newest' }, deps);
    expect(added.unread.map((strip) => strip.url)).toEqual([site.stripUrl('newest', 2), site.stripUrl('newest', 3)]);
    expect(added.page?.keyVia).toBe('canonical');
  });

  it('fails with E_NO_FEED, suggested selectors and the config untouched when the page is not a strip page', async () => {
    const failure = runAdd({ url: `${feeds.origin}/nofeed/`, unread: 0 }, deps);
    await expect(failure).rejects.toMatchObject({ code: 'E_NO_FEED' });
    await expect(failure).rejects.toThrow(/^No feed found for .*\nNor can it be followed in page mode .* found no strip image and no previous-strip link/);
    await expect(failure).rejects.toThrow(/"mode":"page".*"selectors":\{"image":"<CSS selector of the strip image>"/);
    expect(existsSync(configPath)).toBe(false);
    expect(deps.store.summaries()).toEqual([]);
  });

  it('refuses a page already followed', async () => {
    await runAdd({ url: site.entryUrl('nofeed'), unread: 0 }, deps);
    await expect(runAdd({ url: site.entryUrl('nofeed'), unread: 0, name: 'again' }, deps)).rejects.toThrow(/already followed as "nofeed comics"/);
  });
});
