import type { BrowserAvailability, Opener } from '../browser/opener.js';
import type { FeedParser } from '../feeds/parser.js';
import type { HttpClient } from '../http/client.js';
import type { ComicsStore } from '../store/comics-store.js';

/** What every reader command needs: the config file and the store. */
export interface ConfigDeps {
  configPath: string;
  store: ComicsStore;
}

/** Commands that fetch (check, add, doctor, import). */
export interface NetworkDeps extends ConfigDeps {
  http: HttpClient;
  /** Where feeds are parsed; inline when absent. */
  parser?: FeedParser;
}

/** Commands that open strips (check, read). */
export interface BrowserDeps {
  opener: Opener;
  /** Whether a browser can be launched here; see browserAvailability. */
  browser: BrowserAvailability;
  /** Names this run's claims on unread strips (see newClaimant). */
  claimant: string;
  /** Where digest pages are written (see digestDir). */
  digestDir: string;
}
