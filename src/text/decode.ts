/**
 * Bytes to text for feeds, pages and JSON, following what browsers and
 * Python's feedparser do when a document's charset is declared in more than one
 * place, in none, or wrongly.
 */

/** What the bytes are meant to be; decides which in-document declaration is read. */
export type TextKind = 'xml' | 'html' | 'json';

/** Options for {@link decodeText}. */
export interface DecodeTextOptions {
  /** The HTTP Content-Type header, if any; its `charset` parameter is a declaration. */
  contentType?: string | null;
  /** Which in-document declaration to look for. */
  kind: TextKind;
}

/**
 * Decodes a fetched body to a string, without a byte order mark.
 *
 * Precedence: byte order mark, then the Content-Type `charset`, then the
 * document's own declaration (`<?xml encoding>` or `<meta charset>`), then
 * UTF-8 when the bytes are valid UTF-8, then windows-1252. A declared charset
 * is skipped when it is unknown, and not trusted when the bytes say otherwise:
 * a "UTF-8" that is not valid UTF-8 falls through to the next candidate, and
 * a legacy charset whose decoding produces U+FFFD, or that contradicts a UTF-8
 * declaration elsewhere, loses to UTF-8 when the bytes decode cleanly as UTF-8
 * (servers that label everything ISO-8859-1 are common; valid multi-byte UTF-8
 * by accident is not). Unlike RFC 3023, which feedparser follows, a text/xml
 * body without a header charset is not taken as US-ASCII: its own
 * declaration is read, as for application/xml.
 *
 * @example
 * decodeText(bytes, { contentType: 'application/rss+xml; charset=iso-8859-1', kind: 'xml' });
 * decodeText(new TextEncoder().encode('<p>Caf\u00e9</p>'), { kind: 'html' }); // '<p>Café</p>'
 */
export function decodeText(bytes: Uint8Array, options: DecodeTextOptions): string {
  const bom = sniffBom(bytes);
  if (bom !== null) return stripBom(decodeWith(bom.encoding, bytes.subarray(bom.length)));

  const wide = options.kind === 'html' ? null : sniffWideEncoding(bytes);
  if (wide !== null) return stripBom(decodeWith(wide, bytes));

  const declared: string[] = [];
  const fromHeader = normaliseLabel(charsetFromContentType(options.contentType));
  if (fromHeader !== null) declared.push(fromHeader);
  const inDocument =
    options.kind === 'xml'
      ? xmlDeclaredEncoding(bytes)
      : options.kind === 'html'
        ? htmlDeclaredEncoding(bytes)
        : null;
  const fromDocument = asciiCompatible(normaliseLabel(inDocument));
  if (fromDocument !== null) declared.push(fromDocument);

  const utf8 = tryUtf8(bytes);
  // Valid UTF-8 that is not plain ASCII: strong evidence of UTF-8, whatever is declared.
  const multiByteUtf8 = utf8 !== null && utf8.length < bytes.length;
  for (const encoding of declared) {
    if (encoding === 'utf-8') {
      if (utf8 !== null) return stripBom(utf8);
      continue;
    }
    if (isWide(encoding)) {
      // Declared UTF-16/32 but the declaration itself was readable as ASCII,
      // so the bytes cannot be that encoding.
      continue;
    }
    if (multiByteUtf8 && declared.includes('utf-8')) return stripBom(utf8);
    const text = decodeWith(encoding, bytes);
    if (multiByteUtf8 && text.includes('\uFFFD')) return stripBom(utf8);
    return stripBom(text);
  }
  if (utf8 !== null) return stripBom(utf8);
  return stripBom(decodeWith('windows-1252', bytes));
}

/**
 * The `charset` parameter of a Content-Type header, unquoted, or null.
 *
 * @example
 * charsetFromContentType('text/html; charset="Shift_JIS"'); // 'Shift_JIS'
 */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;]+))/i.exec(contentType);
  const value = (match?.[1] ?? match?.[2] ?? match?.[3] ?? '').trim();
  return value === '' ? null : value;
}

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8_FATAL.decode(bytes);
  } catch {
    return null;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function sniffBom(bytes: Uint8Array): { encoding: string; length: number } | null {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', length: 4 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return null;
}

/**
 * UTF-16/32 without a byte order mark, recognised from how the first
 * character (`<` for XML, `{` or `[` for JSON) is laid out, as feedparser and
 * the XML spec's appendix F do.
 */
function sniffWideEncoding(bytes: Uint8Array): string | null {
  if (bytes.length < 4) return null;
  const [a, b, c, d] = bytes as unknown as [number, number, number, number];
  const opener = (x: number): boolean => x === 0x3c || x === 0x7b || x === 0x5b;
  if (a === 0 && b === 0 && c === 0 && opener(d)) return 'utf-32be';
  if (opener(a) && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && opener(b) && c === 0 && d !== 0) return 'utf-16be';
  if (opener(a) && b === 0 && c !== 0 && d === 0) return 'utf-16le';
  return null;
}

function isWide(encoding: string): boolean {
  return encoding.startsWith('utf-16') || encoding.startsWith('utf-32');
}

/** A UTF-16/32 label found by reading the bytes as ASCII cannot be right. */
function asciiCompatible(encoding: string | null): string | null {
  return encoding !== null && isWide(encoding) ? null : encoding;
}

/** Latin-1 view of the head of the document, for finding ASCII declarations. */
function head(bytes: Uint8Array, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, length)).toString('latin1');
}

function xmlDeclaredEncoding(bytes: Uint8Array): string | null {
  // Not anchored at the start: real feeds put whitespace, comments or junk
  // before the declaration and parsers still read them.
  const match = /<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head(bytes, 1024));
  return match?.[1] ?? null;
}

function htmlDeclaredEncoding(bytes: Uint8Array): string | null {
  const text = head(bytes, 4096);
  const metas = text.match(/<meta\s[^>]*>/gi) ?? [];
  for (const meta of metas) {
    const charset = /\scharset\s*=\s*["']?\s*([^\s"'/>;]+)/i.exec(meta);
    if (charset?.[1]) return charset[1];
    if (/http-equiv\s*=\s*["']?content-type/i.test(meta)) {
      const content = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(meta);
      const value = content?.[1] ?? content?.[2] ?? content?.[3];
      const fromContent = charsetFromContentType(value ?? null);
      if (fromContent !== null) return fromContent;
    }
  }
  return null;
}

/** Labels Python and Java accept but the WHATWG Encoding Standard does not. */
const EXTRA_ALIASES: Record<string, string> = {
  cp932: 'shift_jis',
  cp936: 'gbk',
  'windows-936': 'gbk',
  cp949: 'euc-kr',
  ms949: 'euc-kr',
  uhc: 'euc-kr',
  cp950: 'big5',
  eucjp: 'euc-jp',
  'euc-jp': 'euc-jp',
  koi8r: 'koi8-r',
  koi8u: 'koi8-u',
  'utf-32': 'utf-32le',
  utf32: 'utf-32le',
  'utf-32le': 'utf-32le',
  'utf-32be': 'utf-32be',
  'ucs-4': 'utf-32le',
};

const labelCache = new Map<string, string | null>();

/**
 * The canonical WHATWG encoding name for a label, or null when no decoder
 * exists for it (unknown labels, and the "replacement" encodings such as
 * ISO-2022-KR that would decode to a single U+FFFD).
 */
function normaliseLabel(label: string | null): string | null {
  if (label === null) return null;
  const key = label.trim().toLowerCase();
  const cached = labelCache.get(key);
  if (cached !== undefined) return cached;
  const candidates = [key, key.replace(/_/g, '-')];
  const windows = /^(?:cp|win|windows)[-_]?(12[5-9]\d)$/.exec(key);
  if (windows) candidates.push(`windows-${windows[1]}`);
  const iso = /^iso[-_ ]?8859[-_ ]?(\d+)$/.exec(key);
  if (iso) candidates.push(`iso-8859-${iso[1]}`);
  let found: string | null = null;
  for (const candidate of candidates) {
    const alias = EXTRA_ALIASES[candidate];
    if (alias !== undefined) {
      found = alias;
      break;
    }
    try {
      found = new TextDecoder(candidate).encoding;
      break;
    } catch {
      // Not a label this runtime knows; try the next spelling.
    }
  }
  labelCache.set(key, found);
  return found;
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return decodeUtf32(bytes, encoding === 'utf-32le');
  const text = new TextDecoder(encoding).decode(bytes);
  return encoding === 'windows-1252' ? fixWindows1252(text) : text;
}

// windows-1252's characters for bytes 0x80-0x9F (the five undefined bytes map
// to themselves, as in the WHATWG index).
const WINDOWS_1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1 = /[\u0080-\u009f]/g;

/**
 * Node 20.18.3 and later decode windows-1252 (and so ISO-8859-1 and ASCII,
 * which WHATWG maps to it) as Latin-1, turning curly quotes and the euro sign
 * into C1 controls (nodejs/node#60888). Mapping them back is right on fixed
 * versions too, where no such controls come out.
 */
function fixWindows1252(text: string): string {
  C1.lastIndex = 0;
  if (!C1.test(text)) return text;
  return text.replace(C1, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] as string);
}

/** WHATWG TextDecoder has no UTF-32; it is rare enough that a plain loop will do. */
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  let chunk: number[] = [];
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const cp = view.getUint32(i, littleEndian);
    chunk.push(cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp);
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  return parts.join('');
}
