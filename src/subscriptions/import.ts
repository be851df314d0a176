import { readFeedResponse, requestFeed } from '../check/feed-source.js';
import { withSafety } from '../check/check-comics.js';
import { HostPool } from '../concurrency/host-pool.js';
import { loadConfig, nameFromTitle, resolveComic, saveConfig, validateConfig, type ComicEntry } from '../config/comics-config.js';
import { ComicsError, errorMessage, isComicsError } from '../errors.js';
import type { NetworkDeps } from '../commands/deps.js';
import type { HttpClient, Validators } from '../http/client.js';
import { readPageResponse, requestPage } from '../pages/fetch-page.js';
import { DEFAULT_MAX_WALK, identity, walkPages } from '../pages/page-walk.js';
import type { StripInput } from '../store/comics-store.js';
import { readExport } from './export-json.js';
import { readNewsboatUrls } from './newsboat.js';
import { readOpml } from './opml.js';
import type { ImportItem, ParsedList, Rejected, SubscriptionFormat } from './types.js';

/**
 * Reads a subscription file: OPML, a newsboat `urls` file, or a comics JSON
 * export (or config). The format is told by the first character (`{` JSON,
 * `<` OPML, anything else newsboat) unless given. Throws E_USAGE for a file
 * that is none of them.
 *
 * @example
 * const list = readSubscriptions(readFileSync('feeds.opml', 'utf8'), { label: 'feeds.opml' });
 */
export function readSubscriptions(text: string, options: { label: string; format?: SubscriptionFormat | undefined }): ParsedList {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart()[0];
  const format = options.format ?? (start === '{' || start === '[' ? 'json' : start === '<' ? 'opml' : 'newsboat');
  if (format === 'json') {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new ComicsError('E_USAGE', `${options.label}: not valid JSON: ${errorMessage(error)}`, { cause: error });
    }
    return readExport(json, options.label);
  }
  if (format === 'opml') return readOpml(body, options.label);
  const list = readNewsboatUrls(body);
  // Nothing but lines that are not URLs at all: this was never a urls file.
  if (options.format === undefined && list.items.length === 0 && list.rejected.length > 0 && list.rejected.every((line) => line.reason.endsWith('is not an http(s) URL'))) {
    throw new ComicsError('E_USAGE', `${options.label}: neither OPML, a comics export nor a newsboat urls file (no line starts with a feed URL)`);
  }
  return list;
}

/** A comic `comics import` added. */
export interface ImportedComic {
  where: string;
  name: string;
  mode: 'feed' | 'page';
  feed: string | null;
  url: string | null;
  tags: string[];
  /** restored: read state from the export; baselined: like `comics add`; pending: baselined at its first check. */
  state: 'restored' | 'baselined' | 'pending';
  /** Strips recorded for it. */
  strips: number;
  unread: number;
  /** Anything worth saying (a rename, why it could not be baselined now). */
  note: string | null;
}

export interface SkippedComic {
  where: string;
  name: string;
  source: string;
  reason: string;
}

export interface ImportResult {
  format: SubscriptionFormat;
  imported: ImportedComic[];
  /** Already followed, or listed twice. */
  skipped: SkippedComic[];
  /** Not importable at all. */
  rejected: Rejected[];
}

type Fetched = { ok: true; title: string | null; entries: StripInput[]; validators: Validators } | { ok: false; error: string };

/**
 * Adds the comics of a subscription list to the config: duplicates (the same
 * feed or page URL as a comic already followed, or earlier in the list) are
 * skipped and reported; comics with read state from an export get it back as
 * it was; the others are fetched (concurrently, politely) and baselined like
 * `comics add`. One that cannot be fetched now is still added, and baselined at
 * its first check. The config is written once, at the end.
 *
 * @example
 * const result = await importComics(readSubscriptions(text, { label }), { configPath, store, http });
 */
export async function importComics(
  list: ParsedList,
  deps: NetworkDeps,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined; onFetched?: (done: number, total: number) => void } = {},
): Promise<ImportResult> {
  const config = loadConfig(deps.configPath, { missingOk: true });
  const followed = new Map(config.comics.map((entry) => [identity(resolveComic(entry).source), entry.name]));
  const listed = new Map<string, string>();
  const skipped: SkippedComic[] = [];
  const rejected = [...list.rejected];
  const fresh: ImportItem[] = [];
  for (const item of list.items) {
    const source = resolveComic(item.entry).source;
    const id = identity(source);
    const name = item.entry.name;
    const already = followed.get(id);
    if (already !== undefined) skipped.push({ where: item.where, name, source, reason: `already followed as ${JSON.stringify(already)}` });
    else if (listed.has(id)) skipped.push({ where: item.where, name, source, reason: `listed twice (also at ${listed.get(id)})` });
    else {
      listed.set(id, item.where);
      fresh.push(item);
    }
  }

  // Baselining needs each comic's feed (or page) now: fetched concurrently, one slot per request.
  const pool = new HostPool({ concurrency: 8, perHost: 2 });
  let done = 0;
  const fetched = await Promise.all(
    fresh.map(async (item): Promise<Fetched | null> => {
      if (item.snapshot !== null) return null;
      const result = await fetchComic(item.entry, deps.http, pool, options);
      options.onFetched?.(++done, fresh.length);
      return result;
    }),
  );

  const names = new Set(config.comics.map((entry) => entry.name.toLowerCase()));
  const imported: ImportedComic[] = [];
  const entries: ComicEntry[] = [];
  try {
    fresh.forEach((item, index) => {
      const result = fetched[index] ?? null;
      const comic = resolveComic(item.entry);
      const wanted = nameFromTitle(item.entry.name) || (result?.ok ? nameFromTitle(result.title) : '') || new URL(comic.url ?? comic.source).hostname.replace(/^www\./, '');
      const name = uniqueName(wanted, names);
      const entry: ComicEntry = { ...item.entry, name };
      try {
        validateConfig({ comics: [entry] }, item.where);
      } catch (error) {
        rejected.push({ where: item.where, reason: errorMessage(error).replace(`${item.where}: comics[0]`, '').replace(/^[ ,:(]+/, '') });
        return;
      }
      names.add(name.toLowerCase());
      const renamed = name !== wanted ? `renamed: a comic named ${JSON.stringify(wanted)} is already followed` : null;
      let state: ImportedComic['state'];
      let strips = 0;
      let unread = 0;
      let note = renamed;
      if (item.snapshot !== null) {
        deps.store.restore(name, item.snapshot);
        state = 'restored';
        strips = item.snapshot.strips.length;
        unread = item.snapshot.strips.filter((strip) => strip.readAt === null).length;
      } else if (result?.ok) {
        const recorded = deps.store.recordSuccess(name, {
          feed: comic.source,
          entries: result.entries,
          validators: result.validators,
          unreadAtBaseline: entry.unread ?? 0,
          rebaseline: true,
        });
        state = 'baselined';
        strips = result.entries.length;
        unread = recorded.added.length;
      } else {
        state = 'pending';
        const why = `not fetched now (${result?.ok === false ? result.error : 'no answer'}); it is baselined at its first check`;
        note = renamed ? `${renamed}; ${why}` : why;
      }
      entries.push(entry);
      imported.push({
        where: item.where,
        name,
        mode: comic.mode,
        feed: comic.feed ?? null,
        url: comic.url ?? null,
        tags: comic.tags ?? [],
        state,
        strips,
        unread,
        note,
      });
    });
    if (entries.length > 0) saveConfig(deps.configPath, { ...config, comics: [...config.comics, ...entries] });
  } catch (error) {
    // Nothing half imported: the store forgets what the config will not list.
    for (const comic of imported) deps.store.removeComic(comic.name);
    throw error;
  }
  return { format: list.format, imported, skipped, rejected };
}

async function fetchComic(
  entry: ComicEntry,
  http: HttpClient,
  pool: HostPool,
  options: { signal?: AbortSignal | undefined; timeoutMs?: number | undefined },
): Promise<Fetched> {
  const comic = resolveComic(entry);
  const inSlot = <T>(url: string, task: () => Promise<T>): Promise<T> => pool.run(new URL(url).host, task);
  try {
    if (comic.mode === 'page') {
      const walk = await walkPages(
        async (url, validators) =>
          readPageResponse(await inSlot(url, () => requestPage(http, url, { validators, signal: options.signal, timeoutMs: options.timeoutMs }))),
        {
          start: comic.source,
          selectors: comic.selectors,
          maxWalk: comic.maxWalk ?? DEFAULT_MAX_WALK,
          take: comic.unread ?? 0,
          isKnown: () => false,
        },
      );
      return { ok: true, title: walk.first?.siteName ?? null, entries: walk.strips.map(withSafety), validators: walk.validators };
    }
    const response = await inSlot(comic.source, () =>
      requestFeed(http, comic.source, { validators: null, signal: options.signal, timeoutMs: options.timeoutMs }),
    );
    const read = await readFeedResponse(response);
    if (read.kind !== 'feed') return { ok: false, error: 'the server answered 304 to an unconditional request' };
    return { ok: true, title: read.feed.title, entries: read.feed.entries.map(withSafety), validators: read.validators };
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    return { ok: false, error: errorMessage(error) };
  }
}

/** `name`, else `name (2)`, `name (3)`, ...: names are unique without regard to case. */
function uniqueName(name: string, taken: ReadonlySet<string>): string {
  const base = name.slice(0, 94);
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
