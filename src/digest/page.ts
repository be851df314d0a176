/**
 * The digest page: unread strips in, one self-contained HTML document out. Pure:
 * no I/O, no clock. Everything from a feed is untrusted: every text is escaped,
 * feed HTML is never inserted as markup, only http(s) links and images (and our
 * own archived copies) are used, and a Content-Security-Policy lets nothing run
 * but the page's own script, by hash.
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface DigestImage {
  src: string;
  alt: string | null;
  /** The hover text. */
  title: string | null;
}

export interface DigestStrip {
  title: string | null;
  url: string | null;
  /** ISO 8601, or null. */
  published: string | null;
  image: DigestImage | null;
  /** An archived copy of the image: an absolute path or a file: URL; shown instead of `image.src`. */
  localImage?: string | null;
  warnings: string[];
}

/** One comic's strips, oldest first. */
export interface DigestComic {
  name: string;
  strips: DigestStrip[];
}

export interface DigestInput {
  /** In config order. */
  comics: DigestComic[];
  generatedAt: Date;
  /** The page's title; by default it counts the strips. */
  title?: string;
}

/**
 * Text for HTML element content.
 *
 * @example
 * escapeText('<script>alert(1)</script>') // '&lt;script&gt;alert(1)&lt;/script&gt;'
 */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Text for a double-quoted attribute value.
 *
 * @example
 * escapeAttribute('x" onerror="alert(1)') // 'x&quot; onerror=&quot;alert(1)'
 */
export function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A URL the page may link to or load an image from: absolute http(s) only,
 * normalised by the URL parser (so no quote or space survives unencoded).
 *
 * @example
 * webUrl('javascript:alert(1)') // null
 */
export function webUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * An archived copy as a `file:` URL: from an absolute path, or a `file:` URL as it is.
 *
 * @example
 * localUrl('/home/me/data/strips/xkcd/0001 2024-05-01 A.png') // 'file:///home/me/data/strips/xkcd/0001%202024-05-01%20A.png'
 */
export function localUrl(location: string | null | undefined): string | null {
  if (!location) return null;
  if (isAbsolute(location) && !location.includes('\0')) return pathToFileURL(location).href;
  try {
    const parsed = new URL(location);
    return parsed.protocol === 'file:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * The whole page. Comics and strips appear in the order given.
 *
 * @example
 * const html = renderDigest({ comics: [{ name: 'xkcd', strips }], generatedAt: new Date() });
 */
export function renderDigest(input: DigestInput): string {
  const count = input.comics.reduce((sum, comic) => sum + comic.strips.length, 0);
  const comics = input.comics.filter((comic) => comic.strips.length > 0);
  const heading =
    count === 0
      ? 'Nothing new'
      : `${count} new ${count === 1 ? 'strip' : 'strips'} from ${comics.length} ${comics.length === 1 ? 'comic' : 'comics'}`;
  const title = input.title ?? `comics: ${heading.toLowerCase()}`;
  let n = 0;
  let local = false;
  const sections = comics.map((comic, c) => {
    const articles = comic.strips.map((strip) => {
      n++;
      const localSrc = localUrl(strip.localImage);
      if (localSrc !== null) local = true;
      return renderStrip(strip, comic.name, n, localSrc);
    });
    return `<section class="comic" aria-labelledby="comic-${c + 1}">\n<h2 id="comic-${c + 1}">${escapeText(comic.name)}</h2>\n${articles.join('\n')}\n</section>`;
  });
  const policy = [
    "default-src 'none'",
    // Archived copies are files beside the page; everything else comes from the web.
    `img-src http: https:${local ? ' file:' : ''}`,
    `style-src '${hash(STYLE)}'`,
    `script-src '${hash(SCRIPT)}'`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const body =
    count === 0
      ? '<p class="empty">No unread strips: you are all caught up.</p>'
      : sections.join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeText(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="top">
<h1>${escapeText(heading)}</h1>
<p>${escapeText(formatStamp(input.generatedAt))}${count > 1 ? ' · <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>o</kbd> open the strip’s page' : ''}</p>
</header>
<main>
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function renderStrip(strip: DigestStrip, comic: string, n: number, localSrc: string | null): string {
  const link = webUrl(strip.url);
  const title = strip.title ?? '(untitled)';
  const heading = link === null ? escapeText(title) : `<a class="page" href="${escapeAttribute(link)}" rel="noopener noreferrer">${escapeText(title)}</a>`;
  const date = strip.published === null ? '' : ` · <time datetime="${escapeAttribute(strip.published)}">${escapeText(formatDate(strip.published))}</time>`;
  const parts = [`<header><h3>${heading}</h3><p class="meta">${escapeText(comic)}${date}</p></header>`];
  const src = localSrc ?? webUrl(strip.image?.src);
  if (src !== null) {
    const alt = strip.image?.alt ?? strip.title ?? '';
    const hover = strip.image?.title ?? null;
    const image = `<img src="${escapeAttribute(src)}" alt="${escapeAttribute(alt)}"${hover === null ? '' : ` title="${escapeAttribute(hover)}"`} referrerpolicy="no-referrer" loading="lazy" decoding="async">`;
    const picture = link === null ? image : `<a href="${escapeAttribute(link)}" rel="noopener noreferrer">${image}</a>`;
    parts.push(`<figure>${picture}${hover === null ? '' : `<figcaption>${escapeText(hover)}</figcaption>`}</figure>`);
  } else {
    parts.push('<p class="no-image">No image was found for this strip.</p>');
  }
  if (strip.warnings.length > 0) {
    parts.push(`<ul class="warnings">${strip.warnings.map((warning) => `<li>${escapeText(warning)}</li>`).join('')}</ul>`);
  }
  if (link !== null) parts.push(`<p class="open"><a class="page" href="${escapeAttribute(link)}" rel="noopener noreferrer">Open the strip’s page</a></p>`);
  return `<article class="strip" id="strip-${n}" tabindex="-1">${parts.join('')}</article>`;
}

/** `2026-12-05` from an ISO date (the feed's own day, in UTC as feeds give it). */
function formatDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? iso;
}

/** `2026-12-05 07:30`, local time: when the digest was made. */
function formatStamp(when: Date): string {
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ${two(when.getHours())}:${two(when.getMinutes())}`;
}

function hash(source: string): string {
  return `sha256-${createHash('sha256').update(source).digest('base64')}`;
}

/** Light or dark as the reader's system is; a centred column; images never scaled up. */
const STYLE = `
:root{color-scheme:light dark;--bg:#f7f6f2;--fg:#1f1f23;--muted:#6a6a72;--card:#fff;--line:#e2e0d8;--accent:#2557c7;--warn:#8a5200;--current:#2557c7}
@media (prefers-color-scheme:dark){:root{--bg:#151619;--fg:#e9e7e3;--muted:#9b9ba4;--card:#1e1f23;--line:#2f3137;--accent:#8db4ff;--warn:#f2b45c;--current:#8db4ff}}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
.top,main{max-width:60rem;margin:0 auto;padding:0 1rem}
.top{padding-top:2rem;padding-bottom:.5rem}
.top h1{margin:0;font-size:1.6rem;letter-spacing:-.01em}
.top p{margin:.25rem 0 0;color:var(--muted);font-size:.9rem}
kbd{font:inherit;font-size:.8em;border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;padding:0 .3em;background:var(--card)}
h2{font-size:1.15rem;margin:2.5rem 0 .75rem;padding-bottom:.35rem;border-bottom:2px solid var(--line)}
.strip{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem 1.1rem;margin:0 0 1.25rem;outline:none;scroll-margin-top:1rem}
.strip.current{border-color:var(--current);box-shadow:0 0 0 2px var(--current)}
.strip h3{margin:0;font-size:1.1rem;line-height:1.3;overflow-wrap:anywhere}
.strip .meta{margin:.15rem 0 .75rem;color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
a{color:var(--accent);text-decoration:none}
a:hover,a:focus-visible{text-decoration:underline}
figure{margin:0}
img{display:block;max-width:100%;height:auto;margin:0 auto;border-radius:2px}
figcaption{margin:.7rem 0 0;padding:.5rem .75rem;border-left:3px solid var(--line);color:var(--muted);font-size:.92rem;font-style:italic;overflow-wrap:anywhere}
.no-image{margin:.25rem 0;color:var(--muted);font-size:.9rem}
.warnings{margin:.75rem 0 0;padding:.5rem .75rem .5rem 1.75rem;color:var(--warn);font-size:.88rem;border-radius:6px;background:color-mix(in srgb,var(--warn) 9%,transparent)}
.open{margin:.75rem 0 0;font-size:.9rem}
.empty{margin:3rem 0;color:var(--muted);font-size:1.1rem}
`;

/**
 * Keyboard navigation (the page works without it): j or ↓ next strip, k or ↑
 * previous, o opens the current strip's page. Keys with a modifier, or typed into
 * a field, are left alone.
 */
const SCRIPT = `
(function () {
  var strips = Array.prototype.slice.call(document.querySelectorAll('article.strip'));
  var current = -1;
  function select(index) {
    if (strips.length === 0) return;
    current = Math.max(0, Math.min(strips.length - 1, index));
    strips.forEach(function (strip, i) { strip.classList.toggle('current', i === current); });
    strips[current].scrollIntoView({ block: 'start' });
    strips[current].focus({ preventScroll: true });
  }
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === 'j' || event.key === 'ArrowDown') select(current + 1);
    else if (event.key === 'k' || event.key === 'ArrowUp') select(current - 1);
    else if (event.key === 'o' && current >= 0) {
      var link = strips[current].querySelector('a.page');
      if (link) window.open(link.href, '_blank', 'noopener,noreferrer');
      else return;
    } else return;
    event.preventDefault();
  });
})();
`;
