import { withSafety } from '../check/check-comics.js';
import { loadConfig, saveConfig, type ComicEntry } from '../config/comics-config.js';
import { ComicsError } from '../errors.js';
import { findFeed } from '../feeds/find-feed.js';
import { checkHttpUrl, type HttpClient } from '../http/client.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';

export interface AddResult {
  name: string;
  feed: string;
  /** The site the feed belongs to. */
  url: string | null;
  title: string | null;
  format: string;
  via: 'feed' | 'link' | 'guess';
  entries: number;
  /** Strips left unread by the baseline, oldest first. */
  unread: StripRow[];
}

/**
 * `comics add <url>`: finds the feed for a feed or page URL, baselines it (every
 * entry read but the newest `unread`), and writes it into the config. Nothing is
 * written when the URL cannot be reached or has no feed.
 *
 * @example
 * await runAdd({ url: 'https://xkcd.com/', unread: 1 }, { configPath, store, http });
 */
export async function runAdd(
  options: { url: string; name?: string; unread: number; signal?: AbortSignal },
  deps: { configPath: string; store: ComicsStore; http: HttpClient },
): Promise<AddResult> {
  let url: string;
  try {
    url = checkHttpUrl(options.url);
  } catch (error) {
    throw new ComicsError('E_USAGE', (error as Error).message);
  }
  // Read the config first: a broken config must stop us before any network work.
  const config = loadConfig(deps.configPath, { missingOk: true });
  const found = await findFeed(deps.http, url, options.signal ? { signal: options.signal } : {});
  const same = config.comics.find((comic) => comic.feed === found.url);
  if (same) throw new ComicsError('E_USAGE', `${found.url} is already followed as ${JSON.stringify(same.name)}`);
  const name = pickName(options.name, found.feed.title, found.feed.link ?? found.page?.url ?? found.url);
  const clash = config.comics.find((comic) => comic.name.toLowerCase() === name.toLowerCase());
  if (clash) {
    throw new ComicsError('E_USAGE', `A comic named ${JSON.stringify(clash.name)} is already followed; choose another name with --name`);
  }
  const site = found.feed.link ?? found.page?.url ?? null;
  const entry: ComicEntry = { name, feed: found.url, ...(site && /^https?:/.test(site) ? { url: site } : {}) };
  const recorded = deps.store.recordSuccess(name, {
    feed: found.url,
    entries: found.feed.entries.map(withSafety),
    validators: found.validators,
    unreadAtBaseline: options.unread,
    rebaseline: true,
  });
  try {
    saveConfig(deps.configPath, { ...config, comics: [...config.comics, entry] });
  } catch (error) {
    deps.store.removeComic(name);
    throw error;
  }
  return {
    name,
    feed: found.url,
    url: entry.url ?? null,
    title: found.feed.title,
    format: found.feed.version,
    via: found.via,
    entries: found.feed.entries.length,
    unread: recorded.added,
  };
}

/** --name, else the feed's title, else the site's host name. */
function pickName(given: string | undefined, title: string | null, site: string): string {
  if (given !== undefined) {
    const name = given.trim();
    if (name === '') throw new ComicsError('E_USAGE', '--name must not be empty');
    return name;
  }
  // eslint-disable-next-line no-control-regex
  const fromTitle = (title ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 100).trim();
  if (fromTitle) return fromTitle;
  return new URL(site).hostname.replace(/^www\./, '');
}
