import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeArchiveFs, type ArchiveFs } from '../../src/archive/files.js';
import { runArchive } from '../../src/commands/archive.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { archiveEnv, sha256, type ArchiveEnv } from '../helpers/archive-env.js';
import { startArchiveSite, type ArchiveSite } from '../helpers/archive-site.js';
import { png } from '../helpers/images.js';
import { startServer, type TestServer } from '../helpers/server.js';

let site: ArchiveSite;
let cdn: TestServer;
let env: ArchiveEnv;

beforeAll(async () => {
  site = await startArchiveSite({ count: 8, imageHost: true });
  cdn = await startServer({
    host: '127.0.0.3',
    routes: {
      '/moved.png': { headers: { 'content-type': 'image/png' }, body: png(4242) },
      '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: 'User-agent: *\nCrawl-delay: 0\n' },
    },
  });
});
afterAll(async () => {
  await site.close();
  await cdn.close();
});
beforeEach(async () => {
  env = archiveEnv();
  // The newest six strips recorded (unread), the way a check records them.
  env.follow({ name: 'Strips', mode: 'page', url: site.entryUrl, unread: 6 });
  await env.check();
  site.images.hits.clear();
  site.images.routes.delete('/robots.txt');
  site.resetImages();
});
afterEach(() => env.close());

/** Every file of the comic's folder is in the index, and every indexed file is on disk. */
function expectIndexMatchesFolder(folder: string): void {
  const strips = env.deps.store.history({ limit: 100 }).map((strip) => strip.id);
  const indexed = new Set([...env.archive.filesFor(strips, env.archiveDir).values()]);
  const onDisk = readdirSync(folder).map((file) => join(folder, file));
  expect(onDisk.filter((file) => !indexed.has(file))).toEqual([]);
  for (const file of indexed) expect(onDisk).toContain(file);
}

describe('comics archive: only real images are kept', () => {
  it('refuses an HTML page served as image/png and an oversized image, keeps the rest, and tries only those again', async () => {
    site.overrideImage(4, { headers: { 'content-type': 'image/png' }, body: '<!DOCTYPE html><html><body>Hotlinking is not allowed</body></html>' });
    const huge = Buffer.alloc(33 * 1024 * 1024, 1);
    // Chunked, without Content-Length: the cap applies while reading.
    site.overrideImage(6, (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(huge);
    });
    const report = await env.archiveRun();
    expect(report.exitCode).toBe(1);
    const [comic] = report.comics;
    expect(comic).toMatchObject({ downloaded: 4, alreadyArchived: 0 });
    expect(comic!.failed).toEqual([
      {
        url: site.imageUrl(4),
        reason: `Not an image: an HTML page, not an image, was served as image/png (hotlinking refused?): GET ${site.imageUrl(4)}`,
      },
      { url: site.imageUrl(6), reason: `Response body is larger than 32 MiB (after decompression): GET ${site.imageUrl(6)}` },
    ]);
    expect(env.files(comic!.folder!)).toEqual(['0001 Strip 3.png', '0003 Strip 5.png', '0005 Strip 7.png', '0006 Strip 8.png']);
    expectIndexMatchesFolder(comic!.folder!);

    site.images.hits.clear();
    const again = await env.archiveRun();
    expect(again.comics[0]).toMatchObject({ downloaded: 0, alreadyArchived: 4 });
    expect([...site.images.hits.keys()].sort()).toEqual(['/robots.txt', site.imagePath(4), site.imagePath(6)].sort());
  });

  it('obeys a robots.txt that disallows the image folder for comics', async () => {
    site.images.routes.set('/robots.txt', { headers: { 'content-type': 'text/plain' }, body: 'User-agent: comics\nDisallow: /strips/img/\n' });
    const report = await env.archiveRun();
    expect(report.exitCode).toBe(1);
    expect(report.comics[0]!.downloaded).toBe(0);
    expect(report.comics[0]!.failed).toHaveLength(6);
    expect(report.comics[0]!.failed[0]!.reason).toBe(`Disallowed by robots.txt: GET ${site.imageUrl(3)}`);
    expect([...site.images.hits.keys()]).toEqual(['/robots.txt']);
  });

  it('follows an image redirected to another host, asking that host for its robots.txt', async () => {
    site.overrideImage(5, { status: 302, headers: { location: `${cdn.origin}/moved.png` } });
    const report = await env.archiveRun();
    expect(report.exitCode).toBe(0);
    const folder = report.comics[0]!.folder!;
    expect(env.sha256(join(folder, '0003 Strip 5.png'))).toBe(sha256(png(4242)));
    expect(cdn.hits.get('/robots.txt')).toBe(1);
    expect(cdn.hits.get('/moved.png')).toBe(1);
  });

  it('stores identical images once (a placeholder shown for two strips), recording both strips', async () => {
    const placeholder = { headers: { 'content-type': 'image/png' }, body: png(7777) };
    site.overrideImage(3, placeholder);
    site.overrideImage(7, placeholder);
    const report = await env.archiveRun();
    const [comic] = report.comics;
    expect(comic).toMatchObject({ downloaded: 6, duplicates: 1, failed: [] });
    expect(env.files(comic!.folder!)).toHaveLength(5);
    const ids = env.deps.store.history({ limit: 10 }).filter((strip) => strip.title === 'Strip 3' || strip.title === 'Strip 7');
    const paths = env.archive.filesFor(ids.map((strip) => strip.id), env.archiveDir);
    expect(new Set(paths.values())).toEqual(new Set([join(comic!.folder!, '0001 Strip 3.png')]));
  });
});

describe('comics archive: files are never half-written', () => {
  it('stops at a failing write with one clear error, with the index consistent with the files', async () => {
    let writes = 0;
    const full: ArchiveFs = {
      ...nodeArchiveFs,
      writeFlushed: async (path, bytes) => {
        if (++writes === 3) throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC' });
        await nodeArchiveFs.writeFlushed(path, bytes);
      },
    };
    await expect(env.archiveRun({}, { fs: full })).rejects.toMatchObject({
      code: 'E_WRITE',
      message: `Cannot write to the archive folder ${join(env.archiveDir, 'Strips')}: ENOSPC: no space left on device, write`,
    });
    const folder = join(env.archiveDir, 'Strips');
    expect(readdirSync(folder).filter((file) => file.startsWith('.'))).toEqual([]);
    expectIndexMatchesFolder(folder);

    const report = await env.archiveRun();
    expect(report.comics[0]!.downloaded + report.comics[0]!.alreadyArchived).toBe(6);
    expect(env.files(folder)).toHaveLength(6);
    expectIndexMatchesFolder(folder);
  });

  it('never lets two runs at once fetch the same strip', async () => {
    const other = new ComicsStore(openDatabase(join(env.dir, 'comics.db')));
    try {
      const [a, b] = await Promise.all([
        env.archiveRun(),
        runArchive({ names: [], delayMs: 0 }, { ...env.deps, store: other, claimant: 'other-run', archiveDir: env.archiveDir }),
      ]);
      const archived = (a.comics[0]!.downloaded + a.comics[0]!.alreadyArchived) + (b.comics[0]!.downloaded + b.comics[0]!.alreadyArchived);
      expect(archived).toBeGreaterThanOrEqual(6);
      for (let n = 3; n <= 8; n++) expect(site.images.hits.get(site.imagePath(n))).toBe(1);
      expect(env.files(join(env.archiveDir, 'Strips'))).toHaveLength(6);
    } finally {
      other.db.close();
    }
  });
});
