import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { checkEnv, type CheckEnv } from '../helpers/check-env.js';
import { startPageSite, type PageSite } from '../helpers/page-site.js';

let site: PageSite;
let env: CheckEnv;
let configPath: string;
let opened: string[];
let deps: CheckEnv['deps'];
const options = { open: true, maxTabs: 50, concurrency: 8, perHost: 2 };

function follow(...comics: ({ slug: string } & Record<string, unknown>)[]): void {
  writeFileSync(
    configPath,
    JSON.stringify({ comics: comics.map(({ slug, ...rest }) => ({ name: slug, mode: 'page', url: site.entryUrl(slug), ...rest })) }),
  );
}

beforeAll(async () => {
  site = await startPageSite({
    comics: [
      { slug: 'front' },
      { slug: 'redirect', entry: 'latest' },
      { slug: 'classnav', nav: 'class', entry: 'latest' },
      { slug: 'textnav', nav: 'text', entry: 'latest', canonical: false },
      { slug: 'loop', entry: 'latest' },
      { slug: 'long', entry: 'latest' },
      { slug: 'drift', entry: 'latest' },
      { slug: 'gone', entry: 'latest' },
      { slug: 'one-a', entry: 'latest' },
      { slug: 'one-b', entry: 'latest' },
      { slug: 'one-c', entry: 'latest' },
    ],
  });
});
afterAll(() => site.close());

beforeEach(() => {
  env = checkEnv('comics-pages-', { maxTries: 1 });
  ({ configPath, deps, opened } = env);
});
afterEach(() => env.close());

describe('page mode', () => {
  it('baselines the newest strip of a front page, then opens only strips published later, oldest first', async () => {
    follow({ slug: 'front' });
    const first = await runCheck(options, deps);
    expect(first.comics[0]).toMatchObject({ status: 'unchanged', baselined: true, mode: 'page', error: null });
    expect(opened).toEqual([]);

    const [a, b] = site.publish('front', 2);
    const second = await runCheck(options, deps);
    expect(second.comics[0]).toMatchObject({ status: 'new', error: null, warnings: [] });
    // The newest strip is on the front page, which has no URL of its own for it.
    expect(opened).toEqual([site.stripUrl('front', a!), site.entryUrl('front')]);
    expect(second.comics[0]!.new.map((strip) => strip.image)).toEqual([site.imageUrl('front', a!), site.imageUrl('front', b!)]);

    // The front page now shows the same strip: nothing new, nothing opened twice.
    await runCheck(options, deps);
    expect(opened).toHaveLength(2);
    // Next time the walk reaches that strip through its own page, and knows it by its image.
    const [c] = site.publish('front', 1);
    await runCheck(options, deps);
    expect(opened.slice(2)).toEqual([site.entryUrl('front')]);
    expect(deps.store.history({ comic: 'front', limit: 1 })[0]!.image).toBe(site.imageUrl('front', c!));
  });

  it('follows a "latest" URL that redirects to the newest strip, keyed by its canonical URL', async () => {
    follow({ slug: 'redirect', unread: 1 });
    const first = await runCheck(options, deps);
    expect(first.comics[0]).toMatchObject({ status: 'new', baselined: true });
    expect(opened).toEqual([site.stripUrl('redirect', 3)]);
    expect(first.comics[0]!.new[0]).toMatchObject({ key: site.stripUrl('redirect', 3), title: 'redirect #3' });
    site.publish('redirect', 3);
    await runCheck(options, deps);
    expect(opened.slice(1)).toEqual([4, 5, 6].map((n) => site.stripUrl('redirect', n)));
  });

  it('finds the previous strip without rel="prev": by class-named navigation, and by link text', async () => {
    follow({ slug: 'classnav' }, { slug: 'textnav' });
    await runCheck(options, deps);
    site.publish('classnav', 2);
    site.publish('textnav', 2);
    const report = await runCheck(options, deps);
    expect(report.comics.map((comic) => [comic.name, comic.new.length, comic.warnings])).toEqual([
      ['classnav', 2, []],
      ['textnav', 2, []],
    ]);
    // No canonical link: the page's URL (after redirects) is the key.
    expect(report.comics[1]!.new.map((strip) => strip.key)).toEqual([4, 5].map((n) => site.stripUrl('textnav', n)));
  });

  it('stops when previous-strip links loop, and says so', async () => {
    site.linkBack('loop', 1, 3);
    follow({ slug: 'loop', unread: 10 });
    const report = await runCheck(options, deps);
    expect(report.comics[0]!.new.map((strip) => strip.title)).toEqual(['loop #1', 'loop #2', 'loop #3']);
    expect(report.comics[0]!.warnings).toEqual([expect.stringMatching(/loop back to .*\/loop\/strip\/3\//)]);
    expect(opened).toEqual([1, 2, 3].map((n) => site.stripUrl('loop', n)));
  });

  it('reads at most maxWalk pages (per comic, or --max-walk for all) and warns that older strips may be missed', async () => {
    follow({ slug: 'long', maxWalk: 2 });
    await runCheck(options, deps);
    site.publish('long', 5);
    let report = await runCheck(options, deps);
    expect(report.comics[0]!.new.map((strip) => strip.title)).toEqual(['long #7', 'long #8']);
    expect(report.comics[0]!.pages).toBe(2);
    expect(report.comics[0]!.warnings).toEqual([expect.stringMatching(/without reaching one seen before.*maxWalk/)]);
    site.publish('long', 4);
    report = await runCheck({ ...options, maxWalk: 10 }, deps);
    expect(report.comics[0]!.new.map((strip) => strip.title)).toEqual([9, 10, 11, 12].map((n) => `long #${n}`));
    expect(report.comics[0]!.warnings).toEqual([]);
  });

  it('fails a comic whose configured selectors stopped matching (class "selector"), recording nothing', async () => {
    follow({ slug: 'drift', selectors: { image: '#comic img', prev: 'a[rel="prev"]' } });
    await runCheck(options, deps);
    site.drift('drift');
    site.publish('drift', 2);
    const report = await runCheck(options, deps);
    expect(report.exitCode).toBe(1);
    expect(report.comics[0]).toMatchObject({ status: 'error', errorCode: 'E_SELECTOR', failureClass: 'selector', failureStreak: 1 });
    expect(report.comics[0]!.error).toMatch(/selectors\.image "#comic img" no longer matches an image on .*\/drift\/strip\/5\//);
    expect(deps.store.countUnread()).toBe(0);
    expect(deps.store.getComic('drift')).toMatchObject({ failureStreak: 1, errorCode: 'E_SELECTOR', failingSince: expect.any(String) });
  });

  it('keeps what a walk read when a page further back fails, with a warning', async () => {
    follow({ slug: 'gone' });
    await runCheck(options, deps);
    site.publish('gone', 3);
    site.linkBack('gone', 5, 99);
    const report = await runCheck(options, deps);
    expect(report.comics[0]!.status).toBe('new');
    expect(report.comics[0]!.new.map((strip) => strip.title)).toEqual(['gone #5', 'gone #6']);
    expect(report.comics[0]!.warnings).toEqual([expect.stringMatching(/stopped at .*\/gone\/strip\/99\/: Request failed with status 404/)]);
  });

  it('takes a connection slot per page, so walks on one host never wait on each other', async () => {
    follow({ slug: 'one-a', unread: 3 }, { slug: 'one-b', unread: 3 }, { slug: 'one-c', unread: 3 });
    const before = site.server.stats.requests;
    site.server.stats.maxInFlight = 0;
    const report = await runCheck({ ...options, concurrency: 1, perHost: 1 }, deps);
    expect(report.comics.map((comic) => comic.new.length)).toEqual([3, 3, 3]);
    expect(site.server.stats.maxInFlight).toBe(1);
    // Per comic: the entry URL's redirect, then three strip pages.
    expect(site.server.stats.requests - before).toBe(12);
  });
});
