import type { ImportItem, ParsedList, Rejected } from './types.js';

/**
 * Reads a newsboat `urls` file: one feed per line, `URL tag "tag with spaces"`,
 * with `#` comments, `"~Title"` naming the feed and `"!"` hiding it (ignored
 * here). Tags become the comic's tags. `query:` feeds (newsboat searches) and
 * `exec:` / `filter:` feeds (local programs) cannot be followed and are
 * rejected with their line number, as is anything that is not an http(s) URL.
 *
 * @example
 * readNewsboatUrls('https://xkcd.com/atom.xml comics "daily strips" "~xkcd"\n').items[0]?.entry
 * // { name: 'xkcd', feed: 'https://xkcd.com/atom.xml', tags: ['comics', 'daily strips'] }
 */
export function readNewsboatUrls(text: string): ParsedList {
  const items: ImportItem[] = [];
  const rejected: Rejected[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const where = `line ${index + 1}`;
    let tokens: string[];
    try {
      tokens = tokenize(line);
    } catch (error) {
      rejected.push({ where, reason: (error as Error).message });
      return;
    }
    const [url, ...rest] = tokens;
    if (url === undefined) return;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
    if (scheme === 'query') return void rejected.push({ where, reason: 'a query feed is a newsboat search, not a feed to follow' });
    if (scheme === 'exec' || scheme === 'filter') {
      return void rejected.push({ where, reason: `an ${scheme}: feed runs a program on this machine; follow the feed it reads with comics add instead` });
    }
    if (scheme !== 'http' && scheme !== 'https') return void rejected.push({ where, reason: `${JSON.stringify(url)} is not an http(s) URL` });
    let name = '';
    const tags: string[] = [];
    for (const token of rest) {
      if (token.startsWith('~')) name = token.slice(1).trim();
      else if (token === '!' || token.trim() === '') continue;
      else if (!tags.includes(token)) tags.push(token);
    }
    items.push({ where, entry: { name, feed: url, ...(tags.length > 0 ? { tags } : {}) }, snapshot: null });
  });
  return { format: 'newsboat', items, rejected };
}

/** Splits a line as newsboat does: blanks separate, double quotes group (with \" and \\ escapes), # starts a comment. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      i++;
      continue;
    }
    if (ch === '#') break;
    if (ch === '"') {
      let token = '';
      i++;
      for (;;) {
        if (i >= line.length) throw new Error('a quoted tag is not closed');
        const c = line[i]!;
        if (c === '\\' && i + 1 < line.length) {
          token += line[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          token += c;
          i++;
        }
      }
      tokens.push(token);
      continue;
    }
    let token = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') token += line[i++];
    tokens.push(token);
  }
  return tokens;
}
