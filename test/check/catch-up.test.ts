import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runList } from '../../src/commands/list.js';
import { checkEnv, type CheckEnv } from '../helpers/check-env.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';

let site: ComicSite;
let env: CheckEnv;
let configPath: string;
let opened: string[];
let deps: CheckEnv['deps'];
const options = { open: true, maxTabs: 50, concurrency: 8, perHost: 2 };
const stripPages = (slug: string) => [...site.server.hits].filter(([path]) => new RegExp(`^/${slug}/\\d+/$`).test(path)).length;

beforeAll(async () => {
  site = await startComicSite({
    comics: [
      { slug: 'window5', format: 'rss20', window: 5 },
      { slug: 'short', format: 'atom10', window: 5 },
      { slug: 'bounded', format: 'rss20', window: 5 },
      { slug: 'undated5', format: 'rss20', window: 5, undated: true },
    ],
  });
});
afterAll(() => site.close());
beforeEach(() => {
  env = checkEnv('comics-catchup-');
  ({ configPath, deps, opened } = env);
});
afterEach(() => env.close());

const follow = (slug: string, extra: object = {}) =>
  writeFileSync(configPath, JSON.stringify({ comics: [{ name: slug, feed: site.feedUrl(slug), ...extra }] }));
const urls = (slug: string, numbers: number[]) => numbers.map((n) => `${site.origin}/${slug}/${n}/`);

describe('catch-up past the feed window', () => {
  it('fills the gap when more strips were published than the feed holds (window 5, 8 published: 3 filled)', async () => {
    follow('window5');
    await runCheck(options, deps);
    site.publish('window5', 8);
    // Before the check: the comic is 8 strips behind, but only 5 are in the feed.
    const report = await runCheck(options, deps);
    expect(report.comics[0]).toMatchObject({ status: 'new', caughtUp: 3, warnings: [] });
    expect(report.comics[0]!.new).toHaveLength(8);
    // Oldest first: the walked strips (undated pages) sort before the feed's oldest entry.
    expect(opened).toEqual(urls('window5', [4, 5, 6, 7, 8, 9, 10, 11]));
    // 7's page for its prev link, then 6, 5 and 4, and 3, which it knew: there it stopped.
    expect(stripPages('window5')).toBe(5);
  });

  it('walks nothing while the feed still holds a strip seen before', async () => {
    follow('short');
    await runCheck(options, deps);
    site.publish('short', 4);
    const report = await runCheck(options, deps);
    expect(report.comics[0]).toMatchObject({ status: 'new', caughtUp: 0, pages: 0 });
    expect(stripPages('short')).toBe(0);
    expect(opened).toEqual(urls('short', [4, 5, 6, 7]));
  });

  it('is bounded by maxWalk and says that strips may be missing; list shows how far behind', async () => {
    follow('bounded', { maxWalk: 2 });
    await runCheck({ ...options, open: false }, deps);
    site.publish('bounded', 10);
    const report = await runCheck({ ...options, open: false }, deps);
    expect(report.comics[0]).toMatchObject({ caughtUp: 2 });
    expect(report.comics[0]!.warnings).toEqual([expect.stringMatching(/^catch-up: read 2 strips back without reaching one seen before/)]);
    expect(report.comics[0]!.new.map((strip) => strip.title)).toEqual([7, 8, 9, 10, 11, 12, 13].map((n) => `bounded #${n}`));
    expect(runList(deps)[0]).toMatchObject({ name: 'bounded', behind: 7, unread: 7, failing: false });
  });

  it('keeps feed order for undated feeds, the walked strips first', async () => {
    follow('undated5');
    await runCheck(options, deps);
    site.publish('undated5', 7);
    await runCheck(options, deps);
    expect(opened).toEqual(urls('undated5', [4, 5, 6, 7, 8, 9, 10]));
  });
});
