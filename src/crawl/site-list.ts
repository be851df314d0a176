import { normaliseUrl } from './url.js';

/** A line of a site list that is not a URL the crawler can use. */
export interface SiteListProblem {
  /** 1-based. */
  line: number;
  message: string;
}

export interface SiteList {
  /** Normalised http(s) seed URLs, in file order, each once. */
  seeds: string[];
  problems: SiteListProblem[];
}

/**
 * Reads a site list: one URL a line; `#` starts a comment (a whole line, or after
 * whitespace at the end of one); blank lines are ignored. A line that is not an
 * absolute http(s) URL is reported with its line number and skipped.
 *
 * @example
 * parseSiteList('# comics\nhttps://xkcd.com/\nxkcd.com  # oops\n')
 * // { seeds: ['https://xkcd.com/'], problems: [{ line: 3, message: 'not an absolute http(s) URL: "xkcd.com"' }] }
 */
export function parseSiteList(text: string): SiteList {
  const seeds: string[] = [];
  const problems: SiteListProblem[] = [];
  const seen = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (/\s/.test(line)) {
      problems.push({ line: index + 1, message: `expected one URL, got ${JSON.stringify(line)}` });
      return;
    }
    const url = /^https?:\/\//i.test(line) ? normaliseUrl(line) : null;
    if (url === null) {
      problems.push({ line: index + 1, message: `not an absolute http(s) URL: ${JSON.stringify(line)}` });
      return;
    }
    if (!seen.has(url)) {
      seen.add(url);
      seeds.push(url);
    }
  });
  return { seeds, problems };
}
