/**
 * Strips recorded without an image (feeds that carry only a title and a link,
 * MonkeyUser's or Dilbert's) get one from their own page, read with the page-mode
 * rules, when they are about to be shown: on a digest, or in the archive. Not on
 * every check: most strips are read in a tab, where the page shows itself.
 */
import { errorMessage, isComicsError } from '../errors.js';
import type { ComicsStore, StripRow } from '../store/comics-store.js';
import type { FetchedPage } from './fetch-page.js';
import type { PageSelectors } from './heuristics.js';

/** A strip image, with its alt text and hover text. */
export interface StripImage {
  src: string;
  alt: string | null;
  title: string | null;
}

/** What looking at a strip's page came to: an image, or a warning saying why there is none. */
export interface StripImageLookup {
  image: StripImage | null;
  warning: string | null;
}

export interface StripImageDeps {
  store: ComicsStore;
  /** Fetches one page in its own connection slot (see slottedPageFetcher). */
  fetchPage: (url: string, validators: null) => Promise<FetchedPage | null>;
  /** The comic's `selectors`, so its own `image` selector wins over the defaults. */
  selectorsFor: (comic: string) => PageSelectors | undefined;
}

/** Answers that say the page will not change its mind: looked at, not to be fetched again. */
const FINAL_STATUSES = new Set([404, 410]);

/**
 * For each strip without an image: its own page's strip image, found with the page
 * rules (the comic's `selectors.image`, else the defaults), recorded in the store.
 * Each page is read at most once per strip, ever: a strip looked at before gives
 * back what was found then (its image is in its row; the note why there is none,
 * as the warning). All pages are fetched at once, each in a connection slot of the
 * caller's pool; a failure is a warning on that strip, never an exception (but for
 * Ctrl-C). A network error or a 5xx is not recorded, so a later look tries again.
 *
 * @example
 * const found = await lookUpStripImages(strips, { store, fetchPage, selectorsFor });
 * found.get(strip.id)?.image?.src
 */
export async function lookUpStripImages(strips: readonly StripRow[], deps: StripImageDeps): Promise<Map<number, StripImageLookup>> {
  const found = new Map<number, StripImageLookup>();
  const heuristics = strips.some((strip) => needsLook(strip)) ? await import('./heuristics.js') : null;
  await Promise.all(
    strips.map(async (strip) => {
      if (strip.image !== null) return;
      if (strip.imageLookedAt !== null) {
        found.set(strip.id, { image: null, warning: strip.imageNote });
        return;
      }
      if (!needsLook(strip) || heuristics === null) return;
      const url = strip.url!;
      let page: FetchedPage | null;
      try {
        page = await deps.fetchPage(url, null);
      } catch (error) {
        if (isComicsError(error, 'E_ABORTED')) throw error;
        const warning = `could not read the strip's page for its image: ${errorMessage(error)}`;
        const status = isComicsError(error) ? error.status : undefined;
        if (status !== undefined && FINAL_STATUSES.has(status)) deps.store.recordStripImage(strip.id, { note: warning });
        found.set(strip.id, { image: null, warning });
        return;
      }
      if (page === null) return;
      const read = heuristics.readStripPage(heuristics.parsePage(page.html), page.finalUrl, deps.selectorsFor(strip.comic) ?? {});
      if (read.image === null) {
        const note = `no strip image was found on ${page.finalUrl}`;
        deps.store.recordStripImage(strip.id, { note });
        found.set(strip.id, { image: null, warning: note });
        return;
      }
      const image = { src: read.image.url, alt: read.image.alt, title: read.image.title };
      deps.store.recordStripImage(strip.id, { image: image.src, alt: image.alt, title: image.title });
      found.set(strip.id, { image, warning: null });
    }),
  );
  return found;
}

/** A strip with no image, not looked at yet, whose link is a page to read. */
function needsLook(strip: StripRow): boolean {
  return strip.image === null && strip.imageLookedAt === null && strip.url !== null && /^https?:\/\//i.test(strip.url);
}
