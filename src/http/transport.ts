import { Agent as HttpAgent, request as httpRequest, STATUS_CODES } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { pipeline, type Readable, Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Dispatcher } from 'undici';

/** Response headers, looked up by lower-case name. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** One response as a transport hands it to the client: head, then a (decompressed) body to read once. */
export interface TransportResponse {
  status: number;
  statusText: string;
  headers: HeaderLookup;
  body: AsyncIterable<Uint8Array> | null;
  /** Drops the body unread (a redirect, a retried 503), keeping the connection when it can. */
  discard(): Promise<void>;
}

export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/**
 * Sends one GET, without following redirects. The HTTP client puts retries,
 * redirects, timeouts, the size cap and validators on top, the same for every
 * transport.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Which transport a client uses: Node's `http` module, Node's `fetch`, or undici's `request`. */
export type TransportKind = 'http' | 'fetch' | 'request';

const require = createRequire(import.meta.url);

/**
 * Node's global `fetch` over the given undici dispatcher. Global `fetch` is read at
 * call time, so nock (which replaces it) intercepts this path.
 */
export function fetchTransport(dispatcher: Dispatcher): Transport {
  return async ({ url, headers, signal }) => {
    // undici 7's Agent and Node's bundled fetch share the dispatcher protocol but not type declarations.
    const init = { headers, redirect: 'manual', signal, dispatcher };
    const response = await globalThis.fetch(url, init as unknown as RequestInit);
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: response.body,
      discard: async () => {
        await response.body?.cancel().catch(() => {});
      },
    };
  };
}

/**
 * Node's own `http`/`https` modules with keep-alive agents: no undici and no web
 * streams loaded at all, the smallest footprint of the three (a check of 200 feeds
 * peaks ~30 MB lower than over fetch, measured), and the path nock intercepts, so
 * unit tests run the real request code.
 */
export function httpTransport(): Transport & { close(): void } {
  const agents = {
    http: new HttpAgent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' }),
    https: new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' }),
  };
  const send: Transport = ({ url, headers, signal }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const request = (secure ? httpsRequest : httpRequest)(
        target,
        { method: 'GET', headers, signal, agent: secure ? agents.https : agents.http },
        (response) => {
          const header = (name: string): string | null => {
            const value = response.headers[name];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          };
          const status = response.statusCode ?? 0;
          // A response goes back to the pool only once read to its end, and the client never
          // reads the (empty) body of a 304: without this, every 304 cost a new connection.
          const empty = status === 204 || status === 304;
          if (empty) response.resume();
          const body = empty ? null : decoded(response, header('content-encoding'));
          resolve({
            status,
            statusText: response.statusMessage ?? STATUS_CODES[status] ?? '',
            headers: { get: header },
            body,
            discard: async () => {
              // A short rest is read so the socket goes back to the pool; a long one is dropped with it.
              // A compressed body is read through its decoder: the response is piped into it, and
              // the pipe stops reading once the decoder's unread output is full (which left the
              // drop of a compressed 503 or redirect page that was still arriving waiting forever).
              if (response.complete || Number(header('content-length') ?? Infinity) <= 64 * 1024) {
                (body ?? response).resume();
                if (!response.complete) await ended(response);
              } else {
                response.destroy();
              }
            },
          });
        },
      );
      request.once('error', reject);
      request.end();
    });
  return Object.assign(send, {
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

type RequestFunction = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/**
 * undici's `request` API over the given dispatcher. About twice the throughput of
 * fetch at half the CPU per request, measured on 15 KB pages, for callers that make
 * thousands of requests (the crawler). nock cannot intercept it: it is tested
 * against loopback servers.
 */
export function requestTransport(dispatcher: Dispatcher): Transport {
  // Only the module needed, not undici's entry (see loadAgentClass in client.ts).
  const request = require('undici/lib/api/api-request.js') as RequestFunction;
  return async ({ url, headers, signal }) => {
    const target = new URL(url);
    const sent = request.call(dispatcher, {
      origin: target.origin,
      path: target.pathname + target.search,
      method: 'GET',
      headers,
      signal,
    });
    const response = await endOnAbort(sent, signal, (late) => void late.body.dump().catch(() => {}));
    const raw = response.headers;
    const header = (name: string): string | null => {
      const value = raw[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    };
    const body = decoded(response.body, header('content-encoding'));
    return {
      status: response.statusCode,
      statusText: STATUS_CODES[response.statusCode] ?? '',
      headers: { get: header },
      body,
      discard: async () => {
        // Through the decoder, if any (see httpTransport's discard); then dump() reads a short
        // rest (up to its default 128 KiB) to keep the connection, else closes it, as it does
        // a rest that stalls for DRAIN_MS.
        body.resume();
        await response.body.dump({ limit: 128 * 1024, signal: AbortSignal.timeout(DRAIN_MS) }).catch(() => {});
      },
    };
  };
}

/**
 * undici's request API heeds an abort only once connected: while the connection is
 * still being made (a host that drops every SYN) it waits for the pool's connect
 * timeout, whatever the try's own. So the try ends when its signal fires, and an
 * answer that comes after is dropped.
 */
function endOnAbort<T>(promise: Promise<T>, signal: AbortSignal, dropLate: (late: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) dropLate(value);
        else resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * How long a dropped body's rest may take to arrive before it is cut off with its
 * connection: the try's timer is already cleared by then, and a rest that stalled
 * left the request waiting forever.
 */
const DRAIN_MS = 1000;

/** Resolves when a dropped response has ended, or after DRAIN_MS, when it is destroyed. */
function ended(response: Readable): Promise<void> {
  if (response.destroyed || response.readableEnded) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => {
      response.destroy();
      done();
    }, DRAIN_MS);
    const finish = (): void => {
      clearTimeout(timer);
      done();
    };
    response.once('end', finish).once('close', finish);
  });
}

const ZLIB_OPTIONS = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/**
 * The body decompressed as fetch would: gzip, deflate (zlib-wrapped or raw, as
 * servers send both) and br; several codings are undone last first. Unknown codings
 * pass through as they are.
 */
function decoded(body: Readable, encoding: string | null): Readable {
  if (encoding === null) return body;
  const codings = encoding.toLowerCase().split(',').map((coding) => coding.trim()).filter((c) => c && c !== 'identity');
  const stages: (Readable | Transform)[] = [body];
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') stages.push(createGunzip(ZLIB_OPTIONS));
    else if (coding === 'br') stages.push(createBrotliDecompress());
    else if (coding === 'deflate') stages.push(inflateEither());
    else return body;
  }
  if (stages.length === 1) return body;
  const last = stages.at(-1) as Transform;
  // pipeline destroys every stage when one fails or the reader stops early.
  pipeline(stages as [Readable, ...Transform[]], () => {});
  return last;
}

/** "deflate" is zlib-wrapped by the spec but raw from some servers: tell them apart by the first byte. */
function inflateEither(): Transform {
  let inflater: Transform | null = null;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (inflater === null) {
        // A zlib header's first byte has compression method 8 in its low bits.
        inflater = (chunk[0]! & 0x0f) === 0x08 ? createInflate(ZLIB_OPTIONS) : createInflateRaw(ZLIB_OPTIONS);
        inflater.on('data', (data: Buffer) => this.push(data));
        inflater.on('error', (error: Error) => this.destroy(error));
      }
      inflater.write(chunk, callback);
    },
    flush(callback) {
      if (inflater === null) return callback();
      inflater.once('end', () => callback());
      inflater.end();
    },
  });
}
