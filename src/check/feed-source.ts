import { expectOk, type HttpClient, type Validators } from '../http/client.js';
import { parseFeed, type ParsedFeed } from '../feeds/parse.js';

/** Preference order a feed reader states, so servers doing content negotiation pick a feed. */
export const FEED_ACCEPT =
  'application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

export type FeedFetch =
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'feed'; feed: ParsedFeed; validators: Validators; finalUrl: string };

/**
 * Fetches and parses one feed, conditionally when validators are given.
 * Throws a ComicsError (HTTP, network, parse) that the caller records for the comic.
 *
 * @example
 * const result = await fetchFeed(http, 'https://xkcd.com/atom.xml', { validators, signal });
 */
export async function fetchFeed(
  http: HttpClient,
  url: string,
  options: { validators: Validators | null; signal?: AbortSignal; timeoutMs?: number },
): Promise<FeedFetch> {
  const response = expectOk(
    await http.get(url, {
      accept: FEED_ACCEPT,
      validators: options.validators,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    }),
  );
  if (response.notModified) return { kind: 'not-modified', validators: response.validators };
  const feed = parseFeed(response.body, { url: response.finalUrl, contentType: response.contentType });
  return { kind: 'feed', feed, validators: response.validators, finalUrl: response.finalUrl };
}
