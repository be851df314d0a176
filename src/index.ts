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
export { findFeed, searchFeed, type FoundFeed, type PageWithoutFeed } from './feeds/find-feed.js';
export { decodeText } from './text/decode.js';

export { loadConfig, saveConfig, validateConfig, resolveComic, findComic, type Comic, type ComicEntry, type ComicsConfig } from './config/comics-config.js';
export { openDatabase, type Db } from './store/database.js';
export { ComicsStore, type StripRow, type StripInput, type ComicState, type ComicSummary, type ComicSnapshot } from './store/comics-store.js';
export { newClaimant } from './store/claims.js';

export { checkComics, type ComicResult, type CheckOptions } from './check/check-comics.js';
export { openStrips, type OpenStripsResult } from './check/open-strips.js';
export { catchUp, type CatchUp } from './check/catch-up.js';

export { parsePage, readStripPage, findLatestLink, suggestSelector, type StripPage, type PageSelectors, type Found } from './pages/heuristics.js';
export { walkPages, knownStrips, DEFAULT_MAX_WALK, type WalkOptions, type WalkResult, type PageFetcher, type PageIdentity } from './pages/page-walk.js';
export { requestPage, readPageResponse, slottedPageFetcher, type FetchedPage } from './pages/fetch-page.js';
export { lookUpStripImages, type StripImage, type StripImageLookup } from './pages/strip-images.js';

export { renderDigest, type DigestInput, type DigestComic, type DigestStrip, type DigestImage } from './digest/page.js';
export { openDigest, type DigestResult, type DigestOptions, type StripExtras } from './digest/open-digest.js';
export { digestDir, writeDigest, pruneDigests, KEEP_DIGESTS, DEFAULT_MAX_STRIPS } from './digest/files.js';
export { digestExtras } from './digest/extras.js';
export { deliverStrips, type Delivery, type DeliverOptions } from './check/deliver-strips.js';

export { diagnose, type Diagnosis, type DoctorOptions } from './health/doctor.js';
export { failureClass, FAILURE_CLASS_LABELS, type FailureClass } from './health/failure-class.js';

export { readSubscriptions, importComics, type ImportResult, type ImportedComic, type SkippedComic } from './subscriptions/import.js';
export { readOpml, writeOpml } from './subscriptions/opml.js';
export { readNewsboatUrls } from './subscriptions/newsboat.js';
export { buildExport, readExport, EXPORT_FORMAT, EXPORT_VERSION, type ComicsExport, type ExportedComic } from './subscriptions/export-json.js';
export type { ImportItem, ParsedList, Rejected, SubscriptionFormat } from './subscriptions/types.js';
export { createOpener, browserAvailability, type Opener } from './browser/opener.js';
export { browserUrl } from './browser/safe-url.js';

export { crawl, type CrawlDeps } from './crawl/crawler.js';
export {
  archiveComics,
  archiveStrips,
  type ArchiveDeps,
  type ArchiveOptions,
  type ArchiveProgress,
  type ComicArchive,
  type LookupImages,
} from './archive/archive-comics.js';
export { nodeArchiveFs, type ArchiveFs } from './archive/files.js';
export { ArchiveStore } from './store/archive-store.js';
export { CrawlStore } from './store/crawl-store.js';
export type { CrawlOptions, CrawlSummary, PageRecord, CrawlProgress } from './crawl/types.js';
