import { createRequire } from 'node:module';

type Htmlparser2 = typeof import('htmlparser2');
let library: Htmlparser2 | undefined;

/**
 * htmlparser2's streaming Parser, loaded on first use: reading a feed's HTML
 * (titles, images, repairs) is only needed when a feed is parsed, and a check
 * where every feed answers 304 should not pay for loading it.
 *
 * @example
 * const parser = new (htmlParser())({ ontext: (text) => parts.push(text) });
 */
export function htmlParser(): Htmlparser2['Parser'] {
  library ??= createRequire(import.meta.url)('htmlparser2') as Htmlparser2;
  return library.Parser;
}
