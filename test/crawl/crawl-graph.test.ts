import { afterEach, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/crawler.js';
import { crawlReport } from '../../src/crawl/report.js';
import type { CrawlOptions, CrawlProgress, PageRecord } from '../../src/crawl/types.js';
import { progressLine } from '../../src/cli/crawl.js';
import { createCounter, startServer, type TestServer } from '../helpers/server.js';
import { graph, page, world } from './fixtures.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(options);
  servers.push(server);
  return server;
}

async function run(seeds: string[], options: CrawlOptions = {}) {
  const { store, http, db } = world();
  const pages: PageRecord[] = [];
  const summary = await crawl(seeds, { ...options, onPage: (p) => pages.push(p) }, { http, store });
  const report = crawlReport(store, summary);
  return { summary, report, pages, store, db, http };
}

describe('crawl over a link graph', () => {
  it('fetches exactly the pages reachable within the seed site, each once', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: graph({
        '/': ['/a', '/b', 'b#top', './a?', '/c', 'mailto:me@x.test', 'javascript:void(0)', 'tel:123', '#frag'],
        '/a': ['/', '/b', '/a/../c'],
        '/b': ['/d', 'HTTP://127.0.0.2:PORT/a'.replace('PORT', '0')],
        '/c': [],
        '/d': ['/b'],
      }),
    });
    const { pages, summary } = await run([server.url('/')], { robots: false });
    expect(pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/a', '/b', '/c', '/d']);
    expect([...server.hits.keys()].sort()).toEqual(['/', '/a', '/b', '/c', '/d']);
    expect([...server.hits.values()].every((n) => n === 1)).toBe(true);
    expect(summary).toMatchObject({ pages: 5, errors: 0, queued: 0, interrupted: false });
    expect(pages.find((p) => p.url === server.url('/d'))).toMatchObject({ depth: 2, from: server.url('/b'), status: 200 });
  });

  it('does not follow links to other sites, and treats www. and the other scheme as the same site', async () => {
    const other = await serve({ host: '127.0.0.3', routes: graph({ '/x': [] }) });
    const server = await serve({ host: '127.0.0.2', routes: graph({ '/': [other.url('/x'), '/in'], '/in': [] }) });
    const { pages } = await run([server.url('/')], { robots: false });
    expect(pages.map((p) => p.url)).toEqual([server.url('/'), server.url('/in')]);
    expect(other.stats.requests).toBe(0);
  });

  it('applies --max-depth and --include/--exclude to links', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: graph({ '/': ['/1', '/skip/a', '/keep'], '/1': ['/2'], '/2': ['/3'], '/3': [], '/keep': [], '/skip/a': [] }),
    });
    const { pages } = await run([server.url('/')], { robots: false, maxDepth: 2, exclude: /\/skip\// });
    expect(pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/1', '/2', '/keep']);
    const included = await run([server.url('/')], { robots: false, include: /\/keep$/ });
    expect(included.pages.map((p) => new URL(p.url).pathname).sort()).toEqual(['/', '/keep']);
  });

  it('reports broken links with the pages that link to them', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/a', '/b', '/gone'], '/a': ['/gone', '/oops'], '/b': ['/gone'] }),
        '/oops': { status: 500, body: 'boom' },
      },
    });
    const { report, pages } = await run([server.url('/')], { robots: false, maxTries: 1 });
    const broken = Object.fromEntries(report.broken.map((b) => [new URL(b.url).pathname, b]));
    expect(Object.keys(broken).sort()).toEqual(['/gone', '/oops']);
    expect(broken['/gone']).toMatchObject({ status: 404, from: server.url('/') });
    expect(broken['/gone']!.referrers.sort()).toEqual([server.url('/'), server.url('/a'), server.url('/b')].sort());
    expect(broken['/oops']).toMatchObject({ status: 500, from: server.url('/a'), referrers: [server.url('/a')] });
    expect(report.errors).toBe(2);
    expect(pages.find((p) => p.url === server.url('/gone'))?.error).toBeNull();
  });

  it('records network failures as data and goes on', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/reset', '/ok', '/slow', '/no-location'] }),
        '/ok': page([]),
        '/reset': (req) => void req.socket.destroy(),
        '/slow': { delayMs: 2_000, body: 'late' },
        '/no-location': { status: 302 },
      },
    });
    const { pages, summary } = await run([server.url('/')], { robots: false, maxTries: 1, timeoutMs: 200 });
    const byPath = Object.fromEntries(pages.map((p) => [new URL(p.url).pathname, p]));
    expect(byPath['/ok']?.status).toBe(200);
    expect(byPath['/reset']).toMatchObject({ status: null, errorCode: 'E_NETWORK' });
    expect(byPath['/slow']).toMatchObject({ status: null, errorCode: 'E_TIMEOUT' });
    expect(byPath['/no-location']).toMatchObject({ status: 302, errorCode: 'E_REDIRECT' });
    expect(summary).toMatchObject({ pages: 5, errors: 3, interrupted: false });
  });

  it('retries a 503 and records the 200', async () => {
    let calls = 0;
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/flaky'] }),
        '/flaky': (_req, res) => {
          if (calls++ === 0) res.writeHead(503, { 'retry-after': '0' }).end();
          else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
        },
      },
    });
    const { pages } = await run([server.url('/')], { robots: false });
    expect(pages.find((p) => p.url === server.url('/flaky'))).toMatchObject({ status: 200, tries: 2, error: null });
    expect(server.hits.get('/flaky')).toBe(2);
  });

  it('bounds a calendar trap with --max-pages', async () => {
    const server = await serve({
      host: '127.0.0.2',
      fallback: (req, res) => {
        const month = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('month') ?? 0);
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<a href="/cal?month=${month + 1}">next</a><a href="/cal?month=${month - 1}">prev</a>`);
      },
    });
    const { summary } = await run([server.url('/cal?month=0')], { robots: false, maxPages: 25 });
    expect(summary.pages).toBe(25);
    expect(server.stats.requests).toBe(25);
    const deep = await run([server.url('/cal?month=0')], { robots: false, maxDepth: 3 });
    expect(deep.summary.pages).toBe(1 + 2 + 2 + 2);
  });
});

describe('redirects', () => {
  it('follows a redirect as a URL of its own and reports the final URL', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/old', '/loop1'], '/new': [] }),
        '/old': { status: 301, headers: { location: '/older' } },
        '/older': { status: 302, headers: { location: '/new' } },
      },
    });
    const { pages, report } = await run([server.url('/')], { robots: false });
    const old = pages.find((p) => p.url === server.url('/old'));
    expect(old).toMatchObject({ status: 301, redirectTo: server.url('/older'), finalUrl: server.url('/new') });
    expect(pages.find((p) => p.url === server.url('/older'))).toMatchObject({
      status: 302,
      finalUrl: server.url('/new'),
      from: server.url('/old'),
      depth: 1,
    });
    expect(server.hits.get('/new')).toBe(1);
    expect(report.redirects.map((r) => [r.url, r.status, r.to, r.finalUrl])).toEqual([
      [server.url('/old'), 301, server.url('/older'), server.url('/new')],
      [server.url('/older'), 302, server.url('/new'), server.url('/new')],
    ]);
  });

  it('records a redirect out of scope without crawling it', async () => {
    const other = await serve({ host: '127.0.0.3', routes: graph({ '/': [] }) });
    const server = await serve({
      host: '127.0.0.2',
      routes: { ...graph({ '/': ['/away'] }), '/away': { status: 302, headers: { location: other.url('/') } } },
    });
    const { pages } = await run([server.url('/')], { robots: false });
    expect(pages.find((p) => p.url === server.url('/away'))).toMatchObject({ status: 302, finalUrl: other.url('/') });
    expect(other.stats.requests).toBe(0);
  });

  it('stops a redirect loop at --max-redirects', async () => {
    const server = await serve({
      host: '127.0.0.2',
      fallback: (req, res) => {
        const n = Number((req.url ?? '/').slice(1)) || 0;
        res.writeHead(302, { location: `/${n + 1}` }).end();
      },
    });
    const { pages } = await run([server.url('/0')], { robots: false, maxRedirects: 3 });
    expect(pages).toHaveLength(4);
    const last = pages.find((p) => p.url === server.url('/3'));
    expect(last).toMatchObject({ status: 302, errorCode: 'E_REDIRECT' });
    expect(pages.find((p) => p.url === server.url('/0'))?.finalUrl).toBe(server.url('/3'));
  });
});

describe('robots.txt', () => {
  it('is fetched once per origin and obeyed', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/private/x', '/public', '/private-ish'], '/public': ['/private/y'], '/private-ish': [] }),
        '/robots.txt': { body: 'User-agent: *\nDisallow: /private/\n' },
      },
    });
    const { pages, summary } = await run([server.url('/')]);
    expect(server.hits.get('/robots.txt')).toBe(1);
    expect(server.hits.has('/private/x')).toBe(false);
    expect(server.hits.has('/private/y')).toBe(false);
    expect(pages.filter((p) => p.state === 'blocked').map((p) => p.url).sort()).toEqual([
      server.url('/private/x'),
      server.url('/private/y'),
    ]);
    expect(summary).toMatchObject({ pages: 3, blocked: 2 });
    const ignoring = await run([server.url('/')], { robots: false });
    expect(ignoring.summary.pages).toBe(5);
  });

  it('obeys rules for the comics user agent', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/a'] }),
        '/robots.txt': { body: 'User-agent: comics\nDisallow: /\n\nUser-agent: *\nAllow: /\n' },
      },
    });
    const { summary } = await run([server.url('/')]);
    expect(summary).toMatchObject({ pages: 0, blocked: 1 });
    expect(summary.sites[0]?.seedError).toBe('Disallowed by robots.txt');
  });
});

describe('concurrency', () => {
  it('keeps per-host and global in-flight requests within limits, and the global limit busy', async () => {
    const shared = createCounter();
    const hosts = await Promise.all(
      ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((host) =>
        serve({
          host,
          shared,
          latencyMs: 20,
          routes: graph({ '/': Array.from({ length: 12 }, (_, i) => `/p${i}`) }),
          fallback: page([]),
        }),
      ),
    );
    const { summary } = await run(
      hosts.map((server) => server.url('/')),
      { concurrency: 4, perHost: 2 },
    );
    expect(summary.pages).toBe(3 * 13);
    for (const server of hosts) expect(server.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(shared.maxInFlight).toBe(4);
  });

  it('runs as many requests as allowed on one busy host', async () => {
    const server = await serve({
      host: '127.0.0.2',
      latencyMs: 20,
      routes: graph({ '/': Array.from({ length: 30 }, (_, i) => `/p${i}`) }),
      fallback: page([]),
    });
    await run([server.url('/')], { concurrency: 8, perHost: 5, robots: false });
    expect(server.stats.maxInFlight).toBe(5);
  });
});

describe('interrupt and resume', () => {
  it('keeps what was fetched and continues from the saved frontier without refetching', async () => {
    const server = await serve({
      host: '127.0.0.2',
      latencyMs: 5,
      routes: graph({ '/': Array.from({ length: 40 }, (_, i) => `/p${i}`) }),
      fallback: page(['/']),
    });
    const { store, http } = world();
    // A clock that moves 100 ms a page, so the time each invocation crawled is known exactly.
    let clock = 0;
    const now = (): number => clock;
    const controller = new AbortController();
    const first: PageRecord[] = [];
    const stopped = await crawl(
      [server.url('/')],
      {
        concurrency: 4,
        onPage: (p) => {
          clock += 100;
          first.push(p);
          if (first.length === 10) controller.abort();
        },
        signal: controller.signal,
      },
      { http, store, now },
    );
    expect(stopped.interrupted).toBe(true);
    expect(stopped.queued).toBeGreaterThan(0);
    expect(store.getRun(stopped.run).status).toBe('interrupted');

    const second: PageRecord[] = [];
    const counters: CrawlProgress[] = [];
    clock += 3_600_000; // an hour between the two sittings
    const resumed = await crawl(
      [],
      { resume: stopped.run, onPage: (p, progress) => ((clock += 100), second.push(p), counters.push(progress)) },
      { http, store, now },
    );
    // This invocation's own count, for its rate; the run's count includes the first sitting.
    expect(counters.at(-1)).toMatchObject({ done: 41, doneNow: second.length });
    expect(progressLine({ ...counters.at(-1)!, elapsedMs: 1000 })).toMatch(new RegExp(`41 done .* ${second.length} pages/s$`));
    expect(resumed).toMatchObject({ run: stopped.run, interrupted: false, queued: 0, pages: 41 });
    // The summary's pages/s is the whole run's: all its pages over the time its sittings crawled, the hour between them left out.
    expect(resumed.elapsedMs).toBe(100 * (first.length + second.length));
    expect(crawlReport(store, resumed).pagesPerSecond).toBe(Math.round((41 / (resumed.elapsedMs / 1000)) * 10) / 10);
    const before = new Set(first.map((p) => p.url));
    expect(second.filter((p) => before.has(p.url))).toEqual([]);
    expect(new Set([...before, ...second.map((p) => p.url)]).size).toBe(41);
    for (const url of before) expect(server.hits.get(new URL(url).pathname)).toBe(1);
    expect(server.hits.get('/robots.txt')).toBe(1);
    expect(store.getRun(stopped.run).status).toBe('finished');
  });

  it('pages a large frontier in from the store and still fetches each URL once', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: graph({ '/': Array.from({ length: 60 }, (_, i) => `/p${i}`) }),
      fallback: (req, res) => {
        const n = Number((req.url ?? '').slice(2));
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<a href="/q${n}">q</a><a href="/">home</a>`);
      },
    });
    const { summary } = await run([server.url('/')], { robots: false, memoryPerSite: 4, concurrency: 3 });
    expect(summary.pages).toBe(121);
    expect([...server.hits.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('politeness', () => {
  it('honours Crawl-delay and --delay: one request at a time to the host', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: {
        ...graph({ '/': ['/a', '/b', '/c'] }),
        '/robots.txt': { body: 'User-agent: *\nCrawl-delay: 0.05\n' },
      },
      fallback: page([]),
    });
    await run([server.url('/')], { perHost: 4 });
    expect(server.stats.maxInFlight).toBe(1);
    expect(server.stats.requests).toBe(5);

    const other = await serve({ host: '127.0.0.3', routes: graph({ '/': ['/a', '/b', '/c'] }), fallback: page([]) });
    await run([other.url('/')], { perHost: 4, delayMs: 30, robots: false });
    expect(other.stats.maxInFlight).toBe(1);
  });

  it('stops fetching from a host after it fails again and again', async () => {
    const server = await serve({
      host: '127.0.0.2',
      routes: graph({ '/': Array.from({ length: 30 }, (_, i) => `/dead${i}`) }),
      fallback: (req) => void req.socket.destroy(),
    });
    const { summary, pages } = await run([server.url('/')], { robots: false, maxTries: 1, perHost: 1 });
    expect(summary.errors).toBe(30);
    expect(server.stats.requests).toBe(1 + 10);
    expect(pages.filter((p) => p.state === 'skipped')).toHaveLength(20);
  });
});
