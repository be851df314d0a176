import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { graph, page } from './fixtures.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
let dir: string;
let server: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'comics-crawl-'));
  server = await startServer({
    host: '127.0.0.5',
    routes: {
      ...graph({ '/': ['/a', '/missing', '/moved'], '/a': ['/missing'], '/new': [] }),
      '/moved': { status: 301, headers: { location: '/new' } },
      '/atom.xml': { headers: { 'content-type': 'application/atom+xml' }, body: '<feed xmlns="http://www.w3.org/2005/Atom"/>' },
      '/feed-page': page([], '<link rel="alternate" type="application/atom+xml" href="/atom.xml" title="Strips">'),
    },
  });
  server.routes.set('/a', page(['/missing', '/feed-page']));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function comics(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, '--db', join(dir, 'comics.db'), ...args],
      { env: { ...process.env, NO_COLOR: '1' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('comics crawl (built CLI)', () => {
  it('prints one JSON document with --json and writes --out JSON lines', async () => {
    const out = join(dir, 'pages.jsonl');
    const { code, stdout, stderr } = await comics(['crawl', server.url('/'), '--json', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      run: expect.any(Number),
      pages: 7,
      errors: 1,
      broken: [{ url: server.url('/missing'), status: 404, from: server.url('/') }],
      feeds: [server.url('/atom.xml')],
      elapsedMs: expect.any(Number),
    });
    expect(report.broken[0].referrers.sort()).toEqual([server.url('/'), server.url('/a')]);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining(['url', 'status', 'finalUrl', 'contentType', 'bytes', 'ms', 'depth', 'from', 'error']),
      );
    }
    expect(lines.find((line) => line.url === server.url('/atom.xml'))).toMatchObject({
      status: 200,
      contentType: 'application/atom+xml',
      bytes: 43,
    });
    expect(lines.find((line) => line.url === server.url('/moved'))).toMatchObject({
      status: 301,
      finalUrl: server.url('/new'),
      depth: 1,
      from: server.url('/'),
      error: null,
    });
  });

  it('reads a site list, reporting bad lines by number, and prints a readable report', async () => {
    const sites = join(dir, 'sites.txt');
    writeFileSync(sites, `# test sites\n\n${server.url('/')}\nnot a url\n`);
    const { code, stdout, stderr } = await comics(['crawl', '--sites', sites, '--max-pages', '3']);
    expect(code).toBe(0);
    expect(stderr).toContain(`${sites} line 4: expected one URL, got "not a url" (skipped)`);
    expect(stdout).toContain('Sites');
    expect(stdout).toContain('Broken links');
    expect(stdout).toMatch(/Crawled: 3 pages in [\d.]+ s \([\d.]+ pages\/s\), \d+ errors?\. Run \d+\./);
  });

  it('exits 1 when a seed cannot be fetched at all, and 2 for usage errors', async () => {
    const down = await comics(['crawl', 'http://127.0.0.1:9/', '--max-tries', '1', '--json']);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout).sites[0].seedError).toMatch(/Network error/);
    expect((await comics(['crawl', server.url('/'), '--concurrency', '0'])).code).toBe(2);
    expect((await comics(['crawl'])).code).toBe(2);
    expect((await comics(['crawl', 'ftp://x.test/'])).code).toBe(2);
    const missing = await comics(['crawl', '--sites', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the site list');
  });

  it('resumes a finished run without fetching anything again', async () => {
    const first = JSON.parse((await comics(['crawl', server.url('/'), '--json'])).stdout);
    const before = server.stats.requests;
    const again = await comics(['crawl', '--resume', String(first.run), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ run: first.run, pages: first.pages, status: 'finished' });
    expect(server.stats.requests).toBe(before);
  });
});

describe('a crawl of a host that is down', () => {
  it('reports the network error as an error, not as a block by robots.txt', async () => {
    const down = await startServer({ host: '127.0.0.6' });
    const url = down.url('/');
    await down.close();
    const json = await comics(['crawl', url, '--json', '--max-tries', '1']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ pages: 0, errors: 1, blocked: 0 });
    expect(report.sites[0].seedError).toMatch(/robots\.txt could not be fetched \(Network error \(.*ECONNREFUSED/);
    expect(report.broken).toEqual([expect.objectContaining({ url, status: null, error: expect.stringMatching(/ECONNREFUSED/) })]);
    const text = await comics(['crawl', url, '--max-tries', '1']);
    expect(text.stdout).toMatch(/Crawled: 0 pages in [\d.]+ s \([\d.]+ pages\/s\), 1 error\. Run \d+\./);
    expect(text.stdout).not.toMatch(/blocked by robots\.txt/);
  });

  it('counts a robots.txt that answers 5xx as an error too', async () => {
    const failing = await startServer({ host: '127.0.0.7', routes: { '/robots.txt': { status: 503 }, '/': page([]) } });
    try {
      const run = await comics(['crawl', failing.url('/'), '--json', '--max-tries', '1']);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({ errors: 1, blocked: 0 });
      expect(report.sites[0].seedError).toMatch(/robots\.txt could not be fetched \(it answered HTTP 503\)/);
      expect(failing.hits.get('/')).toBeUndefined();
    } finally {
      await failing.close();
    }
  });
});

describe('feeds a crawl finds', () => {
  it('are offered for comics add only when they answered as feeds', async () => {
    const site = await startServer({
      host: '127.0.0.8',
      routes: {
        '/': page(
          [],
          '<link rel="alternate" type="application/rss+xml" href="/rss.xml" title="Works">' +
            '<link rel="alternate" type="application/atom+xml" href="/gone.xml" title="Gone">' +
            '<link rel="alternate" type="application/rss+xml" href="/old.xml" title="Moved">' +
            '<link rel="alternate" type="application/rss+xml" href="http://127.0.0.9:1/elsewhere.xml" title="Elsewhere">',
        ),
        '/rss.xml': { headers: { 'content-type': 'application/rss+xml' }, body: '<rss version="2.0"><channel/></rss>' },
        '/old.xml': { status: 301, headers: { location: '/rss2.xml' } },
        '/rss2.xml': { headers: { 'content-type': 'text/xml' }, body: '<rss version="2.0"><channel/></rss>' },
      },
    });
    try {
      const json = await comics(['crawl', site.url('/'), '--json']);
      const report = JSON.parse(json.stdout);
      expect(report.feeds.sort()).toEqual([site.url('/old.xml'), site.url('/rss.xml')]);
      expect(report.feedDetails).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ url: site.url('/gone.xml'), status: 'broken', error: 'HTTP 404' }),
          expect.objectContaining({ url: 'http://127.0.0.9:1/elsewhere.xml', status: 'unchecked' }),
        ]),
      );
      const text = (await comics(['crawl', site.url('/')])).stdout;
      const found = text.slice(text.indexOf('Feeds found'), text.indexOf('Follow one with'));
      expect(found).toMatch(/^Feeds found \(2\)/);
      expect(found).not.toContain('gone.xml');
      expect(text).toMatch(/Announced but not answering as feeds \(1\):\n\s+http:\/\/127\.0\.0\.8:\d+\/gone\.xml {2}HTTP 404/);
      expect(text).toMatch(/1 more feed announced but not fetched by this crawl/);
    } finally {
      await site.close();
    }
  });
});
