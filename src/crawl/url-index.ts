/**
 * The URLs a run already has, each mapped to its row id, keyed by a 53-bit hash
 * of the URL rather than the string: about 30 bytes a URL, so the dedup index of a
 * 20,000-page crawl is well under a megabyte, and checking a link costs no SQL.
 *
 * Two different URLs share a 53-bit hash with odds of about n²/2⁵⁴ (1 in 45
 * million for 20,000 URLs; 1 in 36,000 for a million): the cost of such a
 * collision is one URL not crawled, which the store's UNIQUE (run, url) would
 * otherwise have caught at several microseconds a link.
 *
 * @example
 * const index = new UrlIndex();
 * index.set('https://xkcd.com/1/', 7);
 * index.get('https://xkcd.com/1/') // 7
 */
export class UrlIndex {
  readonly #ids = new Map<number, number>();

  get size(): number {
    return this.#ids.size;
  }

  get(url: string): number | undefined {
    return this.#ids.get(hash53(url));
  }

  set(url: string, id: number): void {
    this.#ids.set(hash53(url), id);
  }
}

/**
 * cyrb53 (public domain, bryc): a fast 53-bit string hash with good dispersion,
 * returned as a safe integer.
 *
 * @example
 * hash53('https://xkcd.com/') === hash53('https://xkcd.com/') // true
 */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
