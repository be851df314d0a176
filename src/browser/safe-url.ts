import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Only http(s) URLs ever reach the browser: a feed is untrusted input, and
 * `javascript:`, `file:`, `data:` or an argument-looking `-string` must never be
 * handed to a launcher.
 *
 * @returns the normalised URL, or the reason it is refused
 * @example
 * browserUrl('https://xkcd.com/1/') // { url: 'https://xkcd.com/1/' }
 * browserUrl('javascript:alert(1)') // { reason: 'javascript: URLs are never opened' }
 */
export function browserUrl(url: string | null | undefined): { url: string } | { reason: string } {
  if (url === null || url === undefined || url.trim() === '') return { reason: 'the entry has no link' };
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return { reason: 'the link is not an absolute URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { reason: `${parsed.protocol} URLs are never opened` };
  }
  return { url: parsed.href };
}

/**
 * The launcher's gate: http(s) URLs as {@link browserUrl} passes them, and a
 * `file:` URL only when it is exactly `page`, the digest page this run wrote
 * (an absolute path). Nothing from a feed ever reaches the browser as `file:`.
 *
 * @example
 * launchableUrl('file:///home/me/data/digest/2026-12-05T07-30-01.html', '/home/me/data/digest/2026-12-05T07-30-01.html')
 * // { url: 'file:///home/me/data/digest/2026-12-05T07-30-01.html' }
 * launchableUrl('file:///etc/passwd', '/home/me/data/digest/2026-12-05T07-30-01.html')
 * // { reason: 'file: URLs are never opened' }
 */
export function launchableUrl(url: string, page?: string | null): { url: string } | { reason: string } {
  if (page && isAbsolute(page) && url === pathToFileURL(page).href) return { url };
  return browserUrl(url);
}
