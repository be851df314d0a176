import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { startPageSite, type PageSite } from '../helpers/page-site.js';
import { RECORD_BROWSER, recorded, runComics } from '../helpers/cli.js';

let feeds: ComicSite;
let pages: PageSite;
let dir: string;
let env: Record<string, string>;
let record: string;

beforeAll(async () => {
  feeds = await startComicSite({ comics: [{ slug: 'windowed', format: 'rss20', window: 5 }] });
  pages = await startPageSite({ comics: [{ slug: 'strips' }, { slug: 'redesign', entry: 'latest' }] });
});
afterAll(async () => {
  await feeds.close();
  await pages.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-e2e-pages-'));
  record = join(dir, 'opened.txt');
  env = { COMICS_CONFIG: join(dir, 'comics.json'), COMICS_DB: join(dir, 'comics.db'), BROWSER: RECORD_BROWSER, COMICS_TEST_RECORD: record };
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('comics CLI: page mode, catch-up, health, import/export', () => {
  it('adds a site without a feed in page mode, then opens its new strips oldest first', async () => {
    const added = await runComics(['add', pages.entryUrl('strips')], env);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added strips comics in page mode: ${pages.entryUrl('strips')}`);
    expect(added.stdout).toContain(`strip image:    ${pages.imageUrl('strips', 3)}`);
    expect(added.stdout).toContain(`previous strip: ${pages.stripUrl('strips', 2)}`);
    const [a] = pages.publish('strips', 2);
    const run = await runComics(['check', '--json'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).comics[0]).toMatchObject({ name: 'strips comics', mode: 'page', status: 'new', pages: 3, warnings: [] });
    expect(recorded(record)).toEqual([pages.stripUrl('strips', a!), pages.entryUrl('strips')]);
  });

  it('catches up past a feed window and lists how far behind each comic is', async () => {
    expect((await runComics(['add', feeds.feedUrl('windowed')], env)).code).toBe(0);
    feeds.publish('windowed', 8);
    const run = await runComics(['check', '--no-open'], { ...env, FORCE_COLOR: '0' });
    expect(run.stdout).toMatch(/windowed\s+8 new\s+.*\(3 from before the feed's window\)/);
    const list = JSON.parse((await runComics(['list', '--json'], env)).stdout);
    expect(list).toEqual([expect.objectContaining({ name: 'windowed', behind: 8, unread: 8, failing: false, failureClass: null })]);
    const table = (await runComics(['list'], env)).stdout;
    expect(table).toMatch(/^NAME\s+BEHIND\s+CHECKED\s+STATUS\nwindowed\s+8\s+just now\s+ok\n$/);
  });

  it('prints each failure once with its class, marks failing comics in list, and doctor says what to change', async () => {
    writeFileSync(
      env.COMICS_CONFIG!,
      JSON.stringify({
        comics: [
          { name: 'gone', feed: `${feeds.origin}/gone.xml` },
          { name: 'redesign', mode: 'page', url: pages.entryUrl('redesign'), selectors: { image: '#comic img' } },
        ],
      }),
    );
    await runComics(['check', '--no-open'], env);
    pages.drift('redesign');
    pages.publish('redesign', 1);
    const run = await runComics(['check', '--no-open', '--timeout', '5000'], { ...env, FORCE_COLOR: '0' });
    expect(run.code).toBe(1);
    expect(run.stdout.match(/gone\s+error/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/gone\s+error\s+Request failed with status 404 .* \(HTTP status, failing 2 checks in a row\)/);
    expect(run.stdout).toMatch(/redesign\s+error\s+selectors\.image "#comic img" no longer matches an image on .* \(selector no longer matching\)/);
    expect(run.stdout).toMatch(/comics doctor tells what to change/);

    const list = JSON.parse((await runComics(['list', '--json'], env)).stdout);
    expect(list.map((c: { name: string; failing: boolean; failureClass: string }) => [c.name, c.failing, c.failureClass])).toEqual([
      ['gone', true, 'http'],
      ['redesign', true, 'selector'],
    ]);
    expect((await runComics(['list'], { ...env, FORCE_COLOR: '0' })).stdout).toMatch(/redesign\s+0\s+just now\s+failing 1× since just now \(selector no longer matching\): selectors\.image/);

    const doctor = await runComics(['doctor', '--json', '--timeout', '5000'], env);
    expect(doctor.code).toBe(1);
    const diagnoses = JSON.parse(doctor.stdout);
    expect(diagnoses).toEqual([
      expect.objectContaining({ name: 'gone', ok: false, problems: [expect.stringMatching(/status 404 .*: the feed has moved or gone/)] }),
      expect.objectContaining({ name: 'redesign', ok: false, problems: [expect.stringMatching(/the defaults would take .*\/redesign\/img\/4\.png \(selector "img\.panel"\)$/)] }),
    ]);
    const text = await runComics(['doctor', 'redesign'], { ...env, FORCE_COLOR: '0' });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^needs attention \(selector no longer matching\)  redesign \(page: .*\)/);
    expect(text.stdout).toMatch(/1 of 1 comic needs attention\.\n$/);
    const unknown = await runComics(['doctor', 'nope'], env);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'comics: No comic named "nope" is followed; see comics list\n']);
  });

  it('imports a newsboat urls file and exports JSON and OPML; bad flags exit 2', async () => {
    const urls = join(dir, 'urls');
    writeFileSync(urls, `# feeds\n${feeds.feedUrl('atom10')} comics "~Atom"\nquery:x:unread = "yes"\n${feeds.feedUrl('atom10')}\n`);
    const imported = await runComics(['import', urls, '--json'], env);
    expect(imported.code).toBe(1);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      format: 'newsboat',
      imported: [{ name: 'Atom', tags: ['comics'], state: 'baselined' }],
      skipped: [{ where: 'line 4', reason: 'listed twice (also at line 2)' }],
      rejected: [{ where: 'line 3' }],
    });
    const exported = await runComics(['export', '--format', 'json'], env);
    expect(JSON.parse(exported.stdout)).toMatchObject({ format: 'comics-export', comics: [{ name: 'Atom', feed: feeds.feedUrl('atom10'), tags: ['comics'] }] });
    const opml = await runComics(['export'], env);
    expect(opml.stdout).toMatch(/<outline text="Atom" type="rss" category="\/comics" xmlUrl=/);
    expect((await runComics(['export', '--format', 'xml'], env)).code).toBe(2);
    expect((await runComics(['check', '--max-walk', '0'], env)).stderr).toMatch(/Expected an integer from 1 and up, got "0"/);
    const again = await runComics(['import', urls], env);
    expect(again.stdout).toMatch(/0 comics imported, 2 duplicates skipped, 1 entry rejected\./);
    expect(JSON.parse(readFileSync(env.COMICS_CONFIG!, 'utf8')).comics).toHaveLength(1);
  });
});
