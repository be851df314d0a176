import type { ComicResult } from '../check/check-comics.js';
import type { Comic } from '../config/comics-config.js';
import type { HttpClient } from '../http/client.js';
import { ArchiveStore } from '../store/archive-store.js';
import type { ComicsStore } from '../store/comics-store.js';
import { archiveStrips, type ArchiveOptions } from './archive-comics.js';
import { pageImages } from './page-images.js';

export interface AfterCheckDeps {
  http: HttpClient;
  store: ComicsStore;
  /** The archive folder. */
  archiveDir: string;
  claimant: string;
}

/**
 * What `check` does for comics with `"archive": true`: archives the images of
 * the strips this check recorded, so a daily cron job keeps the archive current.
 * A strip that cannot be archived is a warning on its comic (the next
 * `comics archive` tries it again), never a failed check.
 *
 * @example
 * await archiveAfterCheck(comics, results, { http, store, archiveDir: 'data/strips', claimant }, { perHost: 2 });
 */
export async function archiveAfterCheck(
  comics: readonly Comic[],
  results: readonly ComicResult[],
  deps: AfterCheckDeps,
  options: Pick<ArchiveOptions, 'concurrency' | 'perHost' | 'timeoutMs' | 'signal'> = {},
): Promise<void> {
  const byName = new Map(results.map((result) => [result.name, result]));
  const targets = comics.flatMap((comic) => {
    const strips = byName.get(comic.name)?.new ?? [];
    return comic.archive === true && strips.length > 0 ? [{ comic, strips }] : [];
  });
  if (targets.length === 0 || options.signal?.aborted) return;
  const archived = await archiveStrips(
    targets,
    { http: deps.http, store: deps.store, archive: new ArchiveStore(deps.store.db), dir: deps.archiveDir, claimant: deps.claimant },
    { ...options, lookupImages: pageImages(deps.store, (name) => comics.find((comic) => comic.name === name)?.selectors) },
  );
  for (const comic of archived) {
    const warnings = byName.get(comic.name)?.warnings;
    for (const failure of comic.failed) warnings?.push(`not archived: ${failure.url}: ${failure.reason}`);
  }
}
