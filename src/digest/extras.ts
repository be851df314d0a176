import { HostPool } from '../concurrency/host-pool.js';
import type { HttpClient } from '../http/client.js';
import { slottedPageFetcher } from '../pages/fetch-page.js';
import type { PageSelectors } from '../pages/heuristics.js';
import { lookUpStripImages } from '../pages/strip-images.js';
import { ArchiveStore } from '../store/archive-store.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';
import type { StripExtras } from './open-digest.js';

export interface ExtrasOptions {
  concurrency: number;
  perHost: number;
  /** A comic's `selectors`, for its own image selector. */
  selectorsFor: (comic: string) => PageSelectors | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** The archive folder: strips archived there show their local copy, so the page reads offline. */
  archiveDir?: string | undefined;
}

/**
 * What a digest shows besides a strip's row: the image of a strip recorded without
 * one, read from its own page (in one pool with the run's limits), with a warning
 * when there is none; and the archived copy of a strip's image, when there is one.
 *
 * @example
 * const extras = digestExtras({ http, store }, { concurrency: 8, perHost: 2, selectorsFor: () => undefined });
 * await openDigest({ store, opener, browser, extras }, options);
 */
export function digestExtras(deps: { http: HttpClient; store: ComicsStore }, options: ExtrasOptions): (strips: readonly StripRow[]) => Promise<Map<number, StripExtras>> {
  return async (strips) => {
    const pool = new HostPool({ concurrency: options.concurrency, perHost: options.perHost });
    const fetchPage = slottedPageFetcher(deps.http, (url, task) => pool.run(hostOf(url), task), options);
    const found = await lookUpStripImages(strips, { store: deps.store, fetchPage, selectorsFor: options.selectorsFor });
    const extras = new Map<number, StripExtras>();
    for (const [id, lookup] of found) {
      extras.set(id, { ...(lookup.image === null ? {} : { image: lookup.image }), warnings: lookup.warning === null ? [] : [lookup.warning] });
    }
    if (options.archiveDir !== undefined) {
      const files = new ArchiveStore(deps.store.db).filesFor(
        strips.map((strip) => strip.id),
        options.archiveDir,
      );
      for (const [id, file] of files) extras.set(id, { ...extras.get(id), localImage: file });
    }
    return extras;
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
