import { existsSync, linkSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renamingName } from '../../src/archive/files.js';
import { runList } from '../../src/commands/list.js';
import { archiveEnv, sha256, type ArchiveEnv } from '../helpers/archive-env.js';
import { startArchiveSite, type ArchiveSite } from '../helpers/archive-site.js';

let site: ArchiveSite;
let env: ArchiveEnv;

beforeAll(async () => {
  site = await startArchiveSite({ count: 120, dated: true });
});
afterAll(() => site.close());
beforeEach(() => {
  env = archiveEnv();
});
afterEach(() => env.close());

/** Strip numbers of the comic's files, in file-name order. */
function stripsInNameOrder(folder: string): number[] {
  return env.files(folder).map((file) => Number(/Strip (\d+)\./.exec(file)?.[1]));
}

function pagesFetched(): string[] {
  return site.pages.log.map((entry) => entry.path).filter((path) => path.includes('/strip/'));
}

describe('comics archive: resumable walks and settled names', () => {
  it('continues a walk cut short by --max-pages from where it stopped, and remembers a finished one', async () => {
    env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl });
    await env.check();
    site.pages.log.length = 0;
    const first = await env.archiveRun({ all: true, maxPages: 50 });
    expect(first.exitCode).toBe(0);
    expect(first.comics[0]).toMatchObject({ walked: 50, downloaded: 50, complete: false, firstReached: false });
    const folder = first.comics[0]!.folder!;
    // Names are settled at the end of each run: they sort in reading order.
    expect(stripsInNameOrder(folder)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(pagesFetched().at(-1)).toBe('/strips/strip/71/');

    const second = await env.archiveRun({ all: true, maxPages: 50 });
    expect(second.comics[0]).toMatchObject({ walked: 50, downloaded: 50, complete: false });
    const third = await env.archiveRun({ all: true, maxPages: 50 });
    expect(third.comics[0]).toMatchObject({ walked: 20, downloaded: 20, complete: true, firstReached: true });
    // Every strip page once, but the newest (read by check, and again for its previous link).
    const pages = pagesFetched();
    expect(pages[1]).toBe('/strips/strip/119/');
    expect(new Set(pages).size).toBe(pages.length);
    expect(pages).toHaveLength(120);
    expect(stripsInNameOrder(folder)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(env.files(folder)[0]).toBe('0001 2020-01-02 Strip 1.png');

    const fourth = await env.archiveRun({ all: true });
    expect(fourth.comics[0]).toMatchObject({ walked: 0, downloaded: 0, alreadyArchived: 120, complete: true, firstReached: true });
    // The back catalogue is read: nothing to open.
    expect(env.deps.store.countUnread()).toBe(0);
    const walked = env.deps.store.history({ limit: 1000 }).filter((strip) => strip.readVia === 'archive');
    expect(walked).toHaveLength(119);
    // Recorded as page mode records strips: with the image's alt text.
    expect(walked.find((strip) => strip.title === 'Strip 5')).toMatchObject({ image: site.imageUrl(5), imageAlt: 'Strip 5' });
  });

  it('renames archived files into publication order when a walk finds older strips', async () => {
    env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl, unread: 3 });
    await env.check();
    const recorded = await env.archiveRun();
    const folder = recorded.comics[0]!.folder!;
    expect(env.files(folder)).toEqual(['0001 2020-04-28 Strip 118.png', '0002 2020-04-29 Strip 119.png', '0003 2020-04-30 Strip 120.png']);
    site.images.hits.clear();
    const walked = await env.archiveRun({ all: true });
    expect(walked.comics[0]).toMatchObject({ downloaded: 117, alreadyArchived: 3, firstReached: true });
    expect(stripsInNameOrder(folder)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(env.files(folder).at(-1)).toBe('0120 2020-04-30 Strip 120.png');
    expect(env.sha256(join(folder, '0120 2020-04-30 Strip 120.png'))).toBe(sha256(site.imageBytes(120)));
    expect(site.images.hits.get(site.imagePath(120))).toBeUndefined();
  });

  it('finishes a renaming that a killed run left, and removes the temporary files of dead runs', async () => {
    env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl, unread: 2 });
    await env.check();
    const folder = (await env.archiveRun()).comics[0]!.folder!;
    const [older, newer] = env.files(folder);
    // A run was killed in the middle of renaming: its journal names the new names, one file is moved away.
    const rows = env.archive.namedFiles('Strips').files;
    const moving = rows.find((row) => row.file === older)!;
    env.archive.beginRenaming('Strips', [{ sha256: moving.sha256, from: older!, to: `0009 ${older!.slice(5)}` }], 1);
    renameSync(join(folder, older!), join(folder, renamingName(moving.sha256)));
    env.archive.renamingPhase2('Strips');
    writeFileSync(join(folder, '.comics-999999999-0a1b2c.part'), 'half an image');
    const run = await env.archiveRun();
    expect(run.comics[0]).toMatchObject({ alreadyArchived: 2, downloaded: 0 });
    // Finished, then settled back to the strip's true place.
    expect(env.files(folder)).toEqual([older, newer]);
    expect(existsSync(join(folder, '.comics-999999999-0a1b2c.part'))).toBe(false);

    // Killed in a one-step renaming, between giving the new name and removing the old one.
    const other = env.archive.namedFiles('Strips').files.find((row) => row.file === newer)!;
    env.archive.beginRenaming('Strips', [{ sha256: other.sha256, from: newer!, to: `0009 ${newer!.slice(5)}` }], 3);
    linkSync(join(folder, newer!), join(folder, `0009 ${newer!.slice(5)}`));
    expect((await env.archiveRun()).comics[0]).toMatchObject({ alreadyArchived: 2, downloaded: 0 });
    expect(env.files(folder)).toEqual([older, newer]);
  });
});

describe('archiving from check, list and other commands', () => {
  it('check archives each new strip of a comic with "archive": true, and only those', async () => {
    env.follow(
      { name: 'Archived', feed: site.feedUrl, archive: true },
      { name: 'Plain', mode: 'page', url: site.entryUrl },
    );
    await env.check();
    const [a, b] = site.publish(2);
    const report = await env.check();
    expect(report.comics.map((comic) => [comic.name, comic.new.length, comic.warnings])).toEqual([
      ['Archived', 2, []],
      ['Plain', 2, []],
    ]);
    expect(env.files(join(env.archiveDir, 'Archived'))).toEqual([`0006 Strip ${a}.png`, `0007 Strip ${b}.png`]);
    expect(existsSync(join(env.archiveDir, 'Plain'))).toBe(false);
    expect(runList(env.deps).map((comic) => [comic.name, comic.archived])).toEqual([
      ['Archived', 2],
      ['Plain', 0],
    ]);
  });

  it('archives a strip recorded without an image from its own page, and says why when a lookup finds none', async () => {
    env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl });
    env.deps.store.recordSuccess('Strips', {
      feed: site.entryUrl,
      entries: [{ key: 'no-image', url: site.stripUrl(5), title: 'Strip 5', published: null, image: null }],
      validators: { etag: null, lastModified: null },
      unreadAtBaseline: 1,
    });
    const none = await env.archiveRun({}, {
      lookupImages: async (strips) => new Map(strips.map((strip) => [strip.id, { image: null, warning: 'no strip image on its page' }])),
    });
    expect(none.exitCode).toBe(1);
    expect(none.comics[0]!.failed).toEqual([{ url: site.stripUrl(5), reason: 'no strip image on its page' }]);
    // By default the strip's own page is read with the page rules, through the archive's polite requests.
    const found = await env.archiveRun();
    expect(found.exitCode).toBe(0);
    expect(found.comics[0]!.downloaded).toBe(1);
    expect(env.files(found.comics[0]!.folder!)[0]).toMatch(/ Strip 5\.png$/);
    expect(env.deps.store.history({ limit: 5 }).find((strip) => strip.key === 'no-image')?.image).toMatch(/5\.png$/);
  });

  it('checks comics never checked first (a baseline, as check does), says why one cannot be, and that names must be followed comics', async () => {
    const gone = `${site.pages.origin}/gone.xml`;
    env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl, unread: 1 }, { name: 'Gone', feed: gone });
    const report = await env.archiveRun();
    expect(report.exitCode).toBe(1);
    expect(report.comics[0]).toMatchObject({ downloaded: 1, failed: [] });
    expect(report.comics[1]!.failed).toEqual([
      { url: gone, reason: `Could not be checked, so there is nothing to archive yet: Request failed with status 404 Not Found: GET ${gone}` },
    ]);
    // The newest strip stays unread, as the first check leaves it.
    expect(env.deps.store.countUnread(['Strips'])).toBe(1);
    await expect(env.archiveRun({ names: ['nope'] })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
