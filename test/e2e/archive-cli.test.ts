import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { startArchiveSite, type ArchiveSite } from '../helpers/archive-site.js';
import { CLI, runComics } from '../helpers/cli.js';
import { png } from '../helpers/images.js';

const STRIPS = 300;
let site: ArchiveSite;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  site = await startArchiveSite({ count: STRIPS, latencyMs: 1 });
});
afterAll(() => site.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-e2e-archive-'));
  env = { COMICS_CONFIG: join(dir, 'comics.json'), COMICS_DB: join(dir, 'comics.db') };
  writeFileSync(env.COMICS_CONFIG!, JSON.stringify({ comics: [{ name: 'Strips', mode: 'page', url: site.entryUrl }] }));
  site.onImageServed = null;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
// The fixture's images are PNGs seeded by their strip number.
const served = new Set(Array.from({ length: STRIPS }, (_, i) => sha(png(i + 1))));

/** Runs the CLI and kills it with SIGKILL once the site has answered `images` image requests in full. */
function runUntilKilled(args: string[], images: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
    let seen = 0;
    site.onImageServed = () => {
      if (++seen === images) child.kill('SIGKILL');
    };
    child.once('error', reject);
    child.once('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`exited with ${code} before the kill`))));
  });
}

function stripPages(log: { path: string }[]): string[] {
  return log.map((entry) => entry.path).filter((path) => path.includes('/strip/'));
}

describe('comics archive (CLI)', () => {
  it('resumes after kill -9: no partial file, nothing refetched but what was in flight, the walk goes on where it stopped', async () => {
    expect((await runComics(['check', '--no-open'], env)).code).toBe(0);
    site.pages.log.length = 0;
    site.pages.hits.clear();
    await runUntilKilled(['archive', '--all', '--delay', '0'], 100);
    const folder = join(dir, 'strips', 'Strips');

    // Every file under a final name is a whole image; only temporary files may be partial.
    const finals = readdirSync(folder).filter((file) => !file.startsWith('.'));
    expect(finals.length).toBeGreaterThan(50);
    for (const file of finals) expect(served.has(sha(readFileSync(join(folder, file))))).toBe(true);

    const db = openDatabase(env.COMICS_DB!);
    const nextUrl = db.prepare("SELECT next_url FROM archive_walks WHERE comic = 'Strips'").pluck().get() as string;
    const indexed = new Set(
      (
        db
          .prepare(
            `SELECT s.image FROM strips s JOIN archive_strips a ON a.comic = s.comic AND a.key = s.key
             JOIN archive_files f ON f.comic = a.comic AND f.sha256 = a.sha256 WHERE f.pending_by IS NULL`,
          )
          .pluck()
          .all() as string[]
      ).map(
        (url) => new URL(url).pathname,
      ),
    );
    db.close();
    const firstImages = new Set([...site.pages.hits.keys()].filter((path) => path.includes('/img/')));
    const firstPages = stripPages(site.pages.log);
    site.pages.log.length = 0;
    site.pages.hits.clear();

    const resumed = await runComics(['archive', '--all', '--delay', '0', '--json'], env);
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report.dir).toBe(join(dir, 'strips'));
    expect(report.comics[0]).toMatchObject({ name: 'Strips', failed: [], firstReached: true, complete: true });
    expect(report.comics[0].downloaded + report.comics[0].alreadyArchived).toBe(STRIPS);

    // The walk went on from the page it was reading: at most that page and the one already
    // asked for while it was read are read twice.
    const secondPages = stripPages(site.pages.log);
    expect(new URL(nextUrl).pathname).toBe(secondPages[0]);
    expect(secondPages.filter((path) => firstPages.includes(path)).length).toBeLessThanOrEqual(2);
    // Images fetched again are only those whose strip was not archived yet (in flight, or
    // written but not yet in place under its name).
    const refetched = [...site.pages.hits.keys()].filter((path) => firstImages.has(path));
    expect(refetched.filter((path) => indexed.has(path))).toEqual([]);
    expect(refetched.length).toBeLessThanOrEqual(4);

    const files = readdirSync(folder);
    expect(files).toHaveLength(STRIPS);
    files.sort().forEach((file, i) => {
      expect(file).toBe(`${String(i + 1).padStart(4, '0')} Strip ${i + 1}.png`);
      expect(sha(readFileSync(join(folder, file)))).toBe(sha(png(i + 1)));
    });
  }, 60_000);

  it('stops cleanly on Ctrl-C (exit 130, what was archived kept and reported) and goes on from there', async () => {
    const child = spawn(process.execPath, [CLI, 'archive', '--all', '--delay', '0', '--json'], { env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    let seen = 0;
    site.onImageServed = () => {
      if (++seen === 40) child.kill('SIGINT');
    };
    const code = await new Promise<number | null>((resolve) => child.once('exit', (status) => resolve(status)));
    expect(code).toBe(130);
    const stopped = JSON.parse(stdout).comics[0];
    expect(stopped).toMatchObject({ complete: false, failed: [] });
    expect(stopped.downloaded).toBeGreaterThanOrEqual(35);
    expect(readdirSync(join(dir, 'strips', 'Strips')).filter((file) => file.startsWith('.'))).toEqual([]);

    const resumed = JSON.parse((await runComics(['archive', '--all', '--delay', '0', '--json'], env)).stdout).comics[0];
    expect(resumed).toMatchObject({ complete: true, firstReached: true, failed: [] });
    expect(resumed.downloaded + resumed.alreadyArchived).toBe(STRIPS);
    expect(resumed.alreadyArchived).toBe(stopped.downloaded);
  }, 60_000);

  it('puts the archive where --archive-dir or COMICS_ARCHIVE_DIR say, prints a table, and exits 2 on bad usage', async () => {
    expect((await runComics(['check', '--no-open'], env)).code).toBe(0);
    const chosen = join(dir, 'elsewhere');
    const table = await runComics(['--archive-dir', chosen, 'archive', 'strips'], { ...env, NO_COLOR: '1' });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Strips\s+1 archived · 0 already · \d+ B\nArchived 1 strip \(\d+ B\) into .*elsewhere in \d+\.\d s\.\n$/);
    expect(existsSync(join(chosen, 'Strips', `0001 Strip ${STRIPS}.png`))).toBe(true);
    const fromEnv = await runComics(['archive', '--json'], { ...env, COMICS_ARCHIVE_DIR: chosen });
    expect(JSON.parse(fromEnv.stdout).comics[0]).toMatchObject({ downloaded: 0, alreadyArchived: 1 });

    const usage = await runComics(['archive', '--max-pages', '0'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Expected an integer from 1 and up, got "0"');
    const unknown = await runComics(['archive', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^comics: No comic named "nope" is followed/);
  });
});
