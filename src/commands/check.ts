import { checkComics, type ComicResult } from '../check/check-comics.js';
import { openStrips } from '../check/open-strips.js';
import { loadConfig, resolveComic } from '../config/comics-config.js';
import type { StripRow } from '../store/comics-store.js';
import type { BrowserDeps, NetworkDeps } from './deps.js';

export interface CheckCommandOptions {
  /** Open new strips in the browser (false: only record them). */
  open: boolean;
  maxTabs: number;
  concurrency: number;
  perHost: number;
  timeoutMs?: number;
  /** Most strip pages one walk reads, for every comic (overrides their maxWalk). */
  maxWalk?: number;
  signal?: AbortSignal;
  onChecked?: (result: ComicResult, done: number, total: number) => void;
  onOpened?: (strip: StripRow, index: number, total: number) => void;
}

export type CheckCommandDeps = NetworkDeps & BrowserDeps;

export interface CheckReport {
  comics: ComicResult[];
  /** Strips handed to the browser by this run, oldest first. */
  opened: StripRow[];
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
 * `comics check`: checks every followed comic, records new strips, and opens the
 * unread ones oldest first, at most `maxTabs`.
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
  const names = comics.map((comic) => comic.name);
  let opened: StripRow[] = [];
  let notOpened: string | null = null;
  const waiting = deps.store.countUnread(names);
  if (!options.open) {
    notOpened = waiting > 0 ? 'opening was turned off (--no-open)' : null;
  } else if (options.signal?.aborted) {
    notOpened = waiting > 0 ? 'the run was interrupted' : null;
  } else if (!deps.browser.ok) {
    notOpened = waiting > 0 ? deps.browser.reason : null;
  } else if (waiting > 0) {
    const total = Math.min(waiting, options.maxTabs);
    let count = 0;
    const result = await openStrips(deps, {
      maxTabs: options.maxTabs,
      comics: names,
      claimant: deps.claimant,
      signal: options.signal,
      // Counted here: `opened` is only filled once openStrips returns.
      onOpened: (strip) => options.onOpened?.(strip, ++count, total),
    });
    opened = result.opened;
    notOpened = result.failure;
  }
  const waitingAfter = deps.store.unreadByClaim({ claimant: deps.claimant, comics: names });
  return {
    comics: results,
    opened,
    unread: waitingAfter.left,
    claimedElsewhere: waitingAfter.claimed,
    notOpened,
    exitCode: results.some((result) => result.status === 'error') ? 1 : 0,
  };
}
