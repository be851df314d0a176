import { expectOk, type HttpClient, type HttpResponse, type Validators } from '../http/client.js';
import type { ParsedFeed } from '../feeds/parse.js';
import { inlineFeedParser, type FeedParser } from '../feeds/parser.js';

/** Preference order a feed reader states, so servers doing content negotiation pick a feed. */
export const FEED_ACCEPT =
  'application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

export type FeedFetch =
  | { kind: 'not-modified'; validators: Validators }
  | { kind: 'feed'; feed: ParsedFeed; validators: Validators; finalUrl: string };

/**
 * Fetches one feed, conditionally when validators are given: the network part
 * only, so a caller can free its connection slot before parsing.
 * Throws a ComicsError (HTTP, network) that the caller records for the comic.
 *
 * @example
 * const response = await requestFeed(http, 'https://xkcd.com/atom.xml', { validators, signal });
 */
export async function requestFeed(
  http: HttpClient,
  url: string,
  options: { validators: Validators | null; signal?: AbortSignal; timeoutMs?: number },
): Promise<HttpResponse> {
  return expectOk(await http.get(url, { ...options, accept: FEED_ACCEPT }));
}

/** Parses what {@link requestFeed} got, with `parser` (inline by default); throws E_NOT_A_FEED / E_FEED_PARSE. */
export async function readFeedResponse(response: HttpResponse, parser: FeedParser = inlineFeedParser): Promise<FeedFetch> {
  if (response.notModified) return { kind: 'not-modified', validators: response.validators };
  const feed = await parser.parse(response.body, { url: response.finalUrl, contentType: response.contentType });
  return { kind: 'feed', feed, validators: response.validators, finalUrl: response.finalUrl };
}
