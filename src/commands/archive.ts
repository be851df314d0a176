import { archiveComics, type ArchiveOptions, type ComicArchive, type LookupImages } from '../archive/archive-comics.js';
import type { ArchiveFs } from '../archive/files.js';
import { pageImages } from '../archive/page-images.js';
import { findComic, loadConfig, resolveComic, type Comic } from '../config/comics-config.js';
import { ArchiveStore } from '../store/archive-store.js';
import type { NetworkDeps } from './deps.js';

export interface ArchiveCommandOptions
  extends Pick<ArchiveOptions, 'all' | 'maxPages' | 'delayMs' | 'signal' | 'onProgress' | 'concurrency' | 'perHost'> {
  /** Comics to archive (case-insensitive); all when empty. */
  names: readonly string[];
}

export interface ArchiveCommandDeps extends NetworkDeps {
  /** The archive folder. */
  archiveDir: string;
  /** Names this run's claims. */
  claimant: string;
  fs?: ArchiveFs;
  /** Finds images of strips recorded without one (see LookupImages); default their own pages (pageImages). */
  lookupImages?: LookupImages;
}

export interface ArchiveReport {
  dir: string;
  comics: ComicArchive[];
  /** 0 when everything asked for is archived, 1 when some strips failed (the rest are kept). */
  exitCode: 0 | 1;
}

/**
 * `comics archive [<name>...] [--all]`: archives the images of recorded strips
 * (and with `all` the back catalogue) of the comics named, or of every comic.
 * Throws E_NOT_FOUND for a name not followed, E_WRITE when the archive folder
 * cannot be written.
 *
 * @example
 * const report = await runArchive({ names: ['xkcd'], all: true }, { ...deps, archiveDir: 'data/strips', claimant });
 */
export async function runArchive(options: ArchiveCommandOptions, deps: ArchiveCommandDeps): Promise<ArchiveReport> {
  const config = loadConfig(deps.configPath);
  const comics: Comic[] = [];
  const entries = options.names.length === 0 ? config.comics : options.names.map((name) => findComic(config, name));
  for (const entry of entries) if (!comics.some((comic) => comic.name === entry.name)) comics.push(resolveComic(entry));
  const { names: _names, ...archiveOptions } = options;
  const results = await archiveComics(
    comics,
    {
      http: deps.http,
      store: deps.store,
      archive: new ArchiveStore(deps.store.db),
      dir: deps.archiveDir,
      claimant: deps.claimant,
      ...(deps.fs === undefined ? {} : { fs: deps.fs }),
    },
    { ...archiveOptions, lookupImages: deps.lookupImages ?? pageImages(deps.store, (name) => comics.find((comic) => comic.name === name)?.selectors) },
  );
  return { dir: deps.archiveDir, comics: results, exitCode: results.some((result) => result.failed.length > 0) ? 1 : 0 };
}
