import { deliverStrips, type Delivery } from '../check/deliver-strips.js';
import { findComic, loadConfig, resolveComic, type OpenMode } from '../config/comics-config.js';
import { digestExtras } from '../digest/extras.js';
import { DEFAULT_MAX_STRIPS } from '../digest/files.js';
import { ComicsError } from '../errors.js';
import type { BrowserDeps, NetworkDeps } from './deps.js';

export interface ReadResult extends Delivery {
  /** Unread strips left for a later run. */
  unread: number;
  /** Unread strips another run is opening right now. */
  claimedElsewhere: number;
}

/**
 * `comics read [<name>]`: shows strips already recorded unread, oldest first,
 * in tabs or on one digest page (the flag, else the config's `open`), fetching
 * nothing but the pages of strips a digest needs an image for.
 *
 * @example
 * await runRead({ name: 'xkcd', maxTabs: 5 }, { configPath, store, http, opener, browser, claimant, digestDir });
 */
export async function runRead(
  options: {
    name?: string;
    mode?: OpenMode;
    maxTabs: number;
    maxStrips?: number;
    signal?: AbortSignal;
    concurrency?: number;
    perHost?: number;
    /** The archive folder, for the digest to show archived copies. */
    archiveDir?: string;
  },
  deps: NetworkDeps & BrowserDeps,
): Promise<ReadResult> {
  const config = loadConfig(deps.configPath);
  const entries = options.name === undefined ? config.comics : [findComic(config, options.name)];
  const comics = entries.map(resolveComic);
  const names = comics.map((comic) => comic.name);
  const mode = options.mode ?? config.open ?? 'tabs';
  const waiting = deps.store.countUnread(names);
  // Tabs need a browser; a digest page is written whatever happens, to be opened later.
  if (mode === 'tabs' && waiting > 0 && !deps.browser.ok) {
    throw new ComicsError('E_BROWSER', `Cannot open ${waiting} unread strip${waiting === 1 ? '' : 's'}: ${deps.browser.reason}`);
  }
  const selectors = new Map(comics.map((comic) => [comic.name, comic.selectors]));
  const delivery = await deliverStrips(
    {
      ...deps,
      extras: digestExtras(deps, {
        concurrency: options.concurrency ?? 8,
        perHost: options.perHost ?? 2,
        signal: options.signal,
        archiveDir: options.archiveDir,
        selectorsFor: (name) => selectors.get(name),
      }),
    },
    {
      mode,
      comics: names,
      maxTabs: options.maxTabs,
      maxStrips: options.maxStrips ?? DEFAULT_MAX_STRIPS,
      digestDir: deps.digestDir,
      claimant: deps.claimant,
      signal: options.signal,
    },
  );
  const left = deps.store.unreadByClaim({ claimant: deps.claimant, comics: names });
  return { ...delivery, unread: left.left, claimedElsewhere: left.claimed };
}
