/**
 * What is not a strip: the rules page mode and feed reading share for telling a
 * strip image from page furniture (tracking pixels, icons, emoji, logos, share
 * buttons, feed trackers). Dependency-free, so reading a feed does not load the
 * page parser.
 */

/** Words in an image's names, labels, path or host that mark it as furniture. */
export const IMAGE_NOISE = new Set(
  (
    'logo logos icon icons favicon avatar avatars gravatar banner banners button buttons btn sprite spacer blank pixel ' +
    'badge emoji social share facebook twitter tumblr instagram patreon kofi rss feed ad ads advert advertisement ' +
    'header masthead thumbnail thumbnails sticker loading spinner arrow nav smilies smiley wpsmiley'
  ).split(' '),
);

/**
 * Words in an image's file path or host that mark it as furniture: fewer than in
 * its names and labels, because file names are the strip's own words
 * (`dhs_2019-04-26_ads-for-google.png`) and hashes split into any word (`…7108ad0f…`).
 */
export const FILE_NOISE = new Set(
  (
    'logo logos icon icons favicon avatar avatars gravatar sprite spacer blank pixel badge emoji smilies smiley ' +
    'wpsmiley button buttons btn spinner loading thumbnail thumbnails stats analytics tracker tracking beacon'
  ).split(' '),
);

/** Feed trackers and counters, whatever their names: feedburner's `~r/` and `~ff/`, WordPress stats, Feedsportal. */
const TRACKERS = /\/~(?:r|ff|f|a)\/|^https?:\/\/(?:[^/]+\.)?(?:stats\.wordpress\.com|feedsportal\.com|pixel\.wp\.com)\//i;

/** Declared sizes under this (in either dimension) are icons and pixels, not strips. */
export const MIN_STRIP_SIZE = 120;

/** An image as found in markup: its resolved URL and the attributes that describe it. */
export interface ImageFacts {
  url: string;
  width?: string | undefined;
  height?: string | undefined;
  /** Class names and ids, of the image (and, for pages, nothing else). */
  names?: readonly (string | undefined)[];
  /** Its alt text and title. */
  described?: readonly (string | undefined)[];
}

/**
 * Whether an image is furniture rather than a strip: a declared size under
 * {@link MIN_STRIP_SIZE} (tracking pixels, 1×1 images, icons), a feed tracker, a
 * class, id, alt or title that says logo, icon, emoji, avatar, share, ad..., or a
 * file path or host with one of `fileWords` (page mode passes the longer list:
 * on a page, banners and ads sit beside the strip).
 *
 * @example
 * isNoiseImage({ url: 'https://feeds.feedburner.com/~r/xkcd/~4/abc' }) // true
 * isNoiseImage({ url: 'https://imgs.xkcd.com/comics/ears.png', width: '740' }) // false
 */
export function isNoiseImage(image: ImageFacts, fileWords: ReadonlySet<string> = FILE_NOISE): boolean {
  const width = dimension(image.width);
  const height = dimension(image.height);
  if ((width !== null && width < MIN_STRIP_SIZE) || (height !== null && height < MIN_STRIP_SIZE)) return true;
  if (TRACKERS.test(image.url)) return true;
  return (
    hasAny(tokens(...(image.names ?? [])), IMAGE_NOISE) ||
    hasAny(tokens(...(image.described ?? [])), IMAGE_NOISE) ||
    hasAny(tokens(pathOf(image.url), hostOf(image.url)), fileWords)
  );
}

/** A declared pixel size (`"740"`, `"740px"`), or null. */
export function dimension(value: string | undefined): number | null {
  return value !== undefined && /^\s*\d+\s*(?:px)?\s*$/i.test(value) ? Number.parseInt(value, 10) : null;
}

/**
 * Lower-case words of class names, ids, labels and file names: camelCase,
 * letters and digits, and punctuation all split, so `cc-prev`,
 * `previousButton` and `button_previous` all hold "prev" or "previous".
 *
 * @example
 * tokens('previousButton', 'cc-logo') // Set { 'previous', 'button', 'cc', 'logo' }
 */
export function tokens(...parts: (string | undefined | null)[]): Set<string> {
  const words = new Set<string>();
  for (const part of parts) {
    if (!part) continue;
    const spaced = part.replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2').replace(/(\p{L})(\p{N})|(\p{N})(\p{L})/gu, '$1$3 $2$4');
    for (const word of spaced.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (word) words.add(word);
  }
  return words;
}

export function hasAny(words: Set<string>, wanted: ReadonlySet<string>): boolean {
  for (const word of words) if (wanted.has(word)) return true;
  return false;
}

/** A URL's decoded path, for its words. */
export function pathOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}
