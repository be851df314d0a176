/**
 * Hands the unread strips to the reader, the way they chose: a tab each, or one
 * digest page. `check` and `read` both end here.
 */
import type { BrowserAvailability, Opener } from '../browser/opener.js';
import type { OpenMode } from '../config/comics-config.js';
import { openDigest, type StripExtras } from '../digest/open-digest.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';
import { openStrips } from './open-strips.js';

export interface DeliverDeps {
  store: ComicsStore;
  opener: Opener;
  browser: BrowserAvailability;
  /** Images and warnings beyond the rows, for a digest page (see digestExtras). */
  extras?: (strips: readonly StripRow[]) => Promise<Map<number, StripExtras>>;
}

export interface DeliverOptions {
  mode: OpenMode;
  /** The followed comics, in config order. */
  comics: readonly string[];
  maxTabs: number;
  maxStrips: number;
  /** Where digest pages go (see digestDir). */
  digestDir: string;
  claimant: string;
  /** A comic's warnings of this run, shown on a digest with its strips. */
  comicWarnings?: ReadonlyMap<string, readonly string[]>;
  signal?: AbortSignal | undefined;
  onOpened?: (strip: StripRow, index: number, total: number) => void;
}

export interface Delivery {
  /** Strips handed to the browser in tabs, oldest first. */
  opened: StripRow[];
  /** The digest page written (absolute path), or null. */
  digest: string | null;
  /** Strips on that page; marked read only when the browser took it (notOpened is then null). */
  onPage: StripRow[];
  /** Why strips were not (all) opened, or null. */
  notOpened: string | null;
}

/**
 * Tabs: the unread strips with a web link open one tab each, oldest first, at most
 * `maxTabs`; strips without one (an image and a title) go on a digest page of their
 * own. Digest: up to `maxStrips` unread strips on one page, opened in one tab;
 * without a browser the page is still written, and nothing is marked read.
 *
 * @example
 * const delivery = await deliverStrips(deps, { mode: 'digest', comics: ['xkcd'], maxTabs: 10, maxStrips: 200, digestDir, claimant });
 */
export async function deliverStrips(deps: DeliverDeps, options: DeliverOptions): Promise<Delivery> {
  const none: Delivery = { opened: [], digest: null, onPage: [], notOpened: null };
  const digest = (links?: 'without') =>
    openDigest(deps, {
      comics: options.comics,
      maxStrips: options.maxStrips,
      dir: options.digestDir,
      claimant: options.claimant,
      signal: options.signal,
      ...(links === undefined ? {} : { links }),
      ...(options.comicWarnings === undefined ? {} : { comicWarnings: options.comicWarnings }),
    });
  if (options.mode === 'digest') {
    const page = await digest();
    return { ...none, digest: page.path, onPage: page.strips, notOpened: page.notOpened };
  }
  const waiting = deps.store.countUnread(options.comics);
  if (waiting === 0) return none;
  if (!deps.browser.ok) return { ...none, notOpened: deps.browser.reason };
  const tabs = await openStrips(deps, {
    maxTabs: options.maxTabs,
    comics: options.comics,
    claimant: options.claimant,
    signal: options.signal,
    ...(options.onOpened === undefined ? {} : { onOpened: options.onOpened }),
  });
  if (tabs.failure !== null || options.signal?.aborted) return { ...none, opened: tabs.opened, notOpened: tabs.failure };
  // Strips with nothing to open in a tab but a picture to show.
  const page = await digest('without');
  return { opened: tabs.opened, digest: page.path, onPage: page.strips, notOpened: page.notOpened };
}
