import { randomBytes } from 'node:crypto';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { errors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, loadAgentClass } from '../../src/http/client.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let resets = 0;

beforeAll(async () => {
  server = await startServer({
    routes: {
      '/page': { headers: { 'content-type': 'text/html' }, body: '<p>hi</p>' },
      '/not-modified': { status: 304, headers: { etag: '"v1"' } },
      '/moved': { status: 302, headers: { location: '/page', 'content-type': 'text/html' }, body: '<a href="/page">moved</a>' },
      '/deflate': { headers: { 'content-encoding': 'deflate' }, body: deflateSync(Buffer.from('deflated!')) },
      '/gzip': { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.from('gzipped!')) },
      '/rawdeflate': { headers: { 'content-encoding': 'deflate' }, body: deflateRawSync(Buffer.from('raw deflate!')) },
      '/br': { headers: { 'content-encoding': 'br' }, body: brotliCompressSync(Buffer.from('brotli!')) },
      '/endless': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
      },
      '/hang': () => {
        // never answers
      },
      '/drip': (_req, res) => {
        // Headers, then a byte every 50 ms, for ever.
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('.')), 50);
      },
      '/drip-head': (req) => {
        // Even the status line arrives a byte at a time.
        const head = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok';
        let at = 0;
        const timer = setInterval(() => (req.socket.destroyed || at >= head.length ? clearInterval(timer) : req.socket.write(head[at++]!)), 50);
      },
      '/trickle': (_req, res) => {
        res.writeHead(200);
        res.write('first bytes');
        // then nothing: the body never ends
      },
      '/reset-once': (req, res) => {
        if (resets++ === 0) {
          req.socket.destroy();
          return;
        }
        res.end('second time lucky');
      },
      '/unavailable-gzip': (_req, res) => {
        // A compressed error page that arrives in two parts, several times larger unpacked.
        const body = gzipSync(Buffer.from(randomBytes(45_000).toString('base64')));
        res.writeHead(503, { 'retry-after': '0', 'content-encoding': 'gzip', 'content-length': body.length });
        res.write(body.subarray(0, 100));
        setTimeout(() => res.end(body.subarray(100)), 50);
      },
      '/unavailable-stalled': (_req, res) => {
        // A 503 whose short body stops halfway and never ends.
        res.writeHead(503, { 'retry-after': '0', 'content-length': 1000 });
        res.write('x'.repeat(10));
      },
      '/unavailable': (_req, res) => {
        res.writeHead(503, { 'retry-after': '0' }).end();
      },
    },
  });
});
afterAll(() => server.close());

const base = { sleep: async () => {}, random: () => 0 };

// Every behaviour holds for both transports: fetch (what nock also sees) and undici's request (the crawler's).
describe.each(['http', 'fetch', 'request'] as const)('HttpClient on a real socket, %s transport', (transport) => {
  const fast = { ...base, transport };

  it('reuses keep-alive connections', async () => {
    const http = new HttpClient(fast);
    const before = server.connections;
    for (let i = 0; i < 10; i++) await http.get(server.url('/page'));
    // undici may open a second socket while the first is being released; never one per request.
    expect(server.connections - before).toBeLessThanOrEqual(2);
    await http.close();
  });

  it('reuses the connection after a 304 and after a redirect it followed', async () => {
    const http = new HttpClient(fast);
    const before = server.connections;
    for (let i = 0; i < 5; i++) {
      expect((await http.get(server.url('/not-modified'), { validators: { etag: '"v1"', lastModified: null } })).notModified).toBe(true);
      expect((await http.get(server.url('/moved'))).finalUrl).toBe(server.url('/page'));
    }
    expect(server.connections - before).toBeLessThanOrEqual(2);
    await http.close();
  });

  it('decompresses gzip, deflate and br', async () => {
    const http = new HttpClient(fast);
    expect(new TextDecoder().decode((await http.get(server.url('/br'))).body)).toBe('brotli!');
    expect(new TextDecoder().decode((await http.get(server.url('/gzip'))).body)).toBe('gzipped!');
    expect(new TextDecoder().decode((await http.get(server.url('/deflate'))).body)).toBe('deflated!');
    // Some servers send raw deflate under "deflate"; browsers and fetch accept it.
    expect(new TextDecoder().decode((await http.get(server.url('/rawdeflate'))).body)).toBe('raw deflate!');
    await http.close();
  });

  it('cuts off an endless body with a clear error', async () => {
    const http = new HttpClient({ ...fast, maxBytes: 1024 * 1024 });
    await expect(http.get(server.url('/endless'))).rejects.toMatchObject({
      code: 'E_TOO_LARGE',
      message: expect.stringMatching(/larger than 1 MiB/),
    });
    await http.close();
  });

  it('gives up on a server that accepts and never answers, or drips, after one try', async () => {
    // A silent server stays silent: retrying it would hold the whole check for tries × timeout.
    const http = new HttpClient({ ...fast, timeoutMs: 300, maxTries: 4 });
    for (const path of ['/hang', '/drip', '/drip-head', '/trickle']) {
      const before = server.hits.get(path) ?? 0;
      await expect(http.get(server.url(path)), path).rejects.toMatchObject({ code: 'E_TIMEOUT' });
      expect((server.hits.get(path) ?? 0) - before, path).toBe(1);
    }
    await http.close();
  });

  it('retries a refused connection, then reports it as a network error', async () => {
    const http = new HttpClient({ ...fast, maxTries: 3 });
    const closed = await startServer();
    const url = closed.url('/');
    await closed.close();
    const retries: string[] = [];
    await expect(http.get(url, { onRetry: (info) => retries.push(info.reason) })).rejects.toMatchObject({ code: 'E_NETWORK', message: expect.stringMatching(/ECONNREFUSED/) });
    expect(retries).toHaveLength(2);
    await http.close();
  });

  it('retries a connection reset', async () => {
    resets = 0;
    const http = new HttpClient(fast);
    const res = await http.get(server.url('/reset-once'));
    expect(new TextDecoder().decode(res.body)).toBe('second time lucky');
    expect(res.tries).toBe(2);
    await http.close();
  });

  it('drops a compressed 503 body that is still arriving, and retries', async () => {
    const http = new HttpClient({ ...fast, maxTries: 2 });
    const before = server.hits.get('/unavailable-gzip') ?? 0;
    const res = await http.get(server.url('/unavailable-gzip'));
    expect(res.status).toBe(503);
    expect((server.hits.get('/unavailable-gzip') ?? 0) - before).toBe(2);
    await http.close();
  });

  it('drops a 503 body that stops halfway, and retries', async () => {
    const http = new HttpClient({ ...fast, maxTries: 2, timeoutMs: 500 });
    const before = server.hits.get('/unavailable-stalled') ?? 0;
    // The last try's body is read, and stops halfway too: a timeout, not a wait without end.
    await expect(http.get(server.url('/unavailable-stalled'))).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect((server.hits.get('/unavailable-stalled') ?? 0) - before).toBe(2);
    await http.close();
  });

  it('retries 503 up to maxTries', async () => {
    const http = new HttpClient({ ...fast, maxTries: 3 });
    const before = server.hits.get('/unavailable') ?? 0;
    const res = await http.get(server.url('/unavailable'));
    expect(res.status).toBe(503);
    expect((server.hits.get('/unavailable') ?? 0) - before).toBe(3);
    await http.close();
  });

});

/**
 * A host whose connections never complete (one that drops every SYN): an undici
 * Agent whose connector counts each attempt and, like undici's own connect timeout,
 * gives up only after `giveUpMs`, or at once when `giveUpMs` is 0.
 */
function unreachableHost(giveUpMs: number) {
  const state = { connects: 0, gaveUp: false };
  const timers: NodeJS.Timeout[] = [];
  const Agent = loadAgentClass();
  const dispatcher: Dispatcher = new Agent({
    connect: (_options, callback) => {
      state.connects++;
      const giveUp = (): void => {
        state.gaveUp = true;
        callback(new errors.ConnectTimeoutError(), null);
      };
      if (giveUpMs === 0) queueMicrotask(giveUp);
      else timers.push(setTimeout(giveUp, giveUpMs));
    },
  });
  const close = async (): Promise<void> => {
    timers.forEach(clearTimeout);
    await dispatcher.destroy();
  };
  return { state, dispatcher, close };
}

// The transports over an undici pool, whose connector a test can replace ('http' has no connect
// phase of its own: its try ends when the timer destroys the socket, as the tests above show).
describe.each(['fetch', 'request'] as const)('a host that never completes a connection, %s transport', (transport) => {
  it('ends the try at its timeout, not when the connection attempt gives up, and tries once', async () => {
    const host = unreachableHost(10_000);
    const http = new HttpClient({ ...base, transport, dispatcher: host.dispatcher, timeoutMs: 200, maxTries: 4 });
    let gaveUpFirst = true;
    await expect(
      http.get('http://127.0.0.1:4321/feed.xml').finally(() => {
        gaveUpFirst = host.state.gaveUp;
      }),
    ).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(gaveUpFirst).toBe(false);
    expect(host.state.connects).toBe(1);
    await host.close();
  });

  it('does not retry a connect timeout either: a host silent for a whole try is down for today', async () => {
    const host = unreachableHost(0);
    const http = new HttpClient({ ...base, transport, dispatcher: host.dispatcher, maxTries: 4 });
    await expect(http.get('http://127.0.0.1:4321/feed.xml')).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(host.state.connects).toBe(1);
    await host.close();
  });
});

describe('loadAgentClass', () => {
  it('is undici’s own Agent, loaded without the package entry', async () => {
    const { loadAgentClass } = await import('../../src/http/client.js');
    const { Agent } = await import('undici');
    expect(loadAgentClass()).toBe(Agent);
  });
});
