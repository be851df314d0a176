import { expectOk, type HttpClient, type HttpResponse, type Validators } from '../http/client.js';
import { decodeText } from '../text/decode.js';

/** What a browser asks for: strip pages are HTML. */
export const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** One fetched HTML page. */
export interface FetchedPage {
  /** The URL asked for. */
  url: string;
  /** The URL that answered, after redirects. */
  finalUrl: string;
  html: string;
  validators: Validators;
}

/**
 * Fetches a strip page (conditionally, when validators are given): the network
 * part only, so a caller can free its connection slot before reading it.
 * Throws a ComicsError (HTTP status, network) for the caller to record.
 *
 * @example
 * const response = await requestPage(http, 'https://www.smbc-comics.com/', { validators: null });
 */
export async function requestPage(
  http: HttpClient,
  url: string,
  options: { validators: Validators | null; signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Promise<HttpResponse> {
  return expectOk(await http.get(url, { ...options, accept: PAGE_ACCEPT }));
}

/** The page's text, decoded as a browser would (BOM, Content-Type, `<meta charset>`); null for a 304. */
export function readPageResponse(response: HttpResponse): FetchedPage | null {
  if (response.notModified) return null;
  return {
    url: response.url,
    finalUrl: response.finalUrl,
    html: decodeText(response.body, { contentType: response.contentType, kind: 'html' }),
    validators: response.validators,
  };
}

/**
 * A fetcher of strip pages that takes a connection slot for each request, as every
 * request of a run does (the global and per-host limits of one pool), and decodes
 * the page outside the slot.
 *
 * @example
 * const fetchPage = slottedPageFetcher(http, (url, task) => pool.run(new URL(url).host, task), { signal });
 * const page = await fetchPage('https://xkcd.com/1/', null);
 */
export function slottedPageFetcher(
  http: HttpClient,
  inSlot: <T>(url: string, task: () => Promise<T>) => Promise<T>,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } = {},
): (url: string, validators: Validators | null) => Promise<FetchedPage | null> {
  return async (url, validators) =>
    readPageResponse(await inSlot(url, () => requestPage(http, url, { validators, signal: options.signal, timeoutMs: options.timeoutMs })));
}
