/**
 * The digest's one job: put unread strips on one page, open it, and mark what the
 * browser took as read. Claims keep two runs from putting one strip on two pages.
 */
import { pathToFileURL } from 'node:url';
import type { BrowserAvailability, Opener } from '../browser/opener.js';
import { errorMessage } from '../errors.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';
import { pruneDigests, writeDigest } from './files.js';
import { renderDigest, type DigestComic, type DigestImage, type DigestStrip } from './page.js';

/** What a strip shows besides what the store recorded: an image found on its page now, and why not. */
export interface StripExtras {
  image?: DigestImage | null;
  /** A local copy of the image (the archive), as an absolute path. */
  localImage?: string | null;
  warnings?: string[];
}

export interface DigestDeps {
  store: ComicsStore;
  opener: Opener;
  browser: BrowserAvailability;
  /**
   * Everything a strip needs beyond its row: images looked up on the strips' own
   * pages, archived copies, warnings. Default: the rows alone.
   */
  extras?: (strips: readonly StripRow[]) => Promise<Map<number, StripExtras>>;
}

export interface DigestOptions {
  /** The followed comics, in config order: the page's order. */
  comics: readonly string[];
  /** Most strips on one page; the rest stay unread. */
  maxStrips: number;
  /** Where the page is written (see digestDir). */
  dir: string;
  /** Names this run's claims (see newClaimant). */
  claimant: string;
  /** Only strips with a web link, or only those without (tabs mode puts those on a page of their own). */
  links?: 'with' | 'without';
  /** Warnings of this run per comic (a walk cut short), shown with its strips. */
  comicWarnings?: ReadonlyMap<string, readonly string[]>;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface DigestResult {
  /** The page written (absolute path), or null when there was nothing to put on one. */
  path: string | null;
  /** The strips on the page, in page order. */
  strips: StripRow[];
  /** True when the browser took the page (its strips are now read). */
  opened: boolean;
  /** Why the page was not opened (no browser, the launcher failed, interrupted), or null. */
  notOpened: string | null;
}

/**
 * Claims up to `maxStrips` unread strips, writes them as one page and hands the
 * page to the browser; the strips are marked read (`digest`) only once the browser
 * took it. Without a browser the page is still written, and nothing is marked read.
 *
 * @example
 * const { path } = await openDigest({ store, opener, browser }, { comics: ['xkcd'], maxStrips: 200, dir: 'data/digest', claimant });
 */
export async function openDigest(deps: DigestDeps, options: DigestOptions): Promise<DigestResult> {
  const { store } = deps;
  const now = options.now ?? (() => new Date());
  const claimed = store.claimUnread({
    claimant: options.claimant,
    limit: options.maxStrips,
    comics: options.comics,
    ...(options.links === undefined ? {} : { links: options.links }),
  });
  try {
    if (claimed.length === 0) return { path: null, strips: [], opened: false, notOpened: null };
    const extras = (await deps.extras?.(claimed)) ?? new Map<number, StripExtras>();
    const comics = pageOrder(claimed, options.comics, extras, options.comicWarnings);
    const path = writeDigest(options.dir, renderDigest({ comics, generatedAt: now() }), now());
    pruneDigests(options.dir);
    const strips = comics.flatMap((comic) => comic.rows);
    let notOpened: string | null = null;
    if (options.signal?.aborted) notOpened = 'the run was interrupted';
    else if (!deps.browser.ok) notOpened = deps.browser.reason;
    else {
      try {
        await deps.opener(pathToFileURL(path).href, { page: path });
      } catch (error) {
        notOpened = errorMessage(error);
      }
    }
    if (notOpened === null) store.batch(() => strips.forEach((strip) => store.markRead(strip.id, 'digest')));
    return { path, strips, opened: notOpened === null, notOpened };
  } finally {
    store.releaseClaims(options.claimant);
  }
}

/** Comics in config order, each with its strips oldest first (the claim's order), as the renderer wants them. */
function pageOrder(
  strips: readonly StripRow[],
  comics: readonly string[],
  extras: ReadonlyMap<number, StripExtras>,
  comicWarnings: ReadonlyMap<string, readonly string[]> | undefined,
): (DigestComic & { rows: StripRow[] })[] {
  const byComic = new Map<string, StripRow[]>();
  for (const strip of strips) byComic.set(strip.comic, [...(byComic.get(strip.comic) ?? []), strip]);
  const order = [...comics, ...[...byComic.keys()].filter((name) => !comics.includes(name))];
  return order
    .filter((name) => byComic.has(name))
    .map((name) => {
      const rows = byComic.get(name)!;
      const warned = comicWarnings?.get(name) ?? [];
      return {
        name,
        rows,
        strips: rows.map((row, index): DigestStrip => {
          const extra = extras.get(row.id);
          return {
            title: row.title,
            url: row.url,
            published: row.published,
            image: extra?.image !== undefined ? extra.image : recordedImage(row),
            localImage: extra?.localImage ?? null,
            // A comic's warnings (a walk cut short) belong with its oldest strip on the page: that is where strips may be missing.
            warnings: [...(index === 0 ? warned : []), ...(extra?.warnings ?? [])],
          };
        }),
      };
    });
}

function recordedImage(row: StripRow): DigestImage | null {
  return row.image === null ? null : { src: row.image, alt: row.imageAlt, title: row.imageTitle };
}
