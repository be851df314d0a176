import { loadConfig, resolveComic } from '../config/comics-config.js';
import { failureClass, type FailureClass } from '../health/failure-class.js';
import { ArchiveStore } from '../store/archive-store.js';
import type { ConfigDeps } from './deps.js';

/** One followed comic with its state, as `comics list` shows it. */
export interface ComicListing {
  name: string;
  feed: string | null;
  url: string | null;
  mode: 'feed' | 'page';
  tags: string[];
  unread: number;
  /** How many strips the reader is behind: the strips known unread. */
  behind: number;
  /** Whether the last check of this comic failed. */
  failing: boolean;
  /** network, http, feed, selector or other, while failing. */
  failureClass: FailureClass | null;
  /** When the current run of failures began. */
  failingSince: string | null;
  lastRead: { url: string | null; title: string | null } | null;
  lastChecked: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  errorCode: string | null;
  failureStreak: number;
  /** Recorded strips whose image is in the archive (see `comics archive`). */
  archived: number;
}

/**
 * `comics list`: every comic in the config (in config order) with its stored state;
 * a comic never checked yet has empty state.
 *
 * @example
 * const comics = runList({ configPath, store });
 */
export function runList(deps: ConfigDeps): ComicListing[] {
  const config = loadConfig(deps.configPath);
  const states = new Map(deps.store.summaries().map((summary) => [summary.name, summary]));
  const archived = new ArchiveStore(deps.store.db).archivedCounts();
  return config.comics.map((entry) => {
    const comic = resolveComic(entry);
    // State recorded for another feed (the config was edited) is not this comic's.
    const state = states.get(comic.name);
    const current = state && state.feed === comic.source ? state : undefined;
    return {
      name: comic.name,
      feed: comic.feed ?? null,
      url: comic.url ?? null,
      mode: comic.mode,
      tags: comic.tags ?? [],
      unread: current?.unread ?? 0,
      behind: current?.unread ?? 0,
      failing: (current?.failureStreak ?? 0) > 0,
      failureClass: failureClass(current?.errorCode),
      failingSince: current?.failingSince ?? null,
      lastRead: current?.lastRead ?? null,
      lastChecked: current?.lastChecked ?? null,
      lastSuccess: current?.lastSuccess ?? null,
      lastError: current?.lastError ?? null,
      errorCode: current?.errorCode ?? null,
      failureStreak: current?.failureStreak ?? 0,
      archived: current === undefined ? 0 : (archived.get(comic.name) ?? 0),
    };
  });
}
