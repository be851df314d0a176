/**
 * The feed-format-independent half of reading an entry: plain-text titles,
 * absolute URLs, strip images found in HTML, and entry keys.
 */
import { createHash } from 'node:crypto';
import { htmlParser } from './html-parser.js';
import { parseFeedDate } from './dates.js';
import { isNoiseImage } from '../pages/image-rules.js';
import type { FeedEntry } from './types.js';

/**
 * Resolves `ref` against `base`; null when either is missing or the result
 * is not a valid absolute URL. Any scheme is kept: deciding which schemes are
 * safe to open is the caller's job.
 *
 * @example
 * resolveUrl('/comic/12', 'https://example.com/feed.xml'); // 'https://example.com/comic/12'
 */
export function resolveUrl(ref: string | null | undefined, base: string | null | undefined): string | null {
  if (ref == null) return null;
  const trimmed = ref.trim();
  if (trimmed === '') return null;
  try {
    return new URL(trimmed, base ?? undefined).href;
  } catch {
    return null;
  }
}

/** True for http: and https: URLs, the only ones worth showing as images. */
export function isHttpUrl(url: string | null): url is string {
  return url !== null && /^https?:/i.test(url);
}

const MARKUP = /[<&]/;
// C0 controls other than whitespace (tab, LF, VT, FF, CR), and DEL.
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g;

/**
 * Plain text from a title that may carry markup or entities: tags dropped,
 * entities decoded, whitespace collapsed; null when nothing is left.
 *
 * @example
 * plainText('  Caf&eacute; <b>Night</b>\n'); // 'Café Night'
 */
export function plainText(value: string | null | undefined): string | null {
  if (value == null) return null;
  let text = value;
  if (MARKUP.test(text)) {
    const parts: string[] = [];
    const parser = new (htmlParser())({ ontext: (chunk) => parts.push(chunk) }, { decodeEntities: true });
    parser.end(text);
    text = parts.join('');
  }
  // Control characters (feeds leak them from databases) are dropped, not spaced.
  text = text.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/** A strip image as an entry gives it: its URL, alt text and hover text. */
export interface EntryImage {
  src: string;
  alt: string | null;
  title: string | null;
}

/**
 * The first image in an HTML fragment that could be the strip: http(s) after
 * resolving against `base`, and not furniture (tracking pixels and 1×1 images,
 * feedburner's `~r/` images, icons, emoji: the page-mode rules, see
 * src/pages/image-rules.ts). Keeps its alt text and title (the hover text).
 *
 * @example
 * firstImage('<p><img src="strip.png" title="Hover"></p>', 'https://example.com/c/1/');
 * // { src: 'https://example.com/c/1/strip.png', alt: null, title: 'Hover' }
 */
export function firstImage(html: string | null | undefined, base: string | null): EntryImage | null {
  if (!html || !/<img/i.test(html)) return null;
  let found: EntryImage | null = null;
  const parser = new (htmlParser())(
    {
      onopentag(name, attributes) {
        if (found !== null || name !== 'img') return;
        const src = resolveUrl(attributes.src, base);
        if (!isHttpUrl(src)) return;
        const { width, height, alt, title } = attributes;
        if (isNoiseImage({ url: src, width, height, names: [attributes.class, attributes.id], described: [alt, title] })) return;
        found = { src, alt: plainText(alt), title: plainText(title) };
        parser.pause();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return found;
}

/**
 * The key comics 0.1 gave an entry with neither an id nor a link: a hash of its
 * title and date. Kept to recognise strips recorded under it (see {@link contentKey}).
 *
 * @example
 * hashKey('Strip 12', '2024-01-01T00:00:00Z'); // 'sha1:…'
 */
export function hashKey(title: string | null, published: string | null): string {
  return `sha1:${createHash('sha1')
    .update(`${title ?? ''}\n${published ?? ''}`)
    .digest('hex')}`;
}

/**
 * An entry key when the feed gives neither an id nor a link: a hash of everything
 * the entry carries (title, date, enclosure and media URLs, its HTML bodies), so
 * that entries with only a description and an enclosure (RSS 0.92 allows exactly
 * that) are told apart, and the same entry gets the same key on every fetch.
 *
 * @example
 * contentKey(null, null, ['https://x.test/1.mp3'], ['<p>Episode 1</p>']); // 'sha1:…'
 */
export function contentKey(title: string | null, published: string | null, media: readonly string[], bodies: readonly string[]): string {
  const hash = createHash('sha1').update(`${title ?? ''}\n${published ?? ''}`);
  for (const url of media) hash.update(`\nmedia ${url}`);
  for (const body of bodies) hash.update(`\nbody ${body.length} ${body}`);
  return `sha1:${hash.digest('hex')}`;
}

/** A candidate strip image from an enclosure, Media RSS element or JSON Feed field. */
export interface MediaCandidate {
  url: string | null | undefined;
  type?: string | null | undefined;
  medium?: string | null | undefined;
  /** How the candidate was declared; decides which type rules apply. */
  kind: 'enclosure' | 'media' | 'thumbnail';
  /** A description of the image (Media RSS `media:description`), as alt text. */
  alt?: string | null | undefined;
  /** Its title (Media RSS `media:title`), as hover text. */
  title?: string | null | undefined;
}

/** An entry as the format readers see it, before it is normalised. */
export interface RawEntry {
  id: string | null | undefined;
  /** The entry's link as written (relative links allowed). */
  link: string | null | undefined;
  /** Absolute base URL for the entry: xml:base resolved against the feed URL. */
  base: string;
  title: string | null | undefined;
  /** Candidate publication dates, first readable one wins. */
  published: readonly (string | null | undefined)[];
  /** Candidate update dates, used when no publication date is readable. */
  updated: readonly (string | null | undefined)[];
  media: readonly MediaCandidate[];
  /** HTML bodies to search for an `<img>`, in order (content, then summary). */
  html: readonly { value: string | null | undefined; base: string }[];
}

const IMAGE_EXTENSION = /\.(?:png|jpe?g|gif|webp|avif|bmp|svg)(?:[?#].*)?$/i;
const NOT_IMAGE_MEDIUM = new Set(['video', 'audio', 'document', 'executable']);

function isImageCandidate(candidate: MediaCandidate, url: string): boolean {
  const type = (candidate.type ?? '').trim().toLowerCase();
  if (candidate.kind === 'thumbnail') return true;
  if (type.startsWith('image/')) return true;
  if (candidate.kind === 'enclosure') return type === '' && IMAGE_EXTENSION.test(url);
  const medium = (candidate.medium ?? '').trim().toLowerCase();
  // Plain <media:content url> with neither type nor medium is, in comic
  // feeds, nearly always the strip.
  return medium === 'image' || (type === '' && !NOT_IMAGE_MEDIUM.has(medium));
}

/**
 * Turns a {@link RawEntry} into a {@link FeedEntry}: dates to UTC, links
 * resolved, the strip image picked, and a key chosen.
 *
 * @example
 * toFeedEntry({ id: null, link: '/c/1', base: 'https://x.test/feed', title: 'One',
 *   published: ['2024-01-01'], updated: [], media: [], html: [] });
 * // { key: 'https://x.test/c/1', url: 'https://x.test/c/1', title: 'One', published: '2024-01-01T00:00:00Z', image: null }
 */
export function toFeedEntry(raw: RawEntry): FeedEntry {
  const published = firstDate(raw.published) ?? firstDate(raw.updated);
  const url = resolveUrl(raw.link, raw.base);
  const title = plainText(raw.title);
  const id = raw.id?.trim() || null;
  const picked = pickImage(raw);
  const image = { image: picked?.src ?? null, imageAlt: picked?.alt ?? null, imageTitle: picked?.title ?? null };
  if (id !== null || url !== null) return { key: id ?? url!, url, title, published, ...image };
  const media = raw.media.map((candidate) => resolveUrl(candidate.url, raw.base)).filter((found): found is string => found !== null);
  const bodies = raw.html.map((body) => body.value?.trim() ?? '').filter((body) => body !== '');
  return { key: contentKey(title, published, media, bodies), legacyKey: hashKey(title, published), url, title, published, ...image };
}

function firstDate(candidates: readonly (string | null | undefined)[]): string | null {
  for (const candidate of candidates) {
    const parsed = parseFeedDate(candidate);
    if (parsed !== null) return parsed;
  }
  return null;
}

/**
 * The strip image: a declared image first (JSON Feed `image`, then enclosures and
 * Media RSS with an image type), else the first meaningful `<img>` of the content,
 * then the summary or description.
 */
function pickImage(raw: RawEntry): EntryImage | null {
  for (const candidate of raw.media) {
    const url = resolveUrl(candidate.url, raw.base);
    if (isHttpUrl(url) && isImageCandidate(candidate, url) && !isNoiseImage({ url })) {
      return { src: url, alt: plainText(candidate.alt), title: plainText(candidate.title) };
    }
  }
  for (const body of raw.html) {
    const image = firstImage(body.value, body.base);
    if (image !== null) return image;
  }
  return null;
}
