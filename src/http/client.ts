import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import { setTimeout as delay } from 'node:timers/promises';
import { ComicsError, isComicsError, type ErrorCode } from '../errors.js';
import { USER_AGENT } from '../version.js';
import { readCapped, tooLargeError } from './body.js';
import { fetchTransport, httpTransport, requestTransport, type HeaderLookup, type Transport, type TransportKind, type TransportResponse } from './transport.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry.js';

/** ETag / Last-Modified pair used for conditional GET. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

/** One hop of a redirect chain. */
export interface Redirect {
  url: string;
  status: number;
  location: string;
}

/** What a retry is about to wait for; for progress and logs. */
export interface RetryInfo {
  url: string;
  /** The try that failed, 1-based. */
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface HttpClientOptions {
  /** Sent on every request. */
  userAgent?: string;
  /** Per try, from sending the request to the end of the body. Default 30 s. */
  timeoutMs?: number;
  /** Cap on the decompressed body. Default 16 MiB. */
  maxBytes?: number;
  /** Redirects followed before giving up. Default 5. */
  maxRedirects?: number;
  /** Tries per request (first one included) on network errors, 429 and 5xx; a timeout gets one. Default 4. */
  maxTries?: number;
  /** First backoff step; doubles each retry, with jitter. Default 500 ms. */
  retryBaseMs?: number;
  /** A longer `Retry-After` is not waited for: the response is returned as it is. Default 60 s. */
  maxRetryAfterMs?: number;
  /** For the 'fetch' and 'request' transports: the undici pool; default a keep-alive Agent owned (and closed) by the client. */
  dispatcher?: Dispatcher;
  /**
   * 'http' (default): Node's http/https modules, the smallest and what nock intercepts;
   * 'fetch': Node's global fetch (nock intercepts it too); 'request': undici's request
   * API, twice fetch's throughput for callers making thousands of requests (the crawler).
   */
  transport?: TransportKind;
  /** Waits between retries; injectable so tests need not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source, 0 <= x < 1. */
  random?: () => number;
  /** Wall clock in ms, for Retry-After dates. */
  now?: () => number;
}

export interface RequestOptions {
  /** Accept header; default accepts anything. */
  accept?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Sent as If-None-Match / If-Modified-Since. */
  validators?: Validators | null;
  /** Aborts the request (all tries); the error then has code E_ABORTED. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
  /** 0 returns a 3xx response as it is, with `location` set, so the caller can follow it itself. */
  maxRedirects?: number;
  maxTries?: number;
  /**
   * Decide from the final response's head whether its body is kept.
   * Unkept bodies are still read (and counted in `bytes`, under the size cap) so
   * the connection goes back to the pool. Default: keep the body of 2xx responses.
   */
  keepBody?: (head: { status: number; contentType: string | null; url: string }) => boolean;
  /** Called before each retry's wait. */
  onRetry?: (info: RetryInfo) => void;
}

export interface HttpResponse {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  status: number;
  statusText: string;
  headers: HeaderLookup;
  contentType: string | null;
  /** Decompressed body; empty when not kept, and for 304. */
  body: Uint8Array;
  /** Decompressed bytes received for the final response, kept or not. */
  bytes: number;
  redirects: Redirect[];
  /** Resolved Location of a 3xx returned as it is (maxRedirects 0), else null. */
  location: string | null;
  /** True for a 304 answer to a conditional request. */
  notModified: boolean;
  /** Validators to store: from this response, or the ones sent when a 304 omits them. */
  validators: Validators;
  /** What `Retry-After` asked for on the final response, in ms, or null. */
  retryAfterMs: number | null;
  /** Tries made for the final hop. */
  tries: number;
  /** Wall time for the whole call, retries and redirects included. */
  ms: number;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Network error codes that another try will not fix. */
const PERMANENT_NETWORK_CODES = new Set([
  'ENOTFOUND',
  'ENETUNREACH',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** Why an attempt's controller was aborted: our own timeout, or the caller. */
const TIMED_OUT = Symbol('timed out');

/**
 * The one HTTP client of the program, shared by `check`, `add` and `crawl`.
 *
 * Requests go through the global `fetch` with an undici `Agent` as dispatcher: a
 * keep-alive pool in production, and the same code path under nock in unit tests.
 * Retries, redirects, the size cap, timeouts and conditional GET live here, once,
 * for every caller.
 *
 * @example
 * const http = new HttpClient({ timeoutMs: 10_000 });
 * const res = expectOk(await http.get('https://xkcd.com/atom.xml', { validators }));
 * await http.close();
 */
export class HttpClient {
  readonly #userAgent: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxRedirects: number;
  readonly #maxTries: number;
  readonly #retryBaseMs: number;
  readonly #maxRetryAfterMs: number;
  /** What close() must close: the undici pool the client made, or the http transport's agents. */
  readonly #closeTransport: () => Promise<void>;
  readonly #transport: Transport;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: HttpClientOptions = {}) {
    this.#userAgent = options.userAgent ?? USER_AGENT;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.#maxRedirects = options.maxRedirects ?? 5;
    this.#maxTries = options.maxTries ?? 4;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    const kind = options.transport ?? 'http';
    if (kind === 'http') {
      const transport = httpTransport();
      this.#transport = transport;
      this.#closeTransport = async () => transport.close();
    } else {
      // undici is loaded only for the transports that run on it.
      const dispatcher = options.dispatcher ?? defaultAgent();
      this.#transport = kind === 'request' ? requestTransport(dispatcher) : fetchTransport(dispatcher);
      this.#closeTransport = options.dispatcher === undefined ? () => dispatcher.close() : async () => {};
    }
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  /**
   * GET `url`, following redirects and retrying transient failures.
   * Resolves with the final response whatever its status (see {@link expectOk});
   * rejects with a {@link ComicsError} (E_NETWORK, E_TIMEOUT, E_TOO_LARGE,
   * E_REDIRECT, E_UNSAFE_URL, E_ABORTED) when there is no response to give.
   */
  async get(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const started = performance.now();
    const maxRedirects = options.maxRedirects ?? this.#maxRedirects;
    const redirects: Redirect[] = [];
    let current = checkHttpUrl(url);
    for (;;) {
      const { response, tries, retryAfterMs } = await this.#tryHard(current, options);
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (REDIRECT_STATUSES.has(response.status) && maxRedirects > 0) {
        this.#release(response);
        await response.discard();
        if (location === null) {
          throw new ComicsError('E_REDIRECT', `Redirect ${response.status} without a Location header: GET ${current}`, {
            url: current,
          });
        }
        const target = resolveLocation(location, current);
        redirects.push({ url: current, status: response.status, location: target });
        if (redirects.length > maxRedirects) {
          throw new ComicsError('E_REDIRECT', `Too many redirects (more than ${maxRedirects}): GET ${url}`, { url });
        }
        current = target;
        continue;
      }
      return this.#finish(response, {
        url,
        finalUrl: current,
        redirects,
        location: location === null ? null : resolveLocation(location, current),
        tries,
        retryAfterMs,
        started,
        options,
      });
    }
  }

  /** Closes pooled connections (when the client created the pool). */
  async close(): Promise<void> {
    await this.#closeTransport();
  }

  /** One hop, with retries on network errors, 429 and 5xx. */
  async #tryHard(
    url: string,
    options: RequestOptions,
  ): Promise<{ response: TransportResponse; tries: number; retryAfterMs: number | null }> {
    const maxTries = Math.max(1, options.maxTries ?? this.#maxTries);
    for (let attempt = 1; ; attempt++) {
      let waitMs: number;
      let reason: string;
      try {
        const response = await this.#send(url, options);
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#now());
        const tooLong = retryAfterMs !== null && retryAfterMs > this.#maxRetryAfterMs;
        if (!isRetryableStatus(response.status) || attempt >= maxTries || tooLong) {
          return { response, tries: attempt, retryAfterMs };
        }
        this.#release(response);
        await response.discard();
        waitMs = Math.max(retryAfterMs ?? 0, backoffDelay(attempt, this.#retryBaseMs, this.#random));
        reason = `HTTP ${response.status}`;
      } catch (error) {
        if (!isRetryableError(error) || attempt >= maxTries) throw error;
        waitMs = backoffDelay(attempt, this.#retryBaseMs, this.#random);
        reason = (error as ComicsError).message;
      }
      options.onRetry?.({ url, attempt, delayMs: waitMs, reason });
      try {
        await this.#sleep(waitMs, options.signal);
      } catch (error) {
        throw abortedError(url, error);
      }
    }
  }

  /** One try: headers only; the body is read in #finish under the same timeout. */
  async #send(url: string, options: RequestOptions): Promise<TransportResponse> {
    if (options.signal?.aborted) throw abortedError(url, options.signal.reason);
    const controller = new AbortController();
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const release = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const headers: Record<string, string> = {
      'user-agent': this.#userAgent,
      accept: options.accept ?? '*/*',
      'accept-encoding': 'gzip, deflate, br',
      ...options.headers,
    };
    if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
    if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;
    try {
      const response = await this.#transport({ url, headers, signal: controller.signal });
      pending.set(response, { controller, release, timeoutMs });
      return response;
    } catch (error) {
      release();
      throw toHttpError(error, url, controller.signal, timeoutMs);
    }
  }

  /** Ends a try's timer and abort wiring (for responses whose body is not read). */
  #release(response: TransportResponse): void {
    pending.get(response)?.release();
    pending.delete(response);
  }

  async #finish(
    response: TransportResponse,
    info: {
      url: string;
      finalUrl: string;
      redirects: Redirect[];
      location: string | null;
      tries: number;
      retryAfterMs: number | null;
      started: number;
      options: RequestOptions;
    },
  ): Promise<HttpResponse> {
    const { options } = info;
    const contentType = response.headers.get('content-type');
    const attempt = pending.get(response);
    const maxBytes = options.maxBytes ?? this.#maxBytes;
    const keep = (options.keepBody ?? keepSuccessBody)({ status: response.status, contentType, url: info.finalUrl });
    let read: { body: Uint8Array; bytes: number };
    try {
      const declared = Number(response.headers.get('content-length'));
      if (response.headers.get('content-encoding') === null && declared > maxBytes) {
        // Refuse before downloading what would be cut off anyway.
        attempt?.controller.abort();
        throw tooLargeError(maxBytes, info.finalUrl);
      }
      read = await readCapped(response.status === 304 ? null : response.body, {
        maxBytes,
        keep,
        url: info.finalUrl,
        onTooLarge: () => attempt?.controller.abort(),
      });
    } catch (error) {
      await response.discard();
      if (isComicsError(error)) throw error;
      throw toHttpError(error, info.finalUrl, attempt?.controller.signal, attempt?.timeoutMs ?? 0);
    } finally {
      attempt?.release();
      pending.delete(response);
    }
    const notModified = response.status === 304;
    const sent = options.validators ?? null;
    return {
      url: info.url,
      finalUrl: info.finalUrl,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      contentType,
      body: read.body,
      bytes: read.bytes,
      redirects: info.redirects,
      location: info.location,
      notModified,
      validators: {
        etag: response.headers.get('etag') ?? (notModified ? (sent?.etag ?? null) : null),
        lastModified: response.headers.get('last-modified') ?? (notModified ? (sent?.lastModified ?? null) : null),
      },
      retryAfterMs: info.retryAfterMs,
      tries: info.tries,
      ms: Math.round(performance.now() - info.started),
    };
  }
}

/** undici's Agent class, from its own module (see {@link defaultAgent}). */
export function loadAgentClass(): typeof import('undici').Agent {
  // The package entry loads all of undici (fetch, WebSocket, mocks, cache...): about 70 ms of
  // CPU per process, measured, against 20 ms for the Agent module alone. undici has no
  // exports map, so the module path is public; a test pins it to the package's own Agent.
  return createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof import('undici').Agent;
}

/** The client's own keep-alive pool. */
function defaultAgent(): Dispatcher {
  const Agent = loadAgentClass();
  return new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connect: { timeout: 15_000 } });
}

/** Per-try state that must outlive #send until the body is read. */
const pending = new WeakMap<TransportResponse, { controller: AbortController; release: () => void; timeoutMs: number }>();

function keepSuccessBody(head: { status: number }): boolean {
  return head.status >= 200 && head.status < 300;
}

/**
 * Throws E_HTTP_STATUS unless `response` is a success (2xx, or 304 to a conditional GET).
 *
 * @example
 * const res = expectOk(await http.get(url)); // "Request failed with status 404 Not Found: GET <url>"
 */
export function expectOk(response: HttpResponse): HttpResponse {
  if ((response.status >= 200 && response.status < 300) || response.notModified) return response;
  const text = response.statusText ? ` ${response.statusText}` : '';
  const wait =
    response.retryAfterMs !== null ? ` (the server asks to retry after ${Math.ceil(response.retryAfterMs / 1000)} s)` : '';
  throw new ComicsError(
    'E_HTTP_STATUS',
    `Request failed with status ${response.status}${text}: GET ${response.finalUrl}${wait}`,
    { url: response.finalUrl, status: response.status },
  );
}

/** Parses `url` and refuses anything but http(s); returns the normalised href. */
export function checkHttpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ComicsError('E_UNSAFE_URL', `Not a valid URL: ${JSON.stringify(url)}`, { url, cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ComicsError('E_UNSAFE_URL', `Only http and https URLs can be fetched, got ${parsed.protocol} in ${url}`, {
      url,
    });
  }
  return parsed.href;
}

function resolveLocation(location: string, base: string): string {
  let target: string;
  try {
    target = new URL(location, base).href;
  } catch (error) {
    throw new ComicsError('E_REDIRECT', `Redirect to an invalid Location ${JSON.stringify(location)}: GET ${base}`, {
      url: base,
      cause: error,
    });
  }
  if (!/^https?:/.test(target)) {
    throw new ComicsError('E_REDIRECT', `Redirect to a non-http(s) URL ${target}: GET ${base}`, { url: base });
  }
  return target;
}

/**
 * Network failures are retried, but for those another try will not fix. A timeout
 * is never retried, whether the server accepted the connection and then sent
 * nothing (or dripped bytes) or the connection itself never completed: a host
 * silent for a whole try stays silent on the next one (the kernel has already
 * re-sent its SYN within the try), and retrying it held a whole check for
 * tries × timeout. Nothing is lost by giving up: a comic's state advances only on
 * success, so the next check is the retry.
 */
function isRetryableError(error: unknown): boolean {
  if (!isComicsError(error, 'E_NETWORK')) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code !== 'string' || !PERMANENT_NETWORK_CODES.has(code);
}

function abortedError(url: string, cause: unknown): ComicsError {
  return new ComicsError('E_ABORTED', `Aborted: GET ${url}`, { url, cause });
}

/** Maps what fetch and body streams throw to E_TIMEOUT, E_ABORTED or E_NETWORK. */
function toHttpError(error: unknown, url: string, signal: AbortSignal | undefined, timeoutMs: number): ComicsError {
  if (isComicsError(error)) return error;
  if (signal?.aborted) {
    if (signal.reason === TIMED_OUT) {
      return new ComicsError('E_TIMEOUT', `No complete response within ${timeoutMs} ms: GET ${url}`, { url });
    }
    return abortedError(url, signal.reason);
  }
  const cause = rootCause(error);
  const code = (cause as { code?: unknown }).code;
  const errorCode: ErrorCode =
    code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
      ? 'E_TIMEOUT'
      : 'E_NETWORK';
  const detail = cause instanceof Error ? cause.message : String(cause);
  const label = typeof code === 'string' && !detail.includes(code) ? `${code}: ${detail}` : detail;
  return new ComicsError(errorCode, `Network error (${label}): GET ${url}`, { url, cause });
}

/** fetch wraps the interesting error as `cause` of a bare "fetch failed" TypeError. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 4; depth++) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}
