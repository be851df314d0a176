import nock from 'nock';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, expectOk } from '../../src/http/client.js';
import { USER_AGENT } from '../../src/version.js';

const ORIGIN = 'http://comic.test';

function client(options: ConstructorParameters<typeof HttpClient>[0] = {}) {
  const waits: number[] = [];
  const http = new HttpClient({
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { http, waits };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('HttpClient', () => {
  it('sends a descriptive User-Agent and accepts compressed bodies', async () => {
    nock(ORIGIN)
      .get('/feed')
      .matchHeader('user-agent', USER_AGENT)
      .matchHeader('accept-encoding', /gzip/)
      .reply(200, 'hello', { 'content-type': 'text/plain' });
    const { http } = client();
    const res = await http.get(`${ORIGIN}/feed`);
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.body)).toBe('hello');
    expect(res.contentType).toBe('text/plain');
    expect(USER_AGENT).toMatch(/^comics\/\S+ \(\+https:\/\//);
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('decompresses %s bodies', async (encoding, compress) => {
    nock(ORIGIN).get('/z').reply(200, compress(Buffer.from('<rss/>'.repeat(100))), { 'content-encoding': encoding });
    const { http } = client();
    const res = await http.get(`${ORIGIN}/z`);
    expect(new TextDecoder().decode(res.body)).toBe('<rss/>'.repeat(100));
  });

  it('sends stored validators and returns the new ones on 200', async () => {
    nock(ORIGIN)
      .get('/feed')
      .matchHeader('if-none-match', '"v1"')
      .matchHeader('if-modified-since', 'Mon, 01 Jan 2024 00:00:00 GMT')
      .reply(200, 'new', { etag: '"v2"', 'last-modified': 'Tue, 02 Jan 2024 00:00:00 GMT' });
    const { http } = client();
    const res = await http.get(`${ORIGIN}/feed`, {
      validators: { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' },
    });
    expect(res.notModified).toBe(false);
    expect(res.validators).toEqual({ etag: '"v2"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' });
  });

  it('treats 304 as success and keeps validators the server did not resend', async () => {
    nock(ORIGIN).get('/feed').reply(304, '', { etag: '"v3"' });
    const { http } = client();
    const res = expectOk(
      await http.get(`${ORIGIN}/feed`, { validators: { etag: '"v2"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' } }),
    );
    expect(res.notModified).toBe(true);
    expect(res.body.byteLength).toBe(0);
    expect(res.validators).toEqual({ etag: '"v3"', lastModified: 'Tue, 02 Jan 2024 00:00:00 GMT' });
  });

  it('follows up to 5 redirects and records them', async () => {
    const scope = nock(ORIGIN);
    for (let i = 0; i < 5; i++) scope.get(`/r${i}`).reply(i % 2 ? 301 : 302, '', { location: `/r${i + 1}` });
    scope.get('/r5').reply(200, 'end');
    const { http } = client();
    const res = await http.get(`${ORIGIN}/r0`);
    expect(res.finalUrl).toBe(`${ORIGIN}/r5`);
    expect(res.redirects.map((r) => [r.status, r.location])).toEqual([
      [302, `${ORIGIN}/r1`],
      [301, `${ORIGIN}/r2`],
      [302, `${ORIGIN}/r3`],
      [301, `${ORIGIN}/r4`],
      [302, `${ORIGIN}/r5`],
    ]);
  });

  it('gives up after too many redirects', async () => {
    const scope = nock(ORIGIN);
    for (let i = 0; i < 6; i++) scope.get(`/r${i}`).reply(302, '', { location: `/r${i + 1}` });
    const { http } = client();
    await expect(http.get(`${ORIGIN}/r0`)).rejects.toMatchObject({ code: 'E_REDIRECT', message: expect.stringMatching(/Too many redirects/) });
  });

  it('refuses redirects without Location or to non-http URLs', async () => {
    nock(ORIGIN).get('/a').reply(302).get('/b').reply(302, '', { location: 'javascript:alert(1)' });
    const { http } = client();
    await expect(http.get(`${ORIGIN}/a`)).rejects.toMatchObject({ code: 'E_REDIRECT', message: expect.stringMatching(/without a Location/) });
    await expect(http.get(`${ORIGIN}/b`)).rejects.toMatchObject({ code: 'E_REDIRECT', message: expect.stringMatching(/non-http/) });
  });

  it('returns a 3xx as it is when redirects are left to the caller', async () => {
    nock(ORIGIN).get('/old').reply(301, '', { location: '/new' });
    const { http } = client();
    const res = await http.get(`${ORIGIN}/old`, { maxRedirects: 0 });
    expect(res.status).toBe(301);
    expect(res.location).toBe(`${ORIGIN}/new`);
  });

  it('retries 503 honouring Retry-After, then succeeds', async () => {
    nock(ORIGIN).get('/feed').reply(503, 'busy', { 'retry-after': '3' }).get('/feed').reply(200, 'ok');
    const retries: number[] = [];
    const { http, waits } = client();
    const res = await http.get(`${ORIGIN}/feed`, { onRetry: (info) => retries.push(info.attempt) });
    expect(res.status).toBe(200);
    expect(res.tries).toBe(2);
    expect(waits).toEqual([3000]);
    expect(retries).toEqual([1]);
  });

  it('backs off exponentially with jitter on 429 and 5xx', async () => {
    nock(ORIGIN).get('/f').reply(429).get('/f').reply(500).get('/f').reply(502).get('/f').reply(200, 'ok');
    const { http, waits } = client({ retryBaseMs: 100 });
    const res = await http.get(`${ORIGIN}/f`);
    expect(res.status).toBe(200);
    // equal jitter with random() = 0.5: 3/4 of 100, 200, 400
    expect(waits).toEqual([75, 150, 300]);
  });

  it('returns the last failure after maxTries, and expectOk explains it', async () => {
    nock(ORIGIN).get('/f').times(3).reply(500, 'boom');
    const { http, waits } = client({ maxTries: 3 });
    const res = await http.get(`${ORIGIN}/f`);
    expect(res.status).toBe(500);
    expect(res.tries).toBe(3);
    expect(waits).toHaveLength(2);
    expect(() => expectOk(res)).toThrow(/Request failed with status 500.*: GET http:\/\/comic\.test\/f/);
  });

  it('does not wait for a Retry-After longer than the limit', async () => {
    nock(ORIGIN).get('/f').reply(503, '', { 'retry-after': '3600' });
    const { http, waits } = client();
    const res = await http.get(`${ORIGIN}/f`);
    expect(waits).toEqual([]);
    expect(() => expectOk(res)).toThrow(/retry after 3600 s/);
  });

  it('does not retry 404', async () => {
    nock(ORIGIN).get('/gone').reply(404, 'nope');
    const { http, waits } = client();
    const res = await http.get(`${ORIGIN}/gone`);
    expect(res.status).toBe(404);
    expect(res.body.byteLength).toBe(0);
    expect(waits).toEqual([]);
    expect(() => expectOk(res)).toThrow(/404/);
  });

  it('retries network errors', async () => {
    nock(ORIGIN)
      .get('/f')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .get('/f')
      .reply(200, 'ok');
    const { http, waits } = client();
    const res = await http.get(`${ORIGIN}/f`);
    expect(res.status).toBe(200);
    expect(waits).toHaveLength(1);
  });

  it('reports a network error once the tries are used up', async () => {
    nock(ORIGIN).get('/f').times(2).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const { http } = client({ maxTries: 2 });
    await expect(http.get(`${ORIGIN}/f`)).rejects.toMatchObject({
      code: 'E_NETWORK',
      message: expect.stringMatching(/ECONNREFUSED.*GET http:\/\/comic\.test\/f/),
    });
  });

  it('times out a slow response', async () => {
    nock(ORIGIN).get('/slow').delay(500).reply(200, 'late');
    const { http } = client({ maxTries: 1, timeoutMs: 50 });
    await expect(http.get(`${ORIGIN}/slow`)).rejects.toMatchObject({ code: 'E_TIMEOUT', message: expect.stringMatching(/50 ms/) });
  });

  it('never retries a timeout, a connect timeout included', async () => {
    const connectTimeout = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
    nock(ORIGIN).get('/far').replyWithError(connectTimeout);
    const { http, waits } = client();
    await expect(http.get(`${ORIGIN}/far`)).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(waits).toEqual([]);
    nock(ORIGIN).get('/silent').delay(500).reply(200, 'late');
    const slow = client({ maxTries: 4, timeoutMs: 50 });
    await expect(slow.http.get(`${ORIGIN}/silent`)).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    expect(slow.waits).toEqual([]);
  });

  it('cuts off a body larger than the cap', async () => {
    nock(ORIGIN).get('/big').reply(200, 'x'.repeat(5000));
    const { http } = client({ maxBytes: 1000 });
    await expect(http.get(`${ORIGIN}/big`)).rejects.toMatchObject({ code: 'E_TOO_LARGE', message: expect.stringMatching(/1000 B/) });
  });

  it('applies the cap after decompression', async () => {
    nock(ORIGIN)
      .get('/bomb')
      .reply(200, gzipSync(Buffer.alloc(1_000_000)), { 'content-encoding': 'gzip' });
    const { http } = client({ maxBytes: 100_000 });
    await expect(http.get(`${ORIGIN}/bomb`)).rejects.toMatchObject({ code: 'E_TOO_LARGE' });
  });

  it('counts but does not keep bodies the caller does not want', async () => {
    nock(ORIGIN).get('/img').reply(200, Buffer.alloc(1234), { 'content-type': 'image/png' });
    const { http } = client();
    const res = await http.get(`${ORIGIN}/img`, { keepBody: (head) => head.contentType?.startsWith('text/') ?? false });
    expect(res.bytes).toBe(1234);
    expect(res.body.byteLength).toBe(0);
  });

  it('stops when the caller aborts', async () => {
    nock(ORIGIN).get('/f').delay(1000).reply(200, 'late');
    const { http } = client();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(http.get(`${ORIGIN}/f`, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('refuses non-http URLs before sending anything', async () => {
    const { http } = client();
    await expect(http.get('file:///etc/passwd')).rejects.toMatchObject({ code: 'E_UNSAFE_URL' });
    await expect(http.get('not a url')).rejects.toMatchObject({ code: 'E_UNSAFE_URL' });
  });
});
