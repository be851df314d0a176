import type { ComicEntry } from '../config/comics-config.js';
import type { ComicSnapshot } from '../store/comics-store.js';

/** One comic read from a subscription list, before it is checked against the config. */
export interface ImportItem {
  /** Where in the file it came from, for messages: `line 12`, `outline "xkcd"`, `comics[3]`. */
  where: string;
  /** The config entry; `name` may be empty when the list gives none (the feed's title is used). */
  entry: ComicEntry;
  /** Read state from a comics export, restored as it was; null to baseline like `comics add`. */
  snapshot: ComicSnapshot | null;
}

/** An entry of the file that cannot be imported, and why. */
export interface Rejected {
  where: string;
  reason: string;
}

/** What a subscription file holds. */
export interface ParsedList {
  format: SubscriptionFormat;
  items: ImportItem[];
  rejected: Rejected[];
}

export type SubscriptionFormat = 'opml' | 'newsboat' | 'json';
