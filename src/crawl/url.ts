/**
 * URL normalisation for the crawler: one spelling per page, so each page is
 * fetched at most once per run.
 */

/**
 * Resolves `href` against `base` and returns the normalised absolute URL, or null
 * when it is not an http(s) URL (mailto:, javascript:, tel:, data:, ...) or does not parse.
 * The WHATWG parser already lower-cases scheme and host, drops default ports and
 * resolves dot segments; on top of that the fragment and an empty `?` are dropped.
 *
 * @example
 * normaliseUrl('../b/./c.html#top', 'HTTP://Example.COM:80/a/x.html') // 'http://example.com/b/c.html'
 * normaliseUrl('mailto:me@example.com', 'https://example.com/') // null
 */
export function normaliseUrl(href: string, base?: string | URL): string | null {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return withoutFragment(url.href);
}

/**
 * A serialised URL without its fragment and without an empty `?`: the last step of
 * {@link normaliseUrl}, for callers that build the serialised form themselves.
 *
 * @example
 * withoutFragment('https://x.test/a?#top') // 'https://x.test/a'
 */
export function withoutFragment(serialised: string): string {
  // A serialised URL has no raw '#' before its fragment, so the first one starts it.
  const hash = serialised.indexOf('#');
  const text = hash >= 0 ? serialised.slice(0, hash) : serialised;
  return text.endsWith('?') ? text.slice(0, -1) : text;
}

/**
 * The site a URL belongs to: its host without a leading `www.`, with the port when
 * it is not the scheme's default. Scheme is left out, so `http://example.com`,
 * `https://example.com` and `https://www.example.com` are one site (an upgrade to
 * https or a www redirect stays in scope). `url` must be normalised (see
 * {@link normaliseUrl}): the host is read off the string without parsing it again.
 *
 * @example
 * siteKey('https://www.example.com/comic/1') // 'example.com'
 * siteKey('http://127.0.0.2:8080/') // '127.0.0.2:8080'
 */
export function siteKey(url: string): string {
  const host = hostOf(url);
  return host.startsWith('www.') ? host.slice(4) : host;
}

/**
 * The `host` (hostname and non-default port) of a normalised URL, read off the string.
 *
 * @example
 * hostOf('https://user@example.com:8443/a') // 'example.com:8443'
 */
export function hostOf(url: string): string {
  const start = url.indexOf('//') + 2;
  let end = url.indexOf('/', start);
  if (end < 0) end = url.length;
  const at = url.lastIndexOf('@', end);
  return url.slice(at >= start ? at + 1 : start, end);
}

/**
 * The origin (`scheme://host`) of a normalised URL, read off the string.
 *
 * @example
 * originOf('https://example.com:8443/a/b') // 'https://example.com:8443'
 */
export function originOf(url: string): string {
  const scheme = url.indexOf('//');
  return `${url.slice(0, scheme + 2)}${hostOf(url)}`;
}
