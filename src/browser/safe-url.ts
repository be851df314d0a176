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
