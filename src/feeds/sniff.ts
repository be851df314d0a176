/**
 * What a fetched document is, decided from its first markup rather than from
 * the Content-Type, which feeds get wrong as often as right.
 */

/** Which XML vocabulary a feed uses: RSS 0.9x/2.0, RDF (RSS 0.90 and 1.0) or Atom. */
export type FeedMarkup = 'rss' | 'rdf' | 'atom';

/** The kinds of document {@link sniffDocument} tells apart. */
export type DocumentKind =
  | { kind: 'empty' }
  | { kind: 'json' }
  | { kind: 'html' }
  | { kind: 'text' }
  /** XML whose root is not a feed; `root` is its element name. */
  | { kind: 'xml'; root: string }
  /**
   * An RSS, RDF or Atom feed. `start` is where its markup begins, past any
   * junk a server printed first; `version` is feedparser's name for it.
   */
  | { kind: 'feed'; format: FeedMarkup; version: string; start: number };

// A root element and its attributes; the name may carry any prefix (rdf:RDF, atom:feed).
const FEED_ROOT = /<(?:[A-Za-z_][\w.-]*:)?(rss|rdf|feed)(?=[\s>/])([^>]*)>/gi;
const FIRST_TAG = /<([A-Za-z_][\w.:-]*)/g;
const HTML_ROOTS = new Set(['html', 'head', 'body', 'meta', 'title', 'script', 'div', 'p', 'link', 'style', 'table']);

/**
 * Classifies a decoded document. A feed root found after unrelated leading
 * text (PHP warnings, stray whitespace, a misplaced XML declaration) still
 * counts as a feed; a document that opens as HTML does not.
 *
 * @example
 * sniffDocument('<?xml version="1.0"?><rss version="2.0"><channel/></rss>');
 * // { kind: 'feed', format: 'rss', version: 'rss20', start: 0 }
 */
export function sniffDocument(text: string): DocumentKind {
  const lead = /[^\s\uFEFF]/.exec(text);
  if (lead === null) return { kind: 'empty' };
  if (lead[0] === '{' || lead[0] === '[') return { kind: 'json' };

  const prolog = skipProlog(text);
  FIRST_TAG.lastIndex = prolog.end;
  const first = FIRST_TAG.exec(text);
  const firstName = first?.[1]?.toLowerCase() ?? null;
  const firstIsFeedRoot = firstName !== null && /^(?:[\w.-]+:)?(?:rss|rdf|feed)$/.test(firstName);
  // An HTML DOCTYPE in front of <rss> is a template mistake, not a web page.
  if (!firstIsFeedRoot && (prolog.htmlDoctype || (firstName !== null && HTML_ROOTS.has(firstName)))) return { kind: 'html' };

  FEED_ROOT.lastIndex = prolog.end;
  const root = FEED_ROOT.exec(text);
  if (root === null) {
    if (first === null) return { kind: 'text' };
    return { kind: 'xml', root: first[1] as string };
  }
  const name = (root[1] ?? '').toLowerCase();
  const attributes = root[2] ?? '';
  // Anything but prolog before the root (PHP warnings, a stray BOM in the
  // middle, text) would stop an XML parser: start at the root instead. The
  // text is already decoded, so losing the XML declaration costs nothing.
  const rootIsFirst = !prolog.junk && first !== null && first.index === root.index;
  const start = rootIsFirst ? 0 : root.index;
  if (name === 'feed') return { kind: 'feed', format: 'atom', version: atomVersion(attributes), start };
  if (name === 'rdf') return { kind: 'feed', format: 'rdf', version: rdfVersion(text, attributes), start };
  return { kind: 'feed', format: 'rss', version: rssVersion(attributes, prolog.doctype), start };
}

interface Prolog {
  /** Offset of the first thing that is not prolog. */
  end: number;
  doctype: string | null;
  htmlDoctype: boolean;
  /** True when something other than prolog markup comes before the first element. */
  junk: boolean;
}

/** Skips BOM, whitespace, `<?...?>`, comments and DOCTYPE at the start. */
function skipProlog(text: string): Prolog {
  let i = 0;
  let doctype: string | null = null;
  for (;;) {
    while (i < text.length && /[\s\uFEFF]/.test(text[i] as string)) i++;
    if (text.startsWith('<?', i)) {
      const close = text.indexOf('?>', i);
      if (close < 0) break;
      i = close + 2;
    } else if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i);
      if (close < 0) break;
      i = close + 3;
    } else if (/^<!doctype/i.test(text.slice(i, i + 9))) {
      const close = doctypeEnd(text, i);
      doctype = text.slice(i, close);
      i = close;
    } else break;
  }
  return {
    end: i,
    doctype,
    htmlDoctype: doctype !== null && /^<!doctype\s+html/i.test(doctype),
    junk: i < text.length && text[i] !== '<',
  };
}

/** End of a DOCTYPE, past an internal subset `[...]` if it has one. */
function doctypeEnd(text: string, from: number): number {
  const bracket = text.indexOf('[', from);
  const close = text.indexOf('>', from);
  if (close < 0) return text.length;
  if (bracket >= 0 && bracket < close) {
    const subsetEnd = text.indexOf(']', bracket);
    const after = subsetEnd < 0 ? -1 : text.indexOf('>', subsetEnd);
    return after < 0 ? text.length : after + 1;
  }
  return close + 1;
}

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(attributes);
  return match ? (match[1] ?? match[2] ?? '').trim() : null;
}

const RSS_VERSIONS: Record<string, string> = {
  '0.91': 'rss091u',
  '0.92': 'rss092',
  '0.93': 'rss093',
  '0.94': 'rss094',
};

function rssVersion(attributes: string, doctype: string | null): string {
  const version = attribute(attributes, 'version') ?? '';
  if (version === '0.91' && doctype !== null && /netscape/i.test(doctype)) return 'rss091n';
  const known = RSS_VERSIONS[version];
  if (known !== undefined) return known;
  return version.startsWith('2.') ? 'rss20' : 'rss';
}

function rdfVersion(text: string, attributes: string): string {
  // The RSS namespace may be declared on the root or on <channel>/<item>.
  const scope = attributes + text.slice(0, 4096);
  if (/my\.netscape\.com\/rdf\/simple\/0\.9/i.test(scope)) return 'rss090';
  return 'rss10';
}

function atomVersion(attributes: string): string {
  const version = attribute(attributes, 'version');
  if (version === '0.3' || /purl\.org\/atom\/ns#/i.test(attributes)) return 'atom03';
  if (/www\.w3\.org\/2005\/Atom/i.test(attributes)) return 'atom10';
  return 'atom';
}
