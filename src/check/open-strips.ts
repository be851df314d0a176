import { browserUrl } from '../browser/safe-url.js';
import type { Opener } from '../browser/opener.js';
import { errorMessage } from '../errors.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';

export interface OpenStripsOptions {
  /** Most tabs to open. */
  maxTabs: number;
  /** Only these comics' strips (the ones in the config); all when undefined. */
  comics?: readonly string[];
  /** Names this run's claims (see newClaimant). */
  claimant: string;
  signal?: AbortSignal;
  /** Called after each strip was handed to the browser: the strip, its number and how many were taken. */
  onOpened?: (strip: StripRow, index: number, total: number) => void;
}

export interface OpenStripsResult {
  opened: StripRow[];
  /** Why opening stopped early (browser failure), or null. */
  failure: string | null;
  /** Unread strips left for a later run. */
  unread: number;
  /** Unread strips another run is opening right now (not left for a later run). */
  claimedElsewhere: number;
}

/**
 * Opens unread strips oldest first, one tab at a time, marking each read only
 * after the browser took it. Claims keep a concurrent run from opening the same
 * strips; whatever was claimed but not opened is released for the next run.
 *
 * @example
 * const { opened } = await openStrips({ store, opener }, { maxTabs: 10, claimant: newClaimant() });
 */
export async function openStrips(
  deps: { store: ComicsStore; opener: Opener },
  options: OpenStripsOptions,
): Promise<OpenStripsResult> {
  const { store, opener } = deps;
  const opened: StripRow[] = [];
  let failure: string | null = null;
  const claimed = store.claimUnread({
    claimant: options.claimant,
    limit: options.maxTabs,
    links: 'with',
    ...(options.comics === undefined ? {} : { comics: options.comics }),
  });
  try {
    for (const strip of claimed) {
      if (options.signal?.aborted) break;
      const safe = browserUrl(strip.url);
      if ('reason' in safe) {
        // Recorded before the safety check existed, or edited by hand: never open it.
        store.markRead(strip.id, 'skipped');
        continue;
      }
      try {
        await opener(safe.url);
      } catch (error) {
        failure = errorMessage(error);
        break;
      }
      store.markRead(strip.id, 'opened');
      opened.push(strip);
      options.onOpened?.(strip, opened.length, claimed.length);
    }
  } finally {
    store.releaseClaims(options.claimant);
  }
  const waiting = store.unreadByClaim({ claimant: options.claimant, ...(options.comics === undefined ? {} : { comics: options.comics }) });
  return { opened, failure, unread: waiting.left, claimedElsewhere: waiting.claimed };
}
