import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { archiveEnv, sha256, type ArchiveEnv } from '../helpers/archive-env.js';
import { startArchiveSite, type ArchiveSite } from '../helpers/archive-site.js';

const STRIPS = 300;
let site: ArchiveSite;
let env: ArchiveEnv;

beforeAll(async () => {
  site = await startArchiveSite({ count: STRIPS, format: (n) => (n % 7 === 0 ? 'gif' : n % 5 === 0 ? 'jpeg' : 'png') });
});
afterAll(() => site.close());
beforeEach(() => {
  env = archiveEnv();
  env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl });
});
afterEach(() => env.close());

describe('comics archive --all', () => {
  it('archives a whole back catalogue byte for byte, named in reading order, each image fetched once', async () => {
    await env.check();
    site.pages.hits.clear();
    const report = await env.archiveRun({ all: true });
    expect(report.exitCode).toBe(0);
    const [comic] = report.comics;
    expect(comic).toMatchObject({
      name: 'Strips',
      downloaded: STRIPS,
      alreadyArchived: 0,
      failed: [],
      firstReached: true,
      complete: true,
      folder: join(env.archiveDir, 'Strips'),
    });
    // The newest strip's page is read again for its previous link; every other page once.
    expect(comic!.walked).toBe(STRIPS);
    const files = env.files(comic!.folder!);
    expect(files).toHaveLength(STRIPS);
    files.forEach((file, i) => {
      const n = i + 1;
      const ext = n % 7 === 0 ? 'gif' : n % 5 === 0 ? 'jpg' : 'png';
      expect(file).toBe(`${String(n).padStart(4, '0')} Strip ${n}.${ext}`);
      expect(env.sha256(join(comic!.folder!, file))).toBe(sha256(site.imageBytes(n)));
    });
    for (let n = 1; n <= STRIPS; n++) {
      expect(site.pages.hits.get(site.imagePath(n))).toBe(1);
      expect(site.pages.hits.get(new URL(site.stripUrl(n)).pathname)).toBe(1);
    }
    expect(site.pages.stats.maxInFlight).toBeLessThanOrEqual(2);

    // Everything is archived and the walk is remembered as complete: nothing is fetched again.
    site.pages.hits.clear();
    const again = await env.archiveRun({ all: true });
    expect(again.comics[0]).toMatchObject({ downloaded: 0, alreadyArchived: STRIPS, walked: 0, complete: true, firstReached: true });
    expect([...site.pages.hits.keys()]).toEqual([]);
  });

  it('paces each host by --delay and its Crawl-delay, one request at a time, pages and images taking turns', async () => {
    const paced = await startArchiveSite({ count: 12, imageHost: true, imageRobots: 'User-agent: *\nCrawl-delay: 0.03\n' });
    const shared = await startArchiveSite({ slug: 'shared', count: 12 });
    try {
      env.follow({ name: 'Paced', mode: 'page', url: paced.entryUrl }, { name: 'Shared', mode: 'page', url: shared.entryUrl });
      await env.check();
      paced.pages.log.length = 0;
      shared.pages.log.length = 0;
      const report = await env.archiveRun({ all: true, delayMs: 10 });
      expect(report.comics.map((comic) => [comic.downloaded, comic.firstReached])).toEqual([
        [12, true],
        [12, true],
      ]);
      expect(paced.pages.stats.maxInFlight).toBe(1);
      expect(paced.images.stats.maxInFlight).toBe(1);
      expect(shared.pages.stats.maxInFlight).toBe(1);
      // On one host, the walk does not run ahead of the images: they take turns.
      const kinds = shared.pages.log.map((entry) => (entry.path.includes('/img/') ? 'i' : 'p')).join('');
      expect(kinds).not.toMatch(/ppp/);
    } finally {
      await paced.close();
      await shared.close();
    }
  });
});
