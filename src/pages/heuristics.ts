/**
 * Reading a webcomic's strip page without a feed: which image is the strip,
 * which link goes to the previous strip, and what identifies the strip. Pure
 * functions over HTML and its URL, so they can be tested on real pages.
 *
 * Pages are parsed with parse5 (the HTML standard's tree building, so a
 * selector copied from a browser's developer tools, `tbody` and all, matches
 * here too) into the DOM that cheerio queries. This module is loaded only when
 * a page has to be read: its imports cost about 110 ms.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { parse } from 'parse5';
import { adapter } from 'parse5-htmlparser2-tree-adapter';
import { ComicsError } from '../errors.js';
import { parseFeedDate } from '../feeds/dates.js';
import { dimension, hasAny, IMAGE_NOISE, isNoiseImage, pathOf, tokens } from './image-rules.js';

/** CSS selectors a page-mode comic may set; see the README for what each selects. */
export interface PageSelectors {
  latest?: string | undefined;
  image?: string | undefined;
  prev?: string | undefined;
  key?: string | undefined;
}

/** Something found on a page, and how: `selector`, or the default rule that found it. */
export interface Found {
  url: string;
  via: string;
  /** A CSS selector for the element it came from, to suggest when a default found it. */
  selector: string | null;
}

/** The strip image, with the alt text and hover text (`title`) its `<img>` carries. */
export interface FoundImage extends Found {
  alt: string | null;
  title: string | null;
}

/** What a strip page holds. */
export interface StripPage {
  /** The page's URL (after redirects). */
  url: string;
  /** What identifies the strip: selectors.key, else the canonical URL, else og:url, else the page URL. */
  key: string;
  keyVia: 'selector' | 'canonical' | 'og:url' | 'url';
  title: string | null;
  /** From `article:published_time`, when the page says; ISO 8601 UTC. */
  published: string | null;
  image: FoundImage | null;
  prev: Found | null;
  /** A link to a newer strip: when present, this page is not the newest. */
  next: Found | null;
  /** Site name (og:site_name, application-name), for naming a comic. */
  siteName: string | null;
  /** Configured selectors that match nothing here. */
  unmatched: ('image' | 'prev' | 'key')[];
}

/**
 * Parses a page once for the functions below.
 *
 * @example
 * const page = parsePage(html); readStripPage(page, 'https://xkcd.com/1899/');
 */
export function parsePage(html: string): CheerioAPI {
  return load(parse(html, { treeAdapter: adapter }) as unknown as AnyNode);
}

/**
 * Reads a strip page: the strip image, the previous-strip link, the key, a title.
 * Configured selectors win; where none is set, the default rules below apply.
 * Throws E_SELECTOR when a configured selector is not valid CSS.
 *
 * @example
 * const page = readStripPage(parsePage(html), 'https://xkcd.com/1899/');
 * page.image?.url // 'https://imgs.xkcd.com/comics/ears.png'
 * page.prev?.url  // 'https://xkcd.com/1898/'
 */
export function readStripPage($: CheerioAPI, pageUrl: string, selectors: PageSelectors = {}): StripPage {
  const base = baseUrl($, pageUrl);
  const unmatched: StripPage['unmatched'] = [];
  const key = selectors.key === undefined ? defaultKey($, pageUrl) : selectedKey($, selectors.key, base);
  if (key === null && selectors.key !== undefined) unmatched.push('key');
  const image = selectors.image === undefined ? findImage($, base) : selectedImage($, selectors.image, base);
  if (image === null && selectors.image !== undefined) unmatched.push('image');
  const prev = selectors.prev === undefined ? findNavLink($, base, pageUrl, 'prev') : selectedLink($, selectors.prev, base, 'prev');
  if (prev === null && selectors.prev !== undefined) unmatched.push('prev');
  return {
    url: pageUrl,
    key: key?.key ?? withoutHash(pageUrl),
    keyVia: key?.via ?? 'url',
    title: pageTitle($),
    published: parseFeedDate(meta($, 'article:published_time')),
    image,
    prev,
    next: findNavLink($, base, pageUrl, 'next'),
    siteName: clean(meta($, 'og:site_name') ?? $('meta[name="application-name"]').attr('content')),
    unmatched,
  };
}

/**
 * The link a `latest` selector picks on a comic's entry page: the newest strip's page.
 *
 * @example
 * findLatestLink(parsePage(html), 'https://x.test/', '.latest a') // 'https://x.test/strip/42/'
 */
export function findLatestLink($: CheerioAPI, pageUrl: string, selector: string): string | null {
  return selectedLink($, selector, baseUrl($, pageUrl), 'latest')?.url ?? null;
}

// ---------------------------------------------------------------------------
// Key

function defaultKey($: CheerioAPI, pageUrl: string): { key: string; via: 'canonical' | 'og:url' } | null {
  const canonical = usableCanonical($('link[rel~="canonical" i]').first().attr('href'), pageUrl);
  if (canonical) return { key: canonical, via: 'canonical' };
  const og = usableCanonical(meta($, 'og:url'), pageUrl);
  if (og) return { key: og, via: 'og:url' };
  return null;
}

/**
 * A canonical URL worth keying on: absolute http(s), and not the site's root
 * when the page itself is deeper (sites that point every page's canonical at
 * their home page would otherwise give every strip the same key).
 */
function usableCanonical(href: string | undefined, pageUrl: string): string | null {
  const url = resolveHttp(href, pageUrl);
  if (url === null) return null;
  const page = new URL(pageUrl);
  if (isRoot(url) && !isRoot(page.href) && sameSite(url, page.href)) return null;
  return withoutHash(url);
}

function selectedKey($: CheerioAPI, selector: string, base: string): { key: string; via: 'selector' } | null {
  const element = select($, selector, 'key')[0];
  if (element === undefined) return null;
  const { href, src, content, value } = element.attribs;
  const link = href ?? src;
  const text = link !== undefined ? resolveHttp(link, base) : clean(content ?? value ?? $(element).text());
  return text ? { key: text, via: 'selector' } : null;
}

// ---------------------------------------------------------------------------
// Image

const AWAY_FROM_STRIP = new Set(
  'sidebar widget widgets footer header menu comments comment related share sharing social avatar respond'.split(' '),
);
const STRIP_HINTS = new Set(['comic', 'comics', 'strip', 'strips', 'webcomic', 'webcomics', 'comicpage', 'cartoon']);
const MAIN_HINTS = new Set(['content', 'main', 'post', 'entry', 'article', 'story']);

interface ImageCandidate {
  element: Element;
  url: string;
  score: number;
  /** The strongest reason it scored. */
  via: string;
}

/**
 * The strip image by default: every `<img>` is scored and the best one wins, if
 * it scores enough. Out: tracking pixels and icons (declared under 120 px),
 * images named or classed like logos, icons, avatars, banners, buttons, ads and
 * share widgets. Points for: being in (or named like) a comic or strip element,
 * a path with comic/strip in it, being the page's og:image, being in the main
 * content, and size (declared width × height). Against: being in a header,
 * footer, sidebar, menu or comments. With no image good enough, og:image.
 */
function findImage($: CheerioAPI, base: string): FoundImage | null {
  const best = rankImages($, base)[0];
  if (best && best.score >= IMAGE_THRESHOLD) {
    return { url: best.url, via: best.via, selector: suggestSelector($, best.element), ...imageTexts(best.element) };
  }
  const og = resolveHttp(meta($, 'og:image') ?? meta($, 'twitter:image'), base);
  if (og && !hasAny(tokens(pathOf(og)), IMAGE_NOISE)) {
    return { url: og, via: 'og:image', selector: null, alt: clean(meta($, 'og:image:alt') ?? meta($, 'twitter:image:alt')), title: null };
  }
  return null;
}

/** An image element's alt text and hover text, whitespace collapsed (their length is capped where they are stored). */
function imageTexts(element: Element): { alt: string | null; title: string | null } {
  const text = (value: string | undefined): string | null => {
    const collapsed = (value ?? '').replace(/\s+/g, ' ').trim();
    return collapsed === '' ? null : collapsed;
  };
  return { alt: text(element.attribs.alt), title: text(element.attribs.title) };
}

const IMAGE_THRESHOLD = 25;

/** Every usable image, best first; exported for suggestions. */
export function rankImages($: CheerioAPI, base: string): ImageCandidate[] {
  const og = resolveHttp(meta($, 'og:image'), base);
  const ogStem = og ? imageStem(og) : null;
  const candidates: ImageCandidate[] = [];
  $('img, [style*="background"]').each((index, element) => {
    const named = tokens(element.attribs.class, element.attribs.id);
    const described = tokens(element.attribs.alt, element.attribs.title);
    // A strip drawn as a CSS background of an element named for it (`<div id="comic" style="background-image: url(...)">`).
    const url = element.name === 'img' ? imageUrl(element, base) : hasAny(named, STRIP_HINTS) ? backgroundUrl(element, base) : null;
    if (url === null) return;
    const { width: declaredWidth, height: declaredHeight, class: className, id, alt, title } = element.attribs;
    if (isNoiseImage({ url, width: declaredWidth, height: declaredHeight, names: [className, id], described: [alt, title] }, IMAGE_NOISE)) return;
    const width = dimension(declaredWidth);
    const height = dimension(declaredHeight);
    const context = ancestorTokens(element, 6, base);
    // Named for the strip by the page's own markup (class or id, its own or a container's):
    // the strongest sign there is. The alt text and file name are weaker ones.
    const namedStrip = hasAny(named, STRIP_HINTS) || hasAny(context.names, STRIP_HINTS);
    let score = namedStrip ? 100 : 0;
    if (hasAny(described, STRIP_HINTS)) score += 20;
    if (hasAny(tokens(pathOf(url)), STRIP_HINTS)) score += 20;
    if (ogStem !== null && imageStem(url) === ogStem) score += 30;
    if (context.main) score += 10;
    if (context.away) score -= 100;
    if (context.foreignLink) score -= 20;
    // Size decides only among images the markup does not name as the strip: where
    // several are (the strip, then related strips), the page's own comes first.
    const area = width !== null && height !== null ? width * height : 0;
    if (!namedStrip) score += area > 0 ? Math.min(40, area / 25_000) : 8;
    const via = namedStrip
      ? 'image in an element named comic or strip'
      : ogStem !== null && imageStem(url) === ogStem
        ? "image that is also the page's og:image"
        : 'largest image in the main content';
    candidates.push({ element, url, score, via });
  });
  // Stable: equal scores keep document order (the first panel of a multi-image strip).
  return candidates.sort((a, b) => b.score - a.score);
}

function selectedImage($: CheerioAPI, selector: string, base: string): FoundImage | null {
  for (const element of select($, selector, 'image')) {
    const target = element.name === 'img' ? element : ($(element).find('img').get(0) ?? element);
    const url = imageUrl(target, base) ?? resolveHttp(target.attribs.content ?? target.attribs.href, base) ?? backgroundUrl(target, base);
    if (url) return { url, via: 'selector', selector, ...imageTexts(target) };
  }
  return null;
}

function imageUrl(element: Element, base: string): string | null {
  const { src, srcset } = element.attribs;
  const lazy = element.attribs['data-src'] ?? element.attribs['data-lazy-src'] ?? element.attribs['data-original'];
  const first = srcset?.trim().split(/\s+/)[0];
  for (const candidate of [lazy, src, first]) {
    const url = resolveHttp(candidate, base);
    if (url !== null && !/^data:/i.test(candidate ?? '')) return url;
  }
  return null;
}

function backgroundUrl(element: Element, base: string): string | null {
  return resolveHttp(/background(?:-image)?\s*:[^;]*url\(\s*['"]?([^'")]+)/i.exec(element.attribs.style ?? '')?.[1], base);
}

/** The file name without extension and WordPress's `-683x1024` size suffix, for matching og:image. */
function imageStem(url: string): string {
  const name = pathOf(url).split('/').pop() ?? '';
  return name.replace(/\.[a-z0-9]+$/i, '').replace(/-\d+x\d+$/, '').toLowerCase();
}

function ancestorTokens(element: Element, depth: number, base: string): { names: Set<string>; main: boolean; away: boolean; foreignLink: boolean } {
  const names = new Set<string>();
  let main = false;
  let away = false;
  let foreignLink = false;
  let node = element.parent;
  for (let level = 0; node && level < depth; level++, node = node.parent) {
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') break;
    const parent = node as Element;
    const own = tokens(parent.attribs.class, parent.attribs.id);
    for (const token of own) names.add(token);
    if (parent.name === 'main' || parent.name === 'article' || parent.attribs.role === 'main' || hasAny(own, MAIN_HINTS)) main = true;
    if (['header', 'footer', 'nav', 'aside'].includes(parent.name) || hasAny(own, AWAY_FROM_STRIP)) away = true;
    // Images that link to another site are ads, affiliates and promotions.
    if (level === 0 && parent.name === 'a') {
      const target = resolveHttp(parent.attribs.href, base);
      if (target !== null && !sameSite(target, base)) foreignLink = true;
    }
  }
  return { names, main, away, foreignLink };
}

// ---------------------------------------------------------------------------
// Navigation links

const PREV_WORDS = new Set(['prev', 'previous', 'prv', 'anterior', 'précédent', 'precedent', 'precedente', 'zurück', 'vorherige', 'vorige']);
const NEXT_WORDS = new Set(['next', 'newer', 'forward', 'siguiente', 'suivant', 'weiter', 'nächste', 'successivo']);
const FIRST_WORDS = new Set(['first', 'oldest', 'start', 'begin', 'beginning', 'erste', 'primero']);
const LAST_WORDS = new Set(['last', 'latest', 'newest', 'current', 'today']);
// "Back to top", "back to the archive": not the previous strip.
const BACK_ELSEWHERE = new Set(['top', 'home', 'archive', 'archives', 'index', 'original', 'main', 'blog', 'site', 'homepage', 'list', 'search']);
// Blog and comment pagination: "Older posts", "Previous entries".
const NOT_STRIPS = new Set(['entries', 'posts', 'comments', 'comment', 'articles', 'results']);
const PREV_ARROWS = new Set(['<', '‹', '«', '<<', '←', '◀', '◄', '⟨', '⇐', '<-', '< <']);
const NEXT_ARROWS = new Set(['>', '›', '»', '>>', '→', '▶', '►', '⟩', '⇒', '->', '> >']);

interface LinkCandidate {
  url: string;
  score: number;
  via: string;
  element: Element;
}

/**
 * The previous (or next) strip's link by default, best first: `rel="prev"` on
 * `<a>` or `<link>`; then links whose class, id, title, aria-label, text, or
 * image (alt, title, file name) says prev/previous (80), older (70), back (50),
 * or whose whole text is an arrow such as ‹ « < ← (40). Never: links to the
 * same page or a fragment, to another site (unless rel says so), first/last
 * links, links that also say next (or prev, for next), "back to top/home",
 * and blog or comment pagination ("Older posts", "Previous entries").
 */
export function rankNavLinks($: CheerioAPI, base: string, pageUrl: string, direction: 'prev' | 'next'): LinkCandidate[] {
  const here = withoutHash(pageUrl);
  const words = direction === 'prev' ? PREV_WORDS : NEXT_WORDS;
  const opposite = direction === 'prev' ? NEXT_WORDS : PREV_WORDS;
  const ends = direction === 'prev' ? FIRST_WORDS : LAST_WORDS;
  const arrows = direction === 'prev' ? PREV_ARROWS : NEXT_ARROWS;
  const oppositeArrows = direction === 'prev' ? NEXT_ARROWS : PREV_ARROWS;
  const found: LinkCandidate[] = [];
  $('a[href], link[href], area[href]').each((index, element) => {
    const href = element.attribs.href ?? '';
    if (href.trim() === '' || href.trim().startsWith('#')) return;
    const url = resolveHttp(href, base);
    if (url === null || withoutHash(url) === here || isUpFrom(url, pageUrl)) return;
    const rel = tokens(element.attribs.rel);
    const relSays = direction === 'prev' ? rel.has('prev') || rel.has('previous') : rel.has('next');
    if (relSays) {
      found.push({ url, score: 100, via: `rel="${direction}"`, element });
      return;
    }
    if (element.name === 'link' || !sameSite(url, pageUrl)) return;
    const $element = $(element);
    const image = $element.find('img').first();
    const text = clean($element.text()) ?? '';
    const label = text.length <= 40 ? text : '';
    const said = tokens(
      element.attribs.class,
      element.attribs.id,
      element.attribs.title,
      element.attribs['aria-label'],
      label,
      image.attr('alt'),
      image.attr('title'),
      image.attr('src')?.split(/[?#]/)[0]?.split('/').pop(),
    );
    if (hasAny(said, NOT_STRIPS) || hasAny(said, ends) || hasAny(said, opposite) || oppositeArrows.has(label)) return;
    if (/^(?:‹‹|««|\|<|>\||››|»»)/.test(label)) return;
    let score = 0;
    let via = '';
    if (hasAny(said, words)) [score, via] = [80, `link says "${direction === 'prev' ? 'previous' : 'next'}"`];
    else if (direction === 'prev' && said.has('older')) [score, via] = [70, 'link says "older"'];
    else if (direction === 'prev' && said.has('back') && !hasAny(said, BACK_ELSEWHERE)) [score, via] = [50, 'link says "back"'];
    else if (arrows.has(label.replace(/\s+/g, ' '))) [score, via] = [40, `link text is "${label}"`];
    if (score > 0) found.push({ url, score, via, element });
  });
  return found.sort((a, b) => b.score - a.score);
}

function findNavLink($: CheerioAPI, base: string, pageUrl: string, direction: 'prev' | 'next'): Found | null {
  const best = rankNavLinks($, base, pageUrl, direction)[0];
  if (!best) return null;
  return { url: best.url, via: best.via, selector: best.element.name === 'link' ? `link[rel="${direction}"]` : suggestSelector($, best.element) };
}

function selectedLink($: CheerioAPI, selector: string, base: string, field: 'prev' | 'latest'): Found | null {
  for (const element of select($, selector, field)) {
    const link = element.attribs.href !== undefined ? element : ($(element).closest('a[href]').get(0) ?? $(element).find('a[href]').get(0));
    const url = resolveHttp(link && 'attribs' in link ? link.attribs.href : undefined, base);
    if (url) return { url, via: 'selector', selector };
  }
  return null;
}

// ---------------------------------------------------------------------------
// Suggestions

/**
 * Selectors worth trying on a page where the defaults fall short: the best
 * image candidate whatever its score, and the best previous-strip link.
 *
 * @example
 * nearMisses(parsePage(html), url) // { image: '#art img', prev: null }
 */
export function nearMisses($: CheerioAPI, pageUrl: string): { image: string | null; prev: string | null } {
  const base = baseUrl($, pageUrl);
  const image = rankImages($, base)[0];
  return {
    image: image ? suggestSelector($, image.element) : null,
    prev: findNavLink($, base, pageUrl, 'prev')?.selector ?? null,
  };
}

/**
 * A short CSS selector that picks `element` first on this page: `#id`, else
 * `tag.class`, else one under an ancestor with an id; what `comics add` and
 * `comics doctor` suggest writing into `selectors`.
 *
 * @example
 * suggestSelector($, $('#cc-comic').get(0)!) // '#cc-comic'
 */
export function suggestSelector($: CheerioAPI, element: Element): string {
  const picks = (selector: string): boolean => {
    try {
      return $(selector).get(0) === element;
    } catch {
      return false;
    }
  };
  const own = simpleSelector(element);
  if (picks(own)) return own;
  let node = element.parent;
  for (let level = 0; node && node.type === 'tag' && level < 6; level++, node = node.parent) {
    const ancestor = node as Element;
    const id = ancestor.attribs.id;
    const prefix = id && /^[A-Za-z][\w-]*$/.test(id) ? `#${id}` : level === 0 ? simpleSelector(ancestor) : null;
    if (prefix && picks(`${prefix} ${own}`)) return `${prefix} ${own}`;
  }
  return own;
}

function simpleSelector(element: Element): string {
  const id = element.attribs.id;
  if (id && /^[A-Za-z][\w-]*$/.test(id)) return `#${id}`;
  const classes = (element.attribs.class ?? '')
    .split(/\s+/)
    .filter((name) => /^[A-Za-z][\w-]*$/.test(name))
    .slice(0, 2);
  return element.name + classes.map((name) => `.${name}`).join('');
}

// ---------------------------------------------------------------------------
// Helpers

function select($: CheerioAPI, selector: string, field: string): Element[] {
  try {
    return $(selector).toArray().filter((node): node is Element => node.type === 'tag' || node.type === 'script' || node.type === 'style');
  } catch (error) {
    throw new ComicsError('E_SELECTOR', `selectors.${field} ${JSON.stringify(selector)} is not a valid CSS selector: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function baseUrl($: CheerioAPI, pageUrl: string): string {
  return resolveHttp($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
}

function meta($: CheerioAPI, property: string): string | undefined {
  return $(`meta[property="${property}"], meta[name="${property}"]`).first().attr('content')?.trim() || undefined;
}

function pageTitle($: CheerioAPI): string | null {
  return clean(meta($, 'og:title') ?? meta($, 'twitter:title') ?? $('title').first().text());
}

function clean(text: string | undefined | null): string | null {
  const value = (text ?? '').replace(/\s+/g, ' ').trim();
  return value === '' ? null : value.slice(0, 300);
}

/** An absolute http(s) URL from `ref`, or null. */
export function resolveHttp(ref: string | undefined | null, base: string): string | null {
  if (ref === undefined || ref === null || ref.trim() === '') return null;
  try {
    const url = new URL(ref.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function withoutHash(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/** A link to a folder above the page (the site root, a chapter index): "home", not a strip. */
function isUpFrom(url: string, pageUrl: string): boolean {
  const target = new URL(url);
  const page = new URL(pageUrl);
  if (target.origin !== page.origin || target.search !== '') return false;
  const folder = target.pathname.endsWith('/') ? target.pathname : `${target.pathname}/`;
  return page.pathname !== target.pathname && page.pathname.startsWith(folder);
}

function isRoot(url: string): boolean {
  const { pathname, search } = new URL(url);
  return search === '' && /^\/(?:index\.\w+)?$/.test(pathname);
}

/** Same site: host names equal but for a leading "www.". */
export function sameSite(a: string, b: string): boolean {
  const host = (url: string) => new URL(url).hostname.replace(/^www\./, '');
  return host(a) === host(b);
}

