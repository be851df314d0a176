/**
 * Every request the archive makes, as the crawler makes them: robots.txt obeyed
 * (and its Crawl-delay), a delay between requests to one host, at most the
 * per-host limit in flight, over the crawler's Scheduler (one lane per origin).
 * Redirects are followed here, hop by hop, each hop in its own host's lane, so
 * an image moved to another host gets that host's politeness.
 */
import { setMaxListeners } from 'node:events';
import { RobotsCache } from '../crawl/robots.js';
import { Scheduler } from '../crawl/scheduler.js';
import { ComicsError, isComicsError } from '../errors.js';
import type { HttpClient, HttpResponse, Redirect, RequestOptions } from '../http/client.js';

/** Strip pages of a walk go before images: the walk is the run's critical path. */
export type RequestKind = 'page' | 'image';

export interface PoliteRequestsOptions {
  /** Most requests in flight over all hosts. */
  concurrency: number;
  /** Most requests in flight to one host. */
  perHost: number;
  /** Least time between two request starts to one host (robots.txt's Crawl-delay when longer). */
  delayMs: number;
  timeoutMs?: number | undefined;
  maxTries?: number | undefined;
  /** Redirects followed from one URL. Default 5. */
  maxRedirects?: number;
  signal?: AbortSignal | undefined;
}

export interface PoliteGet extends Pick<RequestOptions, 'accept' | 'headers' | 'validators' | 'maxBytes' | 'keepBody'> {
  kind: RequestKind;
}

interface Item {
  url: string;
  options: PoliteGet;
  resolve(response: HttpResponse): void;
  reject(error: unknown): void;
}

interface Lane {
  pages: Item[];
  images: Item[];
  /** Images in flight, and walks that will want a page from this lane next. */
  imagesRunning: number;
  walks: number;
  lastKind: RequestKind | null;
}

/**
 * Polite GETs for the archive: `get` resolves with the final response (any
 * status) like HttpClient.get, and rejects with E_ROBOTS when robots.txt does
 * not allow a URL, E_ABORTED when the run stops, or what the client rejects with.
 *
 * @example
 * const requests = new PoliteRequests(http, { concurrency: 8, perHost: 2, delayMs: 1000 });
 * const response = await requests.get('https://imgs.xkcd.com/comics/ears.png', { kind: 'image' });
 * requests.close();
 */
export class PoliteRequests {
  readonly #http: HttpClient;
  readonly #options: PoliteRequestsOptions;
  readonly #scheduler: Scheduler<Item>;
  readonly #robots: RobotsCache;
  readonly #lanes = new Map<string, Lane>();
  readonly #abort = new AbortController();
  #closed = false;

  constructor(http: HttpClient, options: PoliteRequestsOptions) {
    this.#http = http;
    this.#options = options;
    setMaxListeners(0, this.#abort.signal);
    if (options.signal?.aborted) this.close();
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
    this.#robots = new RobotsCache({
      http,
      // robots.txt is read once per origin and run; nothing is kept between runs.
      load: () => undefined,
      save: () => {},
      signal: this.#abort.signal,
      timeoutMs: options.timeoutMs,
      maxTries: options.maxTries,
    });
    this.#scheduler = new Scheduler<Item>({
      concurrency: options.concurrency,
      perHost: options.perHost,
      take: (lane) => this.#take(lane),
      run: (item, lane) => this.#run(item, lane),
      prepare: (lane) => this.#robots.load(lane),
      delayMs: (lane) => Math.max(options.delayMs, this.#robots.rules(lane).crawlDelayMs),
      hostOf: (lane) => new URL(lane).host,
      onError: () => {},
    });
  }

  /** Requests running now. */
  get running(): number {
    return this.#scheduler.running;
  }

  /** GETs `url` politely, following redirects through each target host's lane. */
  async get(url: string, options: PoliteGet): Promise<HttpResponse> {
    const redirects: Redirect[] = [];
    let current = url;
    const maxRedirects = this.#options.maxRedirects ?? 5;
    for (;;) {
      const response = await this.#enqueue(current, options);
      if (response.location === null) return { ...response, url, redirects: [...redirects, ...response.redirects] };
      redirects.push({ url: current, status: response.status, location: response.location });
      if (redirects.length > maxRedirects) {
        throw new ComicsError('E_REDIRECT', `Too many redirects (more than ${maxRedirects}): GET ${url}`, { url });
      }
      current = response.location;
    }
  }

  /**
   * A walk is about to read pages from `origin` one after another: while it does,
   * images leave it a slot there, so the walk never waits behind them.
   * Returns the function that ends this.
   */
  walking(origin: string): () => void {
    const lane = this.#lane(origin);
    lane.walks++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      lane.walks--;
      this.#scheduler.wake(origin);
    };
  }

  /** Stops: requests in flight are aborted, queued ones rejected with E_ABORTED. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort(this.#options.signal?.reason);
    this.#scheduler.stop();
    for (const lane of this.#lanes.values()) {
      for (const item of [...lane.pages, ...lane.images]) item.reject(aborted(item.url));
      lane.pages = [];
      lane.images = [];
    }
  }

  #enqueue(url: string, options: PoliteGet): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(aborted(url));
        return;
      }
      let origin: string;
      try {
        origin = new URL(url).origin;
      } catch (error) {
        reject(new ComicsError('E_UNSAFE_URL', `Not a valid URL: ${JSON.stringify(url)}`, { url, cause: error }));
        return;
      }
      const lane = this.#lane(origin);
      (options.kind === 'page' ? lane.pages : lane.images).push({ url, options, resolve, reject });
      this.#scheduler.wake(origin);
    });
  }

  #lane(origin: string): Lane {
    let lane = this.#lanes.get(origin);
    if (lane === undefined) {
      lane = { pages: [], images: [], imagesRunning: 0, walks: 0, lastKind: null };
      this.#lanes.set(origin, lane);
    }
    return lane;
  }

  /**
   * The lane's next request: a walk's page first, except that with a delay pages and
   * images take turns (the delay, not the walk, sets the pace then). While a walk uses
   * the lane, images leave one of its slots free.
   */
  #take(origin: string): Item | undefined {
    const lane = this.#lanes.get(origin);
    if (lane === undefined) return undefined;
    const imageSlots = lane.walks > 0 ? Math.max(1, this.#options.perHost - 1) : this.#options.perHost;
    const imageOk = lane.images.length > 0 && lane.imagesRunning < imageSlots;
    const turn = this.#options.delayMs > 0 && lane.lastKind === 'page' && imageOk;
    const item = lane.pages.length > 0 && !turn ? lane.pages.shift() : imageOk ? lane.images.shift() : undefined;
    if (item === undefined) return undefined;
    lane.lastKind = item.options.kind;
    // Counted from here, not from when it runs: it may wait for a global slot first.
    if (item.options.kind === 'image') lane.imagesRunning++;
    return item;
  }

  async #run(item: Item, origin: string): Promise<void> {
    const lane = this.#lane(origin);
    const image = item.options.kind === 'image';
    try {
      if (!this.#robots.rules(origin).allows(item.url)) {
        item.reject(new ComicsError('E_ROBOTS', `${this.#robots.rules(origin).reason}: GET ${item.url}`, { url: item.url }));
        return;
      }
      const { kind: _kind, ...options } = item.options;
      item.resolve(
        await this.#http.get(item.url, {
          ...options,
          maxRedirects: 0,
          signal: this.#abort.signal,
          timeoutMs: this.#options.timeoutMs,
          maxTries: this.#options.maxTries,
        }),
      );
    } catch (error) {
      item.reject(isComicsError(error, 'E_ABORTED') ? aborted(item.url) : error);
    } finally {
      if (image) lane.imagesRunning--;
    }
  }
}

function aborted(url: string): ComicsError {
  return new ComicsError('E_ABORTED', `Aborted: GET ${url}`, { url });
}
