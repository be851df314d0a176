import type { PageSelectors } from '../pages/heuristics.js';
import { lookUpStripImages } from '../pages/strip-images.js';
import type { ComicsStore } from '../store/comics-store.js';
import type { LookupImages } from './archive-comics.js';

/**
 * The archive's way to the image of a strip recorded without one: the strip's own
 * page, read with the page rules (the comic's `selectors.image`, else the defaults),
 * through the archive's polite requests; at most once per strip, as for the digest.
 *
 * @example
 * await archiveComics(comics, deps, { lookupImages: pageImages(store, (name) => selectors.get(name)) });
 */
export function pageImages(store: ComicsStore, selectorsFor: (comic: string) => PageSelectors | undefined): LookupImages {
  return async (strips, fetchPage) => {
    const found = await lookUpStripImages(strips, { store, fetchPage: (url) => fetchPage(url), selectorsFor });
    return new Map([...found].map(([id, lookup]) => [id, { image: lookup.image?.src ?? null, warning: lookup.warning }]));
  };
}
