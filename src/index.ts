/**
 * comics as a library: the same functions the CLI uses.
 *
 * @example
 * import { checkComics, ComicsStore, HttpClient, openDatabase, loadConfig, resolveComic } from 'comics';
 * const store = new ComicsStore(openDatabase('data/comics.db'));
 * const http = new HttpClient();
 * const results = await checkComics(loadConfig('config/comics.json').comics.map(resolveComic), { http, store });
 */
export { ComicsError, isComicsError, errorMessage, type ErrorCode } from './errors.js';
export { VERSION, USER_AGENT } from './version.js';

export { HttpClient, expectOk, checkHttpUrl, type HttpClientOptions, type HttpResponse, type RequestOptions, type Validators } from './http/client.js';
export { HostPool, type HostPoolOptions } from './concurrency/host-pool.js';

export { parseFeed, type FeedEntry, type ParsedFeed } from './feeds/parse.js';
export { findFeedLinks, rankFeedLinks, COMMON_FEED_PATHS, type FeedLink } from './feeds/discover.js';
export { findFeed, type FoundFeed } from './feeds/find-feed.js';
export { decodeText } from './text/decode.js';

export { loadConfig, saveConfig, validateConfig, resolveComic, findComic, type Comic, type ComicEntry, type ComicsConfig } from './config/comics-config.js';
export { openDatabase, type Db } from './store/database.js';
export { ComicsStore, type StripRow, type ComicState, type ComicSummary } from './store/comics-store.js';
export { newClaimant } from './store/claims.js';

export { checkComics, type ComicResult, type CheckOptions } from './check/check-comics.js';
export { openStrips, type OpenStripsResult } from './check/open-strips.js';
export { createOpener, browserAvailability, type Opener } from './browser/opener.js';
export { browserUrl } from './browser/safe-url.js';

export { crawl, type CrawlDeps } from './crawl/crawler.js';
export { CrawlStore } from './store/crawl-store.js';
export type { CrawlOptions, CrawlSummary, PageRecord, CrawlProgress } from './crawl/types.js';
