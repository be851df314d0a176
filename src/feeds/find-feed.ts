import { HostPool } from '../concurrency/host-pool.js';
import { ComicsError, errorMessage, isComicsError } from '../errors.js';
import { expectOk, type HttpClient, type HttpResponse, type Validators } from '../http/client.js';
import { FEED_ACCEPT } from '../check/feed-source.js';
import { decodeText } from '../text/decode.js';
import { COMMON_FEED_PATHS, findFeedLinks, rankFeedLinks } from './discover.js';
import { parseFeed, type ParsedFeed } from './parse.js';

/** A feed found for a URL a user gave. */
export interface FoundFeed {
  /** The feed URL to follow. */
  url: string;
  feed: ParsedFeed;
  validators: Validators;
  /** How it was found: the URL was the feed, a page announced it, or a common path answered. */
  via: 'feed' | 'link' | 'guess';
  /** The page the user gave, when it was a page. */
  page: { url: string; html: string } | null;
}

/** A page that has no feed: what `comics add` reads for page mode instead. */
export interface PageWithoutFeed {
  /** The page's URL, after permanent redirects. */
  url: string;
  /** The URL that answered, after all redirects. */
  finalUrl: string;
  html: string;
  validators: Validators;
  /** E_NO_FEED, saying what was tried. */
  error: ComicsError;
}

/**
 * Finds the feed to follow for `url`: the URL itself when it is a feed, else
 * the best feed the page announces with `<link rel="alternate">`, else the
 * first of a few common feed paths that answers with a feed.
 * Throws E_NO_FEED (with what was tried) when there is none; network and HTTP
 * errors for `url` itself propagate as they are.
 *
 * @example
 * const found = await findFeed(http, 'https://xkcd.com/'); // found.url === 'https://xkcd.com/atom.xml'
 */
export async function findFeed(http: HttpClient, url: string, options: { signal?: AbortSignal } = {}): Promise<FoundFeed> {
  const search = await searchFeed(http, url, options);
  if ('error' in search) throw search.error;
  return search;
}

/**
 * {@link findFeed}, but a page without a feed is an answer rather than an
 * error: the page comes back (with the E_NO_FEED error that findFeed throws),
 * so `comics add` can try page mode on it without fetching it again.
 *
 * @example
 * const found = await searchFeed(http, 'https://comic.test/');
 * if ('error' in found) readStripPage(parsePage(found.html), found.finalUrl);
 */
export async function searchFeed(http: HttpClient, url: string, options: { signal?: AbortSignal } = {}): Promise<FoundFeed | PageWithoutFeed> {
  const { signal } = options;
  const response = expectOk(
    await http.get(url, { accept: `${FEED_ACCEPT.replace(', */*;q=0.5', '')}, text/html;q=0.8, */*;q=0.5`, signal }),
  );
  try {
    const feed = parseFeed(response.body, { url: response.finalUrl, contentType: response.contentType });
    return { url: followUrl(url, response), feed, validators: response.validators, via: 'feed', page: null };
  } catch (error) {
    if (!isComicsError(error, 'E_NOT_A_FEED')) throw error;
  }
  const html = decodeText(response.body, { contentType: response.contentType, kind: 'html' });
  const page = { url: response.finalUrl, html };
  const failures: string[] = [];
  const announced = rankFeedLinks(findFeedLinks(html, response.finalUrl));
  for (const link of announced) {
    const found = await tryFeed(http, link.url, { signal, maxTries: 2 });
    if ('feed' in found) return { ...found, via: 'link', page };
    failures.push(`${link.url}: ${found.error}`);
  }
  // Nothing announced (or nothing announced works): ask politely, two at a time; the first path in order wins.
  const announcedUrls = new Set(announced.map((link) => link.url));
  const guesses = guessUrls(response.finalUrl).filter((guess) => !announcedUrls.has(guess));
  const pool = new HostPool({ concurrency: 2, perHost: 2 });
  const answers = await Promise.all(
    guesses.map((guess) => pool.run('guess', () => tryFeed(http, guess, { signal, maxTries: 1 }))),
  );
  const found = answers.find((answer) => 'feed' in answer);
  if (found && 'feed' in found) return { ...found, via: 'guess', page };
  // A common path that answered with a feed we cannot read (an unknown JSON Feed version) is worth naming.
  const unreadable = answers.flatMap((answer) => ('code' in answer && answer.code === 'E_FEED_PARSE' ? [answer.error] : []));
  const detail =
    (failures.length > 0 ? `; the feeds it announces failed: ${failures.join('; ')}` : '') +
    (unreadable.length > 0 ? `; ${unreadable.join('; ')}` : '');
  const error = new ComicsError(
    'E_NO_FEED',
    `No feed found for ${url}: the page announces no working feed and none of ${COMMON_FEED_PATHS.slice(0, 4).join(', ')}, … answered with one${detail}`,
    { url },
  );
  return { url: followUrl(url, response), finalUrl: response.finalUrl, html, validators: response.validators, error };
}

async function tryFeed(
  http: HttpClient,
  url: string,
  options: { signal?: AbortSignal; maxTries: number },
): Promise<Omit<FoundFeed, 'via' | 'page'> | { error: string; code: string | null }> {
  try {
    const response = expectOk(await http.get(url, { accept: FEED_ACCEPT, ...options }));
    const feed = parseFeed(response.body, { url: response.finalUrl, contentType: response.contentType });
    return { url: followUrl(url, response), feed, validators: response.validators };
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    return { error: errorMessage(error), code: isComicsError(error) ? error.code : null };
  }
}

/** Common feed paths at the site root, and under the page's folder when it has one. */
function guessUrls(pageUrl: string): string[] {
  const page = new URL(pageUrl);
  const folder = page.pathname.endsWith('/') ? page.pathname : page.pathname.replace(/[^/]*$/, '');
  const roots = folder === '/' ? ['/'] : ['/', folder];
  const urls = roots.flatMap((root) => COMMON_FEED_PATHS.map((path) => new URL(`.${path}`, new URL(root, page)).href));
  return [...new Set(urls)];
}

/** Follow permanent redirects in what we store; temporary ones may change back. */
function followUrl(requested: string, response: HttpResponse): string {
  const permanent = response.redirects.length > 0 && response.redirects.every((hop) => hop.status === 301 || hop.status === 308);
  return permanent ? response.finalUrl : new URL(requested).href;
}
