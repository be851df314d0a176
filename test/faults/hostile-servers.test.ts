/**
 * The fault catalogue: hostile and broken servers that `comics` was attacked with
 * (issue 10, "what held up"), kept as regression tests so what holds today keeps
 * holding. Loopback only, bounded sizes, counters measured at the servers, never
 * wall-clock timings.
 *
 * Tested elsewhere, and not repeated here:
 * - a server that accepts and never answers, or drips bytes: one request, one timeout
 *   (test/http/client-loopback.test.ts "gives up on a server…", test/e2e/check-cli.test.ts "a silent server");
 * - a host that never completes a connection (drops every SYN): one try, ended at its timeout
 *   (test/http/client-loopback.test.ts "a host that never completes a connection");
 * - refused connections and 503 are still retried (test/http/client-loopback.test.ts);
 * - a host that is down or answers 5xx for robots.txt is an error, not a block (test/crawl/cli.test.ts);
 * - two checks at once never open one strip twice (test/e2e/check-cli.test.ts "never opens a strip twice…",
 *   test/store/comics-store.test.ts "never hands the same strip to two live runs");
 * - a redirect loop in a crawl ends at --max-redirects (test/crawl/crawl-graph.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/crawler.js';
import { parseFeed } from '../../src/feeds/parse.js';
import { HttpClient } from '../../src/http/client.js';
import { CLI, RECORD_BROWSER, recorded, runComics } from '../helpers/cli.js';
import { startComicSite, type ComicSite } from '../helpers/comic-site.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { page, world } from '../crawl/fixtures.js';

const MiB = 1024 * 1024;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-faults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decompression bombs and redirects', () => {
  let server: TestServer;
  beforeAll(async () => {
    // 20 MiB of zeros, a few KiB on the wire: over the 16 MiB cap once inflated.
    const zeros = Buffer.alloc(20 * MiB);
    const bomb = (encoding: string, body: Buffer) => ({ headers: { 'content-encoding': encoding, 'content-type': 'application/rss+xml' }, body });
    server = await startServer({
      routes: {
        '/gzip': bomb('gzip', gzipSync(zeros)),
        '/deflate': bomb('deflate', deflateSync(zeros)),
        '/br': bomb('br', brotliCompressSync(zeros)),
        '/nested': bomb('gzip, gzip', gzipSync(gzipSync(zeros))),
        '/loop': { status: 302, headers: { location: '/loop' } },
        '/to-file': { status: 302, headers: { location: 'file:///etc/passwd' } },
        '/to-javascript': { status: 302, headers: { location: 'javascript:alert(1)' } },
        '/to-data': { status: 302, headers: { location: 'data:text/html,<script>alert(1)</script>' } },
      },
    });
  });
  afterAll(() => server.close());

  describe.each(['http', 'fetch', 'request'] as const)('%s transport', (transport) => {
    it.each(['/gzip', '/deflate', '/br', '/nested'])('caps the %s bomb at 16 MiB', async (path) => {
      const http = new HttpClient({ transport, maxTries: 1 });
      await expect(http.get(server.url(path))).rejects.toMatchObject({ code: 'E_TOO_LARGE', message: expect.stringMatching(/larger than 16 MiB/) });
      await http.close();
    });

    it('refuses a redirect loop and redirects to file:, javascript: and data:', async () => {
      const http = new HttpClient({ transport, maxTries: 1 });
      const before = server.hits.get('/loop') ?? 0;
      await expect(http.get(server.url('/loop'))).rejects.toMatchObject({ code: 'E_REDIRECT', message: expect.stringMatching(/Too many redirects/) });
      expect((server.hits.get('/loop') ?? 0) - before).toBe(6);
      for (const path of ['/to-file', '/to-javascript', '/to-data']) {
        await expect(http.get(server.url(path)), path).rejects.toMatchObject({ code: 'E_REDIRECT', message: expect.stringMatching(/non-http\(s\) URL/) });
      }
      await http.close();
    });
  });
});

describe('hostile feed markup', () => {
  it('never reads a file through an external entity (XXE)', () => {
    const text = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
      <rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><link>https://x.test/1</link></item></channel></rss>`;
    let read = '';
    try {
      const feed = parseFeed(text, { url: 'https://x.test/feed' });
      read = JSON.stringify(feed);
    } catch (error) {
      expect(error).toMatchObject({ code: expect.stringMatching(/^E_(FEED_PARSE|NOT_A_FEED)$/) });
    }
    expect(read).not.toMatch(/root:/);
  });

  it('does not expand an entity bomb (billion laughs)', () => {
    const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const text = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">${levels}]><rss version="2.0"><channel><title>&l9;</title><item><title>&l9;</title><link>https://x.test/1</link></item></channel></rss>`;
    let read = '';
    try {
      read = JSON.stringify(parseFeed(text, { url: 'https://x.test/feed' }));
    } catch (error) {
      expect(error).toMatchObject({ code: expect.stringMatching(/^E_(FEED_PARSE|NOT_A_FEED)$/) });
    }
    // 10^9 "lol"s would be 3 GB; nothing near that is ever built.
    expect(read.length).toBeLessThan(100_000);
  });
});

/** A raw TCP server that answers every request with `response`, as a broken or hostile server would. */
async function rawServer(response: string): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end(response));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/feed.xml`,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('the terminal and the database', () => {
  it('never lets escape sequences from an HTTP reason phrase reach the terminal', async () => {
    // 410, which is not retried: the file stays quick.
    const hostile = await rawServer('HTTP/1.1 410 \u001b]0;pwned\u0007\u001b[2J\u001b[31mGone\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    try {
      const config = join(dir, 'reason.json');
      writeFileSync(config, JSON.stringify({ comics: [{ name: 'Hostile', feed: hostile.url }] }));
      const run = await runComics(['check', '--config', config, '--db', join(dir, 'reason.db')], { NO_COLOR: '1' });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/Hostile/);
      expect(run.stdout + run.stderr).not.toMatch(/[\u001b\u0007]/);
      // An error line of its own, from add: sanitized too.
      const add = await runComics(['add', hostile.url, '--config', join(dir, 'reason-add.json'), '--db', join(dir, 'reason.db')], { NO_COLOR: '1' });
      expect(add.code).toBe(1);
      expect(add.stderr).toMatch(/^comics: Request failed with status 410/);
      expect(add.stdout + add.stderr).not.toMatch(/[\u001b\u0007]/);
    } finally {
      await hostile.close();
    }
  });

  it('reports a corrupt database in one line', async () => {
    const db = join(dir, 'corrupt.db');
    writeFileSync(db, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]));
    const config = join(dir, 'corrupt.json');
    writeFileSync(config, JSON.stringify({ comics: [] }));
    const run = await runComics(['list', '--config', config, '--db', db]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^comics: Cannot open the database .*corrupt\.db: [^\n]+\n$/);
  });
});

describe('a crawl against hostile pages', () => {
  it('finishes past a 5 MB binary robots.txt, 100,000 links, a 50 MB page and Retry-After: 99999', async () => {
    const links = Array.from({ length: 100_000 }, (_, i) => `<a href="/l/${i}">${i}</a>`).join('');
    const server = await startServer({
      host: '127.0.0.11',
      routes: {
        '/robots.txt': { headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(5 * MiB, 0xff) },
        '/': page(['/many', '/huge', '/later']),
        '/many': { headers: { 'content-type': 'text/html' }, body: `<html><body>${links}</body></html>` },
        '/huge': (_req, res) => {
          // 50 MB, streamed; the cap stops the reading long before the end.
          res.writeHead(200, { 'content-type': 'text/html' });
          let sent = 0;
          const chunk = Buffer.alloc(MiB, 'a');
          const pump = (): void => {
            while (!res.destroyed && sent < 50 * MiB && res.write(chunk)) sent += MiB;
            if (res.destroyed || sent >= 50 * MiB) return void res.end();
            res.once('drain', pump);
          };
          pump();
        },
        '/later': { status: 503, headers: { 'retry-after': '99999' } },
      },
      fallback: page([]),
    });
    const { store, http } = world();
    try {
      const summary = await crawl([server.url('/')], { maxPages: 50, concurrency: 4 }, { http, store });
      expect(summary.interrupted).toBe(false);
      expect(summary.pages).toBe(50);
      // Each fetched once: robots.txt read (and found to be nonsense), the huge page cut, Retry-After not waited for.
      for (const path of ['/robots.txt', '/many', '/huge', '/later']) expect(server.hits.get(path), path).toBe(1);
      const report = [...store.broken(summary.run)];
      expect(report).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ url: server.url('/huge'), error: expect.stringMatching(/larger than \d+ MiB/) }),
          expect.objectContaining({ url: server.url('/later'), status: 503 }),
        ]),
      );
    } finally {
      await http.close();
      await server.close();
    }
  });
});

describe('a check killed while it opens strips', () => {
  let site: ComicSite;
  beforeAll(async () => {
    site = await startComicSite({ comics: [{ slug: 'killed', format: 'rss20' }] });
  });
  afterAll(() => site.close());

  it('loses nothing and opens again only the strip it was opening', async () => {
    const env = { COMICS_CONFIG: join(dir, 'killed.json'), COMICS_DB: join(dir, 'killed.db'), COMICS_TEST_RECORD: join(dir, 'killed.txt') };
    expect((await runComics(['add', site.feedUrl('killed')], { ...env, BROWSER: RECORD_BROWSER })).code).toBe(0);
    const published = site.publish('killed', 4).map((strip) => `${site.origin}${strip.link}`);
    // A browser that takes its time: the check waits for it, and is killed while it waits on the second strip.
    const slow = join(dir, 'slow-browser.sh');
    writeFileSync(slow, `#!/bin/sh\nprintf '%s\\n' "$1" >> "$COMICS_TEST_RECORD"\nsleep 3\n`, { mode: 0o755 });
    const child = spawn(process.execPath, [CLI, 'check'], { env: { ...process.env, ...env, BROWSER: slow }, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (recorded(env.COMICS_TEST_RECORD).length >= 2) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const before = recorded(env.COMICS_TEST_RECORD);
    expect(before).toEqual(published.slice(0, 2));

    const again = await runComics(['check', '--json'], { ...env, BROWSER: RECORD_BROWSER });
    expect(again.code).toBe(0);
    const after = recorded(env.COMICS_TEST_RECORD).slice(before.length);
    // The first strip was taken and marked read; the second was in the browser's hands when the run died.
    expect(after).toEqual(published.slice(1));
    expect(JSON.parse(again.stdout)).toMatchObject({ unread: 0 });
  }, 40_000);
});
