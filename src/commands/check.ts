import { checkComics, type ComicResult } from '../check/check-comics.js';
import { deliverStrips } from '../check/deliver-strips.js';
import { loadConfig, resolveComic, type Comic, type OpenMode } from '../config/comics-config.js';
import { DEFAULT_MAX_STRIPS } from '../digest/files.js';
import { digestExtras } from '../digest/extras.js';
import type { StripRow } from '../store/comics-store.js';
import type { BrowserDeps, NetworkDeps } from './deps.js';

export interface CheckCommandOptions {
  /** Open new strips in the browser (false: only record them). */
  open: boolean;
  /** Tabs or one digest page; default the config's `open`, else tabs. */
  mode?: OpenMode;
  maxTabs: number;
  /** Most strips on one digest page (default 200). */
  maxStrips?: number;
  concurrency: number;
  perHost: number;
  timeoutMs?: number;
  /** Most strip pages one walk reads, for every comic (overrides their maxWalk). */
  maxWalk?: number;
  /** Where comics with `"archive": true` get their new strips' images; none archived when absent. */
  archiveDir?: string;
  signal?: AbortSignal;
  onChecked?: (result: ComicResult, done: number, total: number) => void;
  onOpened?: (strip: StripRow, index: number, total: number) => void;
}

export type CheckCommandDeps = NetworkDeps & BrowserDeps;

export interface CheckReport {
  comics: ComicResult[];
  /** Strips handed to the browser by this run in tabs, oldest first. */
  opened: StripRow[];
  /** The digest page this run wrote (absolute path), opened or not; null when it wrote none. */
  digest: string | null;
  /** The strips on that page (read once the browser took it). */
  onPage: StripRow[];
  /** Unread strips left for the next run. */
  unread: number;
  /** Unread strips another run is opening right now. */
  claimedElsewhere: number;
  /** Why strips were not (all) opened, or null. */
  notOpened: string | null;
  /** 0 when every comic was checked, 1 when at least one failed. */
  exitCode: number;
}

/**
 * `comics check`: checks every followed comic, records new strips (archiving the
 * images of comics with `"archive": true`), and shows the unread ones oldest first:
 * a tab each (at most `maxTabs`), or one digest page (at most `maxStrips`).
 *
 * @example
 * const report = await runCheck({ open: true, maxTabs: 10, concurrency: 8, perHost: 2 }, deps);
 */
export async function runCheck(options: CheckCommandOptions, deps: CheckCommandDeps): Promise<CheckReport> {
  const config = loadConfig(deps.configPath);
  const comics = config.comics.map(resolveComic);
  const results = await checkComics(comics, deps, {
    concurrency: options.concurrency,
    perHost: options.perHost,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.maxWalk === undefined ? {} : { maxWalk: options.maxWalk }),
    signal: options.signal,
    ...(options.onChecked ? { onResult: options.onChecked } : {}),
  });
  // Loaded only for comics that archive: the check itself should not pay for the archive's modules.
  if (options.archiveDir !== undefined && comics.some((comic) => comic.archive === true)) {
    const { archiveAfterCheck } = await import('../archive/after-check.js');
    await archiveAfterCheck(comics, results, { ...deps, archiveDir: options.archiveDir }, options);
  }
  const names = comics.map((comic) => comic.name);
  const delivery = await deliver(config.open, comics, results, options, deps);
  const waitingAfter = deps.store.unreadByClaim({ claimant: deps.claimant, comics: names });
  return {
    comics: results,
    opened: delivery.opened,
    digest: delivery.digest,
    onPage: delivery.onPage,
    unread: waitingAfter.left,
    claimedElsewhere: waitingAfter.claimed,
    notOpened: delivery.notOpened,
    exitCode: results.some((result) => result.status === 'error') ? 1 : 0,
  };
}

/** The strips found, to the reader: as the flag says, else as the config says, else in tabs. */
async function deliver(
  configured: OpenMode | undefined,
  comics: readonly Comic[],
  results: readonly ComicResult[],
  options: CheckCommandOptions,
  deps: CheckCommandDeps,
) {
  const names = comics.map((comic) => comic.name);
  const unread = deps.store.countUnread(names);
  const none = { opened: [], digest: null, onPage: [] };
  if (!options.open) return { ...none, notOpened: unread > 0 ? 'opening was turned off (--no-open)' : null };
  if (options.signal?.aborted) return { ...none, notOpened: unread > 0 ? 'the run was interrupted' : null };
  const selectors = new Map(comics.map((comic) => [comic.name, comic.selectors]));
  return deliverStrips(
    {
      ...deps,
      extras: digestExtras(deps, {
        concurrency: options.concurrency,
        perHost: options.perHost,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        archiveDir: options.archiveDir,
        selectorsFor: (name) => selectors.get(name),
      }),
    },
    {
      mode: options.mode ?? configured ?? 'tabs',
      comics: names,
      maxTabs: options.maxTabs,
      maxStrips: options.maxStrips ?? DEFAULT_MAX_STRIPS,
      digestDir: deps.digestDir,
      claimant: deps.claimant,
      comicWarnings: new Map(results.map((result) => [result.name, result.warnings])),
      signal: options.signal,
      ...(options.onOpened === undefined ? {} : { onOpened: options.onOpened }),
    },
  );
}
