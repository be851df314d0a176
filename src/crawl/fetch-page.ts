import { errorMessage, isComicsError } from '../errors.js';
import type { HttpClient, RetryInfo } from '../http/client.js';
import { charsetFromContentType, decodeText } from '../text/decode.js';

/** The outcome of one GET, success or not: a failure is data, never a throw. */
export interface FetchedUrl {
  /** Null when there was no response (network error, timeout, body too large, bad redirect). */
  status: number | null;
  contentType: string | null;
  /** Body bytes received (decompressed), kept or not. */
  bytes: number;
  ms: number;
  tries: number;
  /** Resolved Location of a 3xx, or null. */
  location: string | null;
  /** The decoded body of a 2xx HTML page; null for anything else (those bodies are not kept). */
  html: string | null;
  errorCode: string | null;
  error: string | null;
}

export interface FetchUrlOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxTries?: number;
  maxBytes?: number;
  onRetry?: (info: RetryInfo) => void;
}

const HTML_TYPES = /^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i;

/** True for an HTML content type; a missing one counts (the body is sniffed). */
export function isHtmlType(contentType: string | null): boolean {
  return contentType === null || HTML_TYPES.test(contentType);
}

const utf8 = new TextDecoder();

/**
 * GETs one URL without following redirects (the crawler queues the target itself,
 * so scope, dedup and per-host limits apply to it), keeping the body only for a
 * 2xx HTML page. Resolves with null only when `signal` aborted it: the URL was not
 * fetched and stays queued.
 *
 * @example
 * const page = await fetchUrl(http, 'https://xkcd.com/', { timeoutMs: 10_000 });
 * // { status: 200, contentType: 'text/html; charset=utf-8', html: '<!DOCTYPE html>...', ... }
 */
export async function fetchUrl(http: HttpClient, url: string, options: FetchUrlOptions = {}): Promise<FetchedUrl | null> {
  const started = performance.now();
  try {
    const response = await http.get(url, {
      accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      maxRedirects: 0,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxTries: options.maxTries,
      maxBytes: options.maxBytes,
      onRetry: options.onRetry,
      keepBody: (head) => head.status >= 200 && head.status < 300 && isHtmlType(head.contentType),
    });
    let html: string | null = null;
    if (response.body.byteLength > 0) {
      const text = decodeHtml(response.body, response.contentType);
      if (response.contentType !== null || looksLikeHtml(text)) html = text;
    }
    return {
      status: response.status,
      contentType: response.contentType,
      bytes: response.bytes,
      ms: response.ms,
      tries: response.tries,
      location: response.location,
      html,
      errorCode: null,
      error: null,
    };
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED') && options.signal?.aborted) return null;
    return {
      status: null,
      contentType: null,
      bytes: 0,
      ms: Math.round(performance.now() - started),
      tries: 0,
      location: null,
      html: null,
      errorCode: isComicsError(error) ? error.code : 'E_NETWORK',
      error: errorMessage(error),
    };
  }
}

/** UTF-8 (the common case) straight through TextDecoder; anything else through the shared charset rules. */
function decodeHtml(body: Uint8Array, contentType: string | null): string {
  const charset = charsetFromContentType(contentType)?.toLowerCase();
  if (charset === 'utf-8' || charset === 'utf8') return utf8.decode(body);
  return decodeText(body, { contentType, kind: 'html' });
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(?:!doctype\s+html|html|head|body|!--|a\s|p>|div|title)/i.test(text.slice(0, 512));
}
