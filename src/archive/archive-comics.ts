/**
 * `comics archive` as a library: for each comic, the images of its recorded
 * strips that are not archived yet and, with `all`, the back catalogue found by
 * walking back to the first strip, all comics at once over one polite request
 * scheduler. This module only wires the parts: polite requests
 * (./polite-requests.js), the walk (./back-walk.js), fetching and checking an
 * image (./fetch-image.js), keeping it (./keep-image.js), names
 * (./names.js, ./renumber.js) and the index (src/store/archive-store.ts).
 */
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Comic } from '../config/comics-config.js';
import { isComicsError } from '../errors.js';
import { expectOk, type HttpClient } from '../http/client.js';
import { PAGE_ACCEPT, readPageResponse, type FetchedPage } from '../pages/fetch-page.js';
import type { ArchiveStore } from '../store/archive-store.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';
import { walkBack } from './back-walk.js';
import { DEFAULT_MAX_IMAGE_BYTES, fetchImage } from './fetch-image.js';
import { nodeArchiveFs, removeLeftovers, writeError, type ArchiveFs } from './files.js';
import { keepImage } from './keep-image.js';
import { folderKey, folderName } from './names.js';
import { PoliteRequests } from './polite-requests.js';
import { settleNames } from './renumber.js';

/** Default for `maxPages`: pages one run walks back, per comic. */
export const DEFAULT_MAX_PAGES = 1000;
/** Default delay between requests to one host for a walk back (`all`); 0 otherwise. */
export const DEFAULT_WALK_DELAY_MS = 1000;

/**
 * Finds the image of strips recorded without one by reading each strip's own page,
 * fetched with `fetchPage` (the archive's polite requests); by strip id, the image's
 * URL, or null and why. The archive reports the strips it finds none for.
 *
 * `comics archive` and `check` pass pageImages (./page-images.ts): the page rules.
 *
 * @example
 * const lookupImages: LookupImages = pageImages(store, (name) => selectors.get(name));
 */
export type LookupImages = (
  strips: readonly StripRow[],
  fetchPage: (url: string) => Promise<FetchedPage>,
) => Promise<ReadonlyMap<number, { image: string | null; warning: string | null }>>;

export interface ArchiveOptions {
  /** Also walk back to the first strip. */
  all?: boolean;
  /** Most pages one comic's walk reads in this run. Default 1000. */
  maxPages?: number;
  /** Least time between two requests to one host. Default 1000 ms with `all`, else 0. */
  delayMs?: number;
  /** Most requests in flight over all hosts. Default 16. */
  concurrency?: number;
  /** Most requests in flight to one host. Default 2. */
  perHost?: number;
  /** Size cap of one image. Default 32 MiB. */
  maxBytes?: number;
  timeoutMs?: number;
  maxTries?: number;
  signal?: AbortSignal;
  /** Called whenever something was archived, failed or walked. */
  onProgress?: (progress: ArchiveProgress) => void;
  /** Default none: a strip recorded without an image then fails with "No image recorded" (the command passes pageImages). */
  lookupImages?: LookupImages;
}

export interface ArchiveDeps {
  http: HttpClient;
  store: ComicsStore;
  archive: ArchiveStore;
  /** The archive folder; each comic gets a folder in it. */
  dir: string;
  /** Names this run's claims (see newClaimant). */
  claimant: string;
  fs?: ArchiveFs;
  /** Monotonic ms, for the progress rate. */
  now?: () => number;
}

/** A strip (image or page) that could not be archived, and why. */
export interface ArchiveFailure {
  url: string;
  reason: string;
}

/** One comic's outcome. */
export interface ComicArchive {
  name: string;
  /** Its folder (absolute), or null when nothing could be done. */
  folder: string | null;
  /** Strips archived by this run. */
  downloaded: number;
  /** Of those, how many hold bytes stored before (one image, one file). */
  duplicates: number;
  /** Strips asked for that were archived before this run. */
  alreadyArchived: number;
  failed: ArchiveFailure[];
  /** Image bytes downloaded by this run. */
  bytes: number;
  /** Pages walked back by this run. */
  walked: number;
  /** The walk back has reached the first strip (in this run or before). */
  firstReached: boolean;
  /** The walk back is over (first strip or a loop), in this run or before. */
  complete: boolean;
  warnings: string[];
}

/** Totals so far, for a progress display. */
export interface ArchiveProgress {
  comics: number;
  comicsDone: number;
  /** Strips this run is to archive, as far as known (a walk adds to it). */
  planned: number;
  downloaded: number;
  alreadyArchived: number;
  failed: number;
  bytes: number;
  walked: number;
  /** The page a walk is reading, and whose. */
  walking: { comic: string; url: string } | null;
  elapsedMs: number;
}

/** Strips a comic's walk may find ahead of their images being fetched. */
const WALK_BACKLOG = 64;

/**
 * Archives every comic given: the images of its recorded strips not archived
 * yet, and with `all` its back catalogue. A strip that cannot be archived is a
 * failure in its comic's result, never an exception; only a folder that cannot
 * be written (E_WRITE) or a store error rejects, once everything has stopped,
 * with the index consistent with the files. On `signal` abort, what was
 * archived is kept and the walks continue from where they stopped next time.
 *
 * @example
 * const results = await archiveComics(comics, { http, store, archive, dir: 'data/strips', claimant: newClaimant() }, { all: true });
 */
export async function archiveComics(comics: readonly Comic[], deps: ArchiveDeps, options: ArchiveOptions = {}): Promise<ComicArchive[]> {
  return new ArchiveRun(deps, options).run(comics.map((comic) => ({ comic, strips: null })));
}

/**
 * Archives the images of the given strips only (no walk): what `check` does for
 * comics with `"archive": true`, with the strips it just recorded.
 *
 * @example
 * await archiveStrips([{ comic, strips: result.new }], deps, { perHost: 2 });
 */
export async function archiveStrips(
  targets: readonly { comic: Comic; strips: readonly StripRow[] }[],
  deps: ArchiveDeps,
  options: Omit<ArchiveOptions, 'all' | 'maxPages'> = {},
): Promise<ComicArchive[]> {
  return new ArchiveRun(deps, { ...options, all: false }).run(targets);
}

interface Target {
  comic: Comic;
  /** Only these strips; null: every recorded strip (and the walk, with `all`). */
  strips: readonly StripRow[] | null;
}

/** One invocation: the shared request scheduler, progress and the first fatal error. */
class ArchiveRun {
  readonly #deps: ArchiveDeps;
  readonly #fs: ArchiveFs;
  readonly #options: ArchiveOptions;
  readonly #all: boolean;
  readonly #maxBytes: number;
  readonly #requests: PoliteRequests;
  readonly #now: () => number;
  readonly #started: number;
  readonly #progress: ArchiveProgress;
  #fatal: unknown = null;

  constructor(deps: ArchiveDeps, options: ArchiveOptions) {
    this.#deps = deps;
    this.#fs = deps.fs ?? nodeArchiveFs;
    this.#options = options;
    this.#all = options.all === true;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    this.#now = deps.now ?? (() => performance.now());
    this.#started = this.#now();
    this.#requests = new PoliteRequests(deps.http, {
      concurrency: options.concurrency ?? 16,
      perHost: options.perHost ?? 2,
      delayMs: options.delayMs ?? (this.#all ? DEFAULT_WALK_DELAY_MS : 0),
      timeoutMs: options.timeoutMs,
      maxTries: options.maxTries,
      signal: options.signal,
    });
    this.#progress = {
      comics: 0,
      comicsDone: 0,
      planned: 0,
      downloaded: 0,
      alreadyArchived: 0,
      failed: 0,
      bytes: 0,
      walked: 0,
      walking: null,
      elapsedMs: 0,
    };
  }

  async run(targets: readonly Target[]): Promise<ComicArchive[]> {
    this.#progress.comics = targets.length;
    try {
      const unchecked = await this.#baseline(targets);
      const results = await Promise.all(
        targets.map(async (target) => {
          const result = emptyResult(target.comic.name);
          try {
            const failure = unchecked.get(target.comic.name);
            if (failure === undefined) await this.#archiveComic(target, result);
            else this.#failed(result, { url: target.comic.source, reason: failure });
          } catch (error) {
            this.#fail(error);
          }
          this.#progress.comicsDone++;
          this.#emit();
          return result;
        }),
      );
      if (this.#fatal !== null) throw this.#fatal;
      return results;
    } finally {
      this.#requests.close();
      this.#deps.archive.releaseAll(this.#deps.claimant);
    }
  }

  /**
   * Comics never checked (or whose every check failed) are checked first, as `comics check`
   * would (a baseline), so the archive has strips to start from. Returns why those that
   * could not be checked were not archived, by name.
   */
  async #baseline(targets: readonly Target[]): Promise<Map<string, string>> {
    const { store, http } = this.#deps;
    const fresh = targets.filter((target) => store.getComic(target.comic.name)?.baselinedAt == null).map((target) => target.comic);
    if (fresh.length === 0) return new Map();
    const { checkComics } = await import('../check/check-comics.js');
    const checked = await checkComics(fresh, { http, store }, {
      concurrency: this.#options.concurrency ?? 16,
      perHost: this.#options.perHost ?? 2,
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      signal: this.#options.signal,
    });
    return new Map(
      checked.filter((result) => result.status === 'error').map((result) => [result.name, `Could not be checked, so there is nothing to archive yet: ${result.error}`]),
    );
  }

  async #archiveComic(target: Target, result: ComicArchive): Promise<void> {
    const { comic } = target;
    const { archive, claimant } = this.#deps;
    const folder = join(this.#deps.dir, archive.folderFor(comic.name, folderName(comic.name), folderKey));
    result.folder = folder;
    await this.#prepare(comic.name, folder);

    const limit = pLimit((this.#options.perHost ?? 2) * 3);
    const tasks = new Set<Promise<void>>();
    const submit = (strip: StripRow, claimed: boolean, noImage: string | null = null): void => {
      this.#progress.planned++;
      const task = limit(() => this.#archiveStrip(comic, folder, strip, { claimed, noImage }, result))
        .catch((error: unknown) => this.#fail(error))
        .finally(() => tasks.delete(task));
      tasks.add(task);
    };

    const wanted = target.strips === null ? null : new Set(target.strips.map((strip) => strip.id));
    const todo: StripRow[] = [];
    for (const strip of archive.candidates(comic.name)) {
      if (wanted !== null && !wanted.has(strip.id)) continue;
      if (strip.file !== null && (await this.#fs.exists(join(folder, strip.file)))) {
        result.alreadyArchived++;
        this.#progress.alreadyArchived++;
      } else {
        todo.push(strip);
      }
    }
    this.#emit();
    const lookup = this.#options.lookupImages;
    const missing = todo.filter((strip) => strip.image === null);
    const found = lookup !== undefined && missing.length > 0 ? await lookup(missing, (url) => this.#page(url)) : new Map();
    for (const strip of todo) {
      const looked = found.get(strip.id);
      submit({ ...strip, image: strip.image ?? looked?.image ?? null }, false, looked?.warning ?? null);
    }

    if (this.#all && target.strips === null) {
      const walk = await this.#walk(comic, async (strip) => {
        submit(strip, true);
        // Backpressure: the walk waits while too many of its strips' images are still to fetch.
        while (limit.pendingCount >= WALK_BACKLOG && tasks.size > 0) await Promise.race(tasks);
      });
      result.walked = walk.walked;
      result.complete = walk.complete;
      result.firstReached = walk.firstReached;
      result.warnings.push(...walk.warnings);
      if (walk.failure !== null) this.#failed(result, walk.failure);
    } else {
      const state = archive.walk(comic.name);
      result.complete = state?.complete ?? false;
      result.firstReached = state?.firstReached ?? false;
    }
    while (tasks.size > 0) await Promise.all(tasks);
    if (this.#fatal === null) await settleNames({ archive, fs: this.#fs, claimant }, comic.name, folder);
  }

  /**
   * Before anything is written: the folder exists, files a killed run left
   * pending are confirmed (on disk) or dropped (not), a renaming it left is
   * finished, and its temporary files are removed.
   */
  async #prepare(comic: string, folder: string): Promise<void> {
    const { archive, claimant } = this.#deps;
    try {
      await this.#fs.mkdir(folder);
    } catch (error) {
      throw writeError(folder, error);
    }
    for (const file of archive.deadPending(comic, claimant)) {
      if (await this.#fs.exists(join(folder, file.file))) archive.confirmFile(comic, file.sha256);
      else archive.dropFile(comic, file.sha256);
    }
    const renamed = await settleNames({ archive, fs: this.#fs, claimant }, comic, folder);
    await removeLeftovers(this.#fs, folder, { now: Date.now(), renaming: renamed === null });
  }

  async #walk(comic: Comic, onStrip: (strip: StripRow) => Promise<void>): ReturnType<typeof walkBack> {
    // While the walk reads pages from a host, images leave it a slot there.
    let lease: { origin: string; end: () => void } | null = null;
    const fetchPage = (url: string): Promise<FetchedPage> => {
      const origin = new URL(url).origin;
      if (lease?.origin !== origin) {
        lease?.end();
        lease = { origin, end: this.#requests.walking(origin) };
      }
      return this.#page(url);
    };
    let asked = 0;
    try {
      return await walkBack(
        comic,
        { store: this.#deps.store, archive: this.#deps.archive, claimant: this.#deps.claimant, fetchPage },
        {
          maxPages: this.#options.maxPages ?? DEFAULT_MAX_PAGES,
          signal: this.#options.signal,
          onPage: (url) => {
            asked++;
            this.#progress.walked++;
            this.#progress.walking = { comic: comic.name, url };
            this.#emit();
          },
          onStrip,
        },
      );
    } catch (error) {
      if (!isComicsError(error, 'E_ABORTED')) throw error;
      // Stopped (Ctrl-C): the store knows where the walk goes on from.
      return { walked: asked, complete: false, firstReached: false, failure: null, warnings: [] };
    } finally {
      (lease as { end: () => void } | null)?.end();
      if (this.#progress.walking?.comic === comic.name) this.#progress.walking = null;
    }
  }

  /** A strip page, politely; throws a ComicsError for a failure. */
  async #page(url: string): Promise<FetchedPage> {
    return readPageResponse(expectOk(await this.#requests.get(url, { kind: 'page', accept: PAGE_ACCEPT })))!;
  }

  /**
   * One strip: claimed for this run (unless `claimed`: a walk's strips are), its image
   * fetched, checked and kept. `noImage` says why a lookup found no image for it.
   */
  async #archiveStrip(
    comic: Comic,
    folder: string,
    strip: StripRow,
    { claimed, noImage }: { claimed: boolean; noImage: string | null },
    result: ComicArchive,
  ): Promise<void> {
    const { archive, claimant } = this.#deps;
    if (this.#stopped()) return;
    // Another run is archiving it: left to that run.
    if (!claimed && !archive.claim(strip.id, claimant)) return;
    try {
      const current = archive.fileOf(comic.name, strip.key);
      if (current !== null && current.pendingBy === null && (await this.#fs.exists(join(folder, current.file)))) {
        result.alreadyArchived++;
        this.#progress.alreadyArchived++;
        return;
      }
      const url = strip.image;
      if (url === null) {
        const reason = strip.readVia === 'archive' ? `No strip image was found on ${strip.url}` : (noImage ?? 'No image recorded');
        this.#failed(result, { url: strip.url ?? strip.key, reason });
        return;
      }
      if (!/^https?:\/\//i.test(url)) {
        this.#failed(result, { url, reason: 'Not an http(s) image URL' });
        return;
      }
      const prior = archive.fromSource(comic.name, url);
      const usable = prior !== null && (await this.#fs.exists(join(folder, prior.file))) ? prior : null;
      const outcome = await fetchImage(this.#requests, {
        url,
        referer: strip.url,
        validators: usable === null ? null : { etag: usable.etag, lastModified: usable.lastModified },
        maxBytes: this.#maxBytes,
      });
      if (outcome.kind === 'refused') {
        this.#failed(result, { url, reason: outcome.reason });
        return;
      }
      if (outcome.kind === 'not-modified') {
        // The image at this URL is the one archived before: recorded, not stored twice.
        archive.recordEntry({ ...usable!, key: strip.key, sourceUrl: url });
        this.#archived(result, 0, false);
        return;
      }
      const kept = await keepImage(
        { archive, fs: this.#fs, claimant },
        { comic: comic.name, folder, strip },
        { bytes: outcome.bytes, type: outcome.type, contentType: outcome.contentType, sourceUrl: url, validators: outcome.validators },
      );
      this.#archived(result, outcome.bytes.byteLength, kept.stored);
    } catch (error) {
      if (isComicsError(error, 'E_ABORTED')) return;
      throw error;
    } finally {
      archive.release(strip.id, claimant);
    }
  }

  #archived(result: ComicArchive, bytes: number, stored: boolean): void {
    result.downloaded++;
    result.bytes += bytes;
    if (!stored) result.duplicates++;
    this.#progress.downloaded++;
    this.#progress.bytes += bytes;
    this.#emit();
  }

  #failed(result: ComicArchive, failure: ArchiveFailure): void {
    result.failed.push(failure);
    this.#progress.failed++;
    this.#emit();
  }

  #stopped(): boolean {
    return this.#fatal !== null || this.#options.signal?.aborted === true;
  }

  /** A folder that cannot be written or a store error stops every comic; thrown once all have stopped. */
  #fail(error: unknown): void {
    this.#fatal ??= error;
    this.#requests.close();
  }

  #emit(): void {
    const onProgress = this.#options.onProgress;
    if (onProgress === undefined) return;
    onProgress({ ...this.#progress, elapsedMs: Math.round(this.#now() - this.#started) });
  }
}

function emptyResult(name: string): ComicArchive {
  return {
    name,
    folder: null,
    downloaded: 0,
    duplicates: 0,
    alreadyArchived: 0,
    failed: [],
    bytes: 0,
    walked: 0,
    firstReached: false,
    complete: false,
    warnings: [],
  };
}
