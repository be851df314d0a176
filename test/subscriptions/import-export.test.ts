import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOpml } from 'feedsmith';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runExport } from '../../src/commands/export.js';
import { runImport } from '../../src/commands/import.js';
import { runList } from '../../src/commands/list.js';
import { HttpClient } from '../../src/http/client.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { startPageSite, type PageSite } from '../helpers/page-site.js';

let site: ComicSite;
let pages: PageSite;
let dir: string;
type Env = { configPath: string; store: ComicsStore; http: HttpClient };
let envs: Env[];

beforeAll(async () => {
  site = await startComicSite();
  pages = await startPageSite({ comics: [{ slug: 'pagecomic', entry: 'latest' }] });
});
afterAll(async () => {
  await site.close();
  await pages.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-import-'));
  envs = [];
});
afterEach(async () => {
  for (const env of envs) {
    env.store.db.close();
    await env.http.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** A separate config and database: one machine. */
function machine(label: string): Env {
  const env = {
    configPath: join(dir, `${label}.json`),
    store: new ComicsStore(openDatabase(join(dir, `${label}.db`))),
    http: new HttpClient({ maxTries: 1 }),
  };
  envs.push(env);
  return env;
}
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const check = (env: Env, opened: string[] = []) =>
  runCheck({ open: true, maxTabs: 50, concurrency: 4, perHost: 2 }, { ...env, opener: async (url) => void opened.push(url), browser: { ok: true }, claimant: 't', digestDir: join(tmpdir(), 'comics-digest-unused') });

describe('comics import', () => {
  it('reads OPML with nested outlines and categories as tags, skips duplicates, and baselines like add', async () => {
    const env = machine('a');
    writeFileSync(env.configPath, JSON.stringify({ comics: [{ name: 'Already', feed: site.feedUrl('rss10') }] }));
    const opml = file(
      'feeds.opml',
      `<?xml version="1.0"?><opml version="2.0"><head><title>Reader export</title></head><body>
  <outline text="Comics">
    <outline text="Daily" title="Daily">
      <outline type="rss" text="Atom comic" xmlUrl="${site.feedUrl('atom10')}" htmlUrl="${site.origin}/atom10/" category="/Funny,/Science/Nerd"/>
    </outline>
    <outline type="rss" text="" xmlUrl="${site.feedUrl('json11')}"/>
    <outline type="rss" text="Again" xmlUrl="${site.feedUrl('rss10').replace('http:', 'https:')}"/>
  </outline>
  <outline type="rss" text="Twice" xmlUrl="${site.feedUrl('atom10')}"/>
  <outline type="rss" text="Relative" xmlUrl="/feed.xml"/>
  <outline type="link" text="Page comic" url="${pages.entryUrl('pagecomic')}"/>
</body></opml>`,
    );
    const { result, exitCode } = await runImport({ file: opml }, env);
    expect(exitCode).toBe(1);
    expect(result.imported.map((c) => [c.name, c.mode, c.tags, c.state])).toEqual([
      ['Atom comic', 'feed', ['Comics', 'Daily', 'Funny', 'Science', 'Nerd'], 'baselined'],
      // No title in the file: the feed's own.
      ['json11', 'feed', ['Comics'], 'baselined'],
      ['Page comic', 'page', [], 'baselined'],
    ]);
    expect(result.skipped.map((c) => [c.name, c.reason])).toEqual([
      ['Again', 'already followed as "Already"'],
      ['Twice', 'listed twice (also at outline "Atom comic")'],
    ]);
    expect(result.rejected).toEqual([{ where: 'outline "Relative"', reason: '"/feed.xml" is not an absolute http(s) URL' }]);
    const config = JSON.parse(readFileSync(env.configPath, 'utf8'));
    expect(config.comics.map((c: { name: string }) => c.name)).toEqual(['Already', 'Atom comic', 'json11', 'Page comic']);
    expect(config.comics[1]).toEqual({ name: 'Atom comic', feed: site.feedUrl('atom10'), url: `${site.origin}/atom10/`, tags: ['Comics', 'Daily', 'Funny', 'Science', 'Nerd'] });
    // Baselined: nothing opens until something is published.
    const opened: string[] = [];
    await check(env, opened);
    expect(opened).toEqual([]);
  });

  it('reads a newsboat urls file: tags, quoted tags, "~" titles, comments; query and exec feeds rejected with their line', async () => {
    const env = machine('b');
    const urls = file(
      'urls',
      [
        '# my feeds',
        `${site.feedUrl('rss20')} comics "daily strips" "~The RSS comic"   # a comment`,
        '',
        `${site.feedUrl('atom03')} "!" comics`,
        '"query:Unread:unread = \\"yes\\""',
        'exec:~/bin/feed.sh',
        `${site.feedUrl('rss20')} duplicate`,
        `"${site.feedUrl('json10')}" "tag with \\"quotes\\""`,
      ].join('\n'),
    );
    const { result } = await runImport({ file: urls }, env);
    expect(result.format).toBe('newsboat');
    expect(result.imported.map((c) => [c.where, c.name, c.tags])).toEqual([
      ['line 2', 'The RSS comic', ['comics', 'daily strips']],
      ['line 4', 'atom03', ['comics']],
      ['line 8', 'json10', ['tag with "quotes"']],
    ]);
    expect(result.skipped).toEqual([expect.objectContaining({ where: 'line 7', reason: 'listed twice (also at line 2)' })]);
    expect(result.rejected.map((r) => r.where)).toEqual(['line 5', 'line 6']);
    expect(result.rejected[0]!.reason).toMatch(/query feed/);
  });

  it('reads OPML in the encoding it declares', async () => {
    const env = machine('latin1');
    const opml = `<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body><outline text="Caf\u00e9 comics" xmlUrl="${site.feedUrl('rss091')}"/></body></opml>`;
    const path = join(dir, 'latin1.opml');
    writeFileSync(path, Buffer.from(opml, 'latin1'));
    const { result } = await runImport({ file: path }, env);
    expect(result.imported.map((c) => c.name)).toEqual(['Caf\u00e9 comics']);
  });

  it('adds a comic it cannot fetch now, to be baselined at its first check', async () => {
    const env = machine('c');
    const urls = file('urls', `${site.origin}/broken.xml\n`);
    const { result, exitCode } = await runImport({ file: urls }, env);
    expect(exitCode).toBe(0);
    expect(result.imported[0]).toMatchObject({ name: '127.0.0.1', state: 'pending', note: expect.stringMatching(/status 500.*baselined at its first check/) });
    expect(runList(env).map((c) => c.name)).toEqual(['127.0.0.1']);
  });

  it('rejects what is not a subscription list with a clear error, touching nothing', async () => {
    const env = machine('d');
    await expect(runImport({ file: join(dir, 'missing.opml') }, env)).rejects.toMatchObject({ code: 'E_USAGE', message: expect.stringMatching(/^Cannot read .*missing\.opml: ENOENT/) });
    await expect(runImport({ file: file('x.json', '{"comics": [') }, env)).rejects.toThrow(/x\.json: not valid JSON/);
    await expect(runImport({ file: file('x.opml', '<html><body>hi</body></html>') }, env)).rejects.toThrow(/x\.opml: not valid OPML/);
    await expect(runImport({ file: file('notes.txt', 'remember the milk\nand eggs\n') }, env)).rejects.toThrow(/notes\.txt: neither OPML, a comics export nor a newsboat urls file/);
    await expect(runImport({ file: file('new.json', '{"format":"comics-export","version":9,"comics":[]}') }, env)).rejects.toThrow(/written by a newer comics/);
    expect(() => readFileSync(env.configPath)).toThrow();
  });
});

describe('comics export', () => {
  it('moves a reader to another machine losslessly: JSON export, import, export again', async () => {
    const here = machine('here');
    writeFileSync(
      here.configPath,
      JSON.stringify({
        comics: [
          { name: 'RSS', feed: site.feedUrl('rss20'), tags: ['daily'], unread: 1 },
          { name: 'Pages', mode: 'page', url: pages.entryUrl('pagecomic'), selectors: { image: '#comic img' }, maxWalk: 5 },
          { name: 'Never checked', feed: site.feedUrl('atom03') },
        ],
      }),
    );
    const opened: string[] = [];
    await check(here, opened);
    site.publish('rss20', 3);
    pages.publish('pagecomic', 2);
    await runCheck({ open: true, maxTabs: 2, concurrency: 4, perHost: 2 }, { ...here, opener: async (url) => void opened.push(url), browser: { ok: true }, claimant: 't', digestDir: join(tmpdir(), 'comics-digest-unused') });
    here.store.recordFailure('Never checked', site.feedUrl('atom03'), { code: 'E_TIMEOUT', message: 'slow' });
    const unreadHere = here.store.unread().map((s) => s.url);
    expect(unreadHere.length).toBeGreaterThan(0);

    const exported = runExport({ format: 'json', now: new Date('2024-02-01T00:00:00Z') }, here);
    const document = JSON.parse(exported);
    expect(document).toMatchObject({ format: 'comics-export', version: 1, exportedAt: '2024-02-01T00:00:00.000Z' });
    expect(document.comics[0]).toMatchObject({ name: 'RSS', tags: ['daily'], unread: 1, state: { feed: site.feedUrl('rss20'), etag: expect.any(String) } });
    expect(document.comics[0].strips[0]).toEqual(expect.objectContaining({ key: expect.any(String), readAt: expect.any(String), readVia: expect.any(String) }));
    // Images travel with their alt and hover text, from feeds and from pages alike.
    expect(document.comics[0].strips[0]).toEqual(expect.objectContaining({ image: expect.any(String), imageAlt: expect.stringMatching(/^Strip \d+ art$/), imageTitle: expect.stringMatching(/^Hover text of strip \d+$/) }));
    expect(document.comics[1].strips[0]).toEqual(expect.objectContaining({ image: expect.any(String), imageAlt: expect.stringMatching(/^Strip \d+$/), imageTitle: expect.stringMatching(/^Hover \d+$/) }));

    const there = machine('there');
    const { result } = await runImport({ file: file('backup.json', exported) }, there);
    expect(result.imported.map((c) => [c.name, c.state])).toEqual([
      ['RSS', 'restored'],
      ['Pages', 'restored'],
      ['Never checked', 'restored'],
    ]);
    expect(runExport({ format: 'json', now: new Date('2024-02-01T00:00:00Z') }, there)).toBe(exported);
    expect(there.store.unread().map((s) => s.url)).toEqual(unreadHere);
    // Carried over: the next check there opens what was unread here, and nothing already read.
    const openedThere: string[] = [];
    await check(there, openedThere);
    expect(openedThere).toEqual(unreadHere);
    // Importing the same export again adds nothing.
    const again = await runImport({ file: file('backup.json', exported) }, there);
    expect(again.result.imported).toEqual([]);
    expect(again.result.skipped).toHaveLength(3);
  });

  it('imports an export written before strips kept their images’ texts', async () => {
    const there = machine('older');
    const older = {
      format: 'comics-export',
      version: 1,
      comics: [
        {
          name: 'Old',
          feed: site.feedUrl('rss20'),
          state: { feed: site.feedUrl('rss20'), etag: null, lastModified: null, baselinedAt: '2024-01-01T00:00:00.000Z', lastChecked: null, lastSuccess: null, lastError: null, errorCode: null, failureStreak: 0 },
          strips: [{ key: 'k1', url: 'https://x.test/1', title: 'One', published: null, image: 'https://x.test/1.png', position: 0, firstSeen: '2024-01-01T00:00:00.000Z', readAt: null, readVia: null, skipped: null }],
        },
      ],
    };
    const { result } = await runImport({ file: file('export-v1.json', JSON.stringify(older)) }, there);
    expect(result.imported.map((c) => c.state)).toEqual(['restored']);
    expect(there.store.unread()).toEqual([expect.objectContaining({ key: 'k1', image: 'https://x.test/1.png', imageAlt: null, imageTitle: null })]);
  });

  it('writes OPML that other readers (and import) understand: feeds, page comics as links, tags as categories', async () => {
    const here = machine('opml-here');
    writeFileSync(
      here.configPath,
      JSON.stringify({
        comics: [
          { name: 'Tom & Jerry', feed: site.feedUrl('rss20'), url: `${site.origin}/rss20/`, tags: ['daily', 'cats'] },
          { name: 'Pages', mode: 'page', url: pages.entryUrl('pagecomic') },
        ],
      }),
    );
    const opml = runExport({ format: 'opml' }, here);
    expect(opml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<opml version="2\.0">/);
    expect(parseOpml(opml).body?.outlines).toEqual([
      { text: 'Tom & Jerry', title: 'Tom & Jerry', type: 'rss', category: '/daily,/cats', xmlUrl: site.feedUrl('rss20'), htmlUrl: `${site.origin}/rss20/` },
      { text: 'Pages', title: 'Pages', type: 'link', url: pages.entryUrl('pagecomic'), htmlUrl: pages.entryUrl('pagecomic') },
    ]);
    const there = machine('opml-there');
    const { result } = await runImport({ file: file('out.opml', opml) }, there);
    expect(JSON.parse(readFileSync(there.configPath, 'utf8')).comics).toEqual([
      { name: 'Tom & Jerry', feed: site.feedUrl('rss20'), url: `${site.origin}/rss20/`, tags: ['daily', 'cats'] },
      { name: 'Pages', mode: 'page', url: pages.entryUrl('pagecomic') },
    ]);
    expect(result.imported.every((c) => c.state === 'baselined')).toBe(true);
  });
});
