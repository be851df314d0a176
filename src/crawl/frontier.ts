import type { CrawlStore, QueuedUrl } from '../store/crawl-store.js';
import { originOf } from './url.js';

/** A URL waiting to be fetched; its row in the store has state 'queued' until it is recorded. */
export type FrontierEntry = QueuedUrl;

export interface FrontierOptions {
  store: CrawlStore;
  run: number;
  /** Most URLs one site keeps in memory; the rest wait in the store and are paged in as the site drains. */
  memoryPerSite?: number;
  /** Called when a lane (an origin) gets work, so the scheduler can wake it. */
  onWork: (lane: string) => void;
}

interface Lane {
  /** The site the origin belongs to (one origin, one site). */
  site: number;
  queue: FrontierEntry[];
  head: number;
}

interface SiteState {
  inMemory: number;
  /** Some of the site's queued URLs are only in the store. */
  spilled: boolean;
  /** Highest id paged in (or added) for the site. */
  cursor: number;
  /** Redirect targets put in memory out of order, above the cursor: not to be paged in twice. */
  pinned: Set<number>;
}

/**
 * The URLs still to fetch, one FIFO lane per origin (breadth-first within a lane).
 * Each site keeps at most `memoryPerSite` of them in memory; past that, new URLs
 * live only in the store (where the crawler already saved them) and are paged back
 * in, oldest first, as the site's lanes drain. Memory stays flat however large the
 * frontier grows, and a resumed run starts with everything in the store.
 *
 * @example
 * const frontier = new Frontier({ store, run, onWork: (lane) => scheduler.wake(lane) });
 * frontier.add(entry); ... const next = frontier.take('https://xkcd.com');
 */
export class Frontier {
  readonly #store: CrawlStore;
  readonly #run: number;
  readonly #cap: number;
  readonly #onWork: (lane: string) => void;
  readonly #lanes = new Map<string, Lane>();
  readonly #sites = new Map<number, SiteState>();
  #size = 0;

  constructor(options: FrontierOptions) {
    this.#store = options.store;
    this.#run = options.run;
    this.#cap = Math.max(2, options.memoryPerSite ?? 2000);
    this.#onWork = options.onWork;
  }

  /** URLs held in memory. */
  get size(): number {
    return this.#size;
  }

  /** For a resumed run: the site's queued URLs are all in the store; page the first ones in. */
  restore(site: number): void {
    const state = this.#site(site);
    state.spilled = true;
    this.#refill(site, state);
  }

  /** A URL just added to the store. */
  add(entry: FrontierEntry): void {
    const site = this.#site(entry.site);
    if (site.spilled || site.inMemory >= this.#cap) {
      site.spilled = true;
      return;
    }
    site.cursor = entry.id;
    this.#push(entry, false);
    site.inMemory++;
  }

  /** A redirect target: goes first in its lane, whatever the site's memory budget. */
  addFirst(entry: FrontierEntry): void {
    const site = this.#site(entry.site);
    if (site.spilled) site.pinned.add(entry.id);
    else site.cursor = Math.max(site.cursor, entry.id);
    this.#push(entry, true);
    site.inMemory++;
  }

  /** The next URL of a lane, or undefined when the lane has nothing left (in memory or in the store). */
  take(origin: string): FrontierEntry | undefined {
    const lane = this.#lanes.get(origin);
    if (lane === undefined) return undefined;
    let entry = this.#shift(lane);
    if (entry === undefined) {
      // The lane may have more waiting in the store: page its site in.
      const site = this.#site(lane.site);
      if (site.spilled) this.#refill(lane.site, site);
      entry = this.#shift(lane);
      if (entry === undefined) return undefined;
    }
    const site = this.#site(entry.site);
    site.inMemory--;
    if (site.spilled && site.inMemory < this.#cap / 2) this.#refill(entry.site, site);
    return entry;
  }

  #push(entry: FrontierEntry, first: boolean): void {
    const origin = originOf(entry.url);
    let lane = this.#lanes.get(origin);
    if (lane === undefined) {
      lane = { site: entry.site, queue: [], head: 0 };
      this.#lanes.set(origin, lane);
    }
    if (first && lane.head > 0) lane.queue[--lane.head] = entry;
    else if (first) lane.queue.unshift(entry);
    else lane.queue.push(entry);
    this.#size++;
    this.#onWork(origin);
  }

  #shift(lane: Lane): FrontierEntry | undefined {
    if (lane.head >= lane.queue.length) return undefined;
    const entry = lane.queue[lane.head]!;
    lane.queue[lane.head++] = undefined as unknown as FrontierEntry;
    if (lane.head === lane.queue.length) {
      lane.queue.length = 0;
      lane.head = 0;
    } else if (lane.head >= 1024 && lane.head * 2 >= lane.queue.length) {
      lane.queue.splice(0, lane.head);
      lane.head = 0;
    }
    this.#size--;
    return entry;
  }

  /** Pages in the site's oldest queued URLs from the store; returns how many. */
  #refill(index: number, site: SiteState): number {
    const limit = this.#cap - site.inMemory;
    if (limit <= 0) return 0;
    const rows = this.#store.queued(this.#run, index, site.cursor, limit);
    let added = 0;
    for (const row of rows) {
      site.cursor = row.id;
      if (site.pinned.delete(row.id)) continue;
      this.#push(row, false);
      site.inMemory++;
      added++;
    }
    if (rows.length < limit) {
      site.spilled = false;
      site.pinned.clear();
    }
    return added;
  }

  #site(index: number): SiteState {
    let site = this.#sites.get(index);
    if (site === undefined) {
      site = { inMemory: 0, spilled: false, cursor: 0, pinned: new Set() };
      this.#sites.set(index, site);
    }
    return site;
  }
}
