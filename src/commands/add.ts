import { feedCutWarning, withSafety } from '../check/check-comics.js';
import { loadConfig, nameFromTitle, saveConfig, type ComicEntry, type ComicsConfig } from '../config/comics-config.js';
import { ComicsError } from '../errors.js';
import { searchFeed, type FoundFeed, type PageWithoutFeed } from '../feeds/find-feed.js';
import { checkHttpUrl } from '../http/client.js';
import { capText, MAX_TITLE } from '../text/limits.js';
import { readPageResponse, requestPage } from '../pages/fetch-page.js';
import { DEFAULT_MAX_WALK, walkPages } from '../pages/page-walk.js';
import type { StripRow } from '../store/comics-store.js';
import type { ConfigDeps, NetworkDeps } from './deps.js';

export interface AddResult {
  name: string;
  mode: 'feed' | 'page';
  /** The feed followed; null in page mode. */
  feed: string | null;
  /** The site the feed belongs to, or in page mode the page followed. */
  url: string | null;
  title: string | null;
  /** The feed's format (rss20, atom10, ...), or "page". */
  format: string;
  /** How the feed was found (the URL was the feed, the page announced it, a common path), or page mode. */
  via: 'feed' | 'link' | 'guess' | 'page';
  entries: number;
  /** Strips left unread by the baseline, oldest first. */
  unread: StripRow[];
  /** Page mode: what the defaults found on the newest strip's page. */
  page: { image: string | null; prev: string | null; key: string; keyVia: string } | null;
  /** Things worth a look, in words. */
  warnings: string[];
}

/**
 * `comics add <url>`: finds the feed for a feed or page URL, baselines it (every
 * entry read but the newest `unread`), and writes it into the config. A page
 * without a feed is followed in page mode when the default heuristics find a
 * strip image and a previous-strip link on it; otherwise the E_NO_FEED error
 * suggests selectors. Nothing is written when the URL cannot be reached or
 * cannot be followed.
 *
 * @example
 * await runAdd({ url: 'https://xkcd.com/', unread: 1 }, { configPath, store, http });
 */
export async function runAdd(
  options: { url: string; name?: string; unread: number; signal?: AbortSignal },
  deps: NetworkDeps,
): Promise<AddResult> {
  const { url, assumed } = userUrl(options.url);
  // Read the config first: a broken config must stop us before any network work.
  const config = loadConfig(deps.configPath, { missingOk: true });
  const found = await searchFeed(deps.http, url, { signal: options.signal });
  const added = 'error' in found ? await addPage(found, config, options, deps) : await addFeed(found, config, options, deps);
  return assumed ? { ...added, warnings: [`assumed ${url} for ${options.url}`, ...added.warnings] } : added;
}

/**
 * The URL a user typed: absolute http(s) as it is; a bare host name (`example.com`,
 * `xkcd.com/atom.xml`) taken as https, which `assumed` says.
 *
 * @example
 * userUrl('xkcd.com') // { url: 'https://xkcd.com/', assumed: true }
 */
export function userUrl(input: string): { url: string; assumed: boolean } {
  const text = input.trim();
  try {
    return { url: checkHttpUrl(text), assumed: false };
  } catch (error) {
    // No scheme, a dot in the host, nothing that could not be a host: "example.com", "www.x.test:8080/feed".
    if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]\S*)?$/i.test(text)) {
      return { url: checkHttpUrl(`https://${text}`), assumed: true };
    }
    throw new ComicsError('E_USAGE', (error as Error).message);
  }
}

async function addFeed(
  found: FoundFeed,
  config: ComicsConfig,
  options: { name?: string; unread: number },
  deps: ConfigDeps,
): Promise<AddResult> {
  const same = config.comics.find((comic) => comic.feed === found.url);
  if (same) throw new ComicsError('E_USAGE', `${found.url} is already followed as ${JSON.stringify(same.name)}`);
  const name = pickName(config, options.name, found.feed.title, found.feed.link ?? found.page?.url ?? found.url);
  const site = found.feed.link ?? found.page?.url ?? null;
  const entry: ComicEntry = { name, feed: found.url, ...(site && /^https?:/.test(site) ? { url: site } : {}) };
  const recorded = deps.store.recordSuccess(name, {
    feed: found.url,
    entries: found.feed.entries.map(withSafety),
    validators: found.validators,
    unreadAtBaseline: options.unread,
    rebaseline: true,
  });
  save(deps, config, entry);
  return {
    name,
    mode: 'feed',
    feed: found.url,
    url: entry.url ?? null,
    title: capText(found.feed.title, MAX_TITLE),
    format: found.feed.version,
    via: found.via,
    entries: found.feed.entries.length,
    unread: recorded.added,
    page: null,
    warnings: feedCutWarning(found.feed),
  };
}

/** No feed: page mode, when the defaults find both a strip image and a previous-strip link. */
async function addPage(
  found: PageWithoutFeed,
  config: ComicsConfig,
  options: { name?: string; unread: number; signal?: AbortSignal },
  deps: NetworkDeps,
): Promise<AddResult> {
  const { nearMisses, parsePage, readStripPage } = await import('../pages/heuristics.js');
  const $ = parsePage(found.html);
  const page = readStripPage($, found.finalUrl);
  if (page.image === null || page.prev === null) {
    const misses = nearMisses($, found.finalUrl);
    const example = {
      // Text from the page, printed in an error: control characters out.
      name: options.name ?? (nameFromTitle(page.siteName) || hostName(found.url)),
      mode: 'page',
      url: found.url,
      selectors: {
        image: page.image?.selector ?? misses.image ?? '<CSS selector of the strip image>',
        prev: page.prev?.selector ?? misses.prev ?? '<CSS selector of the link to the previous strip>',
      },
    };
    const saw = [
      page.image ? `a strip image (${page.image.url})` : 'no strip image',
      page.prev ? `a previous-strip link (${page.prev.url})` : 'no previous-strip link',
    ].join(' and ');
    throw new ComicsError(
      'E_NO_FEED',
      `${found.error.message}.\nNor can it be followed in page mode with the default rules: they found ${saw}.\n` +
        `To follow it in page mode, add it to ${deps.configPath} with selectors, for example:\n  ${JSON.stringify(example)}\n` +
        'then run comics doctor to see what they match.',
      { url: found.url },
    );
  }
  const same = config.comics.find((comic) => comic.mode === 'page' && comic.url === found.url);
  if (same) throw new ComicsError('E_USAGE', `${found.url} is already followed as ${JSON.stringify(same.name)}`);
  const name = pickName(config, options.name, page.siteName, found.url);
  const walk = await walkPages(
    async (pageUrl, validators) =>
      readPageResponse(await requestPage(deps.http, pageUrl, { validators, signal: options.signal })),
    {
      start: found.url,
      startPage: { url: found.url, finalUrl: found.finalUrl, html: found.html, validators: found.validators },
      maxWalk: DEFAULT_MAX_WALK,
      take: options.unread,
      isKnown: () => false,
    },
  );
  const recorded = deps.store.recordSuccess(name, {
    feed: found.url,
    entries: walk.strips.map(withSafety),
    validators: walk.validators,
    unreadAtBaseline: options.unread,
    rebaseline: true,
  });
  const entry: ComicEntry = { name, mode: 'page', url: found.url };
  save(deps, config, entry);
  const warnings = walk.warning === null ? [] : [walk.warning];
  if (page.next !== null && new URL(found.url).pathname !== '/') {
    warnings.push(
      `the page links to a newer strip (${page.next.url}); comics reads the page at ${found.url} as the newest strip, so if it is not, follow the comic's front page instead`,
    );
  }
  return {
    name,
    mode: 'page',
    feed: null,
    url: found.url,
    title: capText(page.title, MAX_TITLE),
    format: 'page',
    via: 'page',
    entries: walk.strips.length,
    unread: recorded.added,
    page: { image: page.image.url, prev: page.prev.url, key: walk.strips[0]?.key ?? page.key, keyVia: keyVia(walk.strips[0]?.key, page) },
    warnings,
  };
}

/** How the newest strip is keyed: a front page's by its image, else as the page said. */
function keyVia(key: string | undefined, page: { key: string; keyVia: string; image: { url: string } | null }): string {
  return key !== undefined && key === page.image?.url && key !== page.key ? 'the strip image: the page is a front page' : page.keyVia;
}

/** Writes the entry; when that fails, forgets the baseline just recorded, so nothing is half added. */
function save(deps: ConfigDeps, config: ComicsConfig, entry: ComicEntry): void {
  try {
    saveConfig(deps.configPath, { ...config, comics: [...config.comics, entry] });
  } catch (error) {
    deps.store.removeComic(entry.name);
    throw error;
  }
}

/** --name, else the feed's title (or page's site name), else the site's host name; never one already followed. */
function pickName(config: ComicsConfig, given: string | undefined, title: string | null, site: string): string {
  let name: string;
  if (given !== undefined) {
    name = given.trim();
    if (name === '') throw new ComicsError('E_USAGE', '--name must not be empty');
  } else {
    name = nameFromTitle(title) || hostName(site);
  }
  const clash = config.comics.find((comic) => comic.name.toLowerCase() === name.toLowerCase());
  if (clash) {
    throw new ComicsError('E_USAGE', `A comic named ${JSON.stringify(clash.name)} is already followed; choose another name with --name`);
  }
  return name;
}

function hostName(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}
