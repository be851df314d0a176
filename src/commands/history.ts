import { findComic, loadConfig } from '../config/comics-config.js';
import type { StripRow } from '../store/comics-store.js';
import type { ConfigDeps } from './deps.js';

export type StripStatus = 'unread' | 'read' | 'skipped';

export interface HistoryEntry {
  comic: string;
  title: string | null;
  url: string | null;
  published: string | null;
  /** The strip image, with its alt and hover text. */
  image: string | null;
  imageAlt: string | null;
  imageTitle: string | null;
  firstSeen: string;
  status: StripStatus;
  readAt: string | null;
  /** How it was read: opened, mark-read, baseline, duplicate, skipped, archive. */
  readVia: string | null;
  /** Why it will never be opened, for skipped strips. */
  skipped: string | null;
}

/**
 * `comics history [<name>]`: recorded strips, newest first.
 *
 * @example
 * runHistory({ name: 'xkcd', limit: 20 }, { configPath, store });
 */
export function runHistory(options: { name?: string; limit: number }, deps: ConfigDeps): HistoryEntry[] {
  // Read even without a name: a missing or broken config is reported the same way by every command.
  const config = loadConfig(deps.configPath);
  const name = options.name === undefined ? undefined : findComic(config, options.name).name;
  return deps.store.history({ ...(name === undefined ? {} : { comic: name }), limit: options.limit }).map(toEntry);
}

function toEntry(strip: StripRow): HistoryEntry {
  return {
    comic: strip.comic,
    title: strip.title,
    url: strip.url,
    published: strip.published,
    image: strip.image,
    imageAlt: strip.imageAlt,
    imageTitle: strip.imageTitle,
    firstSeen: strip.firstSeen,
    status: strip.skipped !== null || strip.readVia === 'skipped' ? 'skipped' : strip.readAt === null ? 'unread' : 'read',
    readAt: strip.readAt,
    readVia: strip.readVia,
    skipped: strip.skipped,
  };
}
