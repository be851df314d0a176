/**
 * Names on disk: a comic's folder and a strip's file. Pure functions over text,
 * so hostile names (a feed's title, a comic called `../x`) are tested without a disk.
 */

// C0 and C1 controls, DEL and bidi overrides: never part of a name.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Path separators, and what Windows and macOS refuse in names.
const FORBIDDEN = /[/\\<>:"|?*]/g;
// Windows device names, reserved with any extension and in any case.
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Most UTF-8 bytes of a folder name (file systems allow 255 for a whole name). */
const FOLDER_BYTES = 100;
/** Most UTF-8 bytes of a strip title in a file name. */
const TITLE_BYTES = 120;

/**
 * Text made safe as one path segment: no separators, controls or forbidden
 * characters, no leading dot (no hidden names, no `.` or `..`), no trailing dots
 * or spaces (Windows drops them), at most `maxBytes` of UTF-8; '' when nothing is left.
 *
 * @example
 * safeSegment('../x', 100) // '_x'
 */
export function safeSegment(text: string, maxBytes: number): string {
  const cleaned = text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(FORBIDDEN, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  return truncateUtf8(cleaned, maxBytes).replace(/[.\s]+$/, '');
}

/**
 * The folder a comic's files go in, from its name: safe on Linux, macOS and
 * Windows. Two comics whose names give the same folder are kept apart by the
 * store, which numbers the second (see ArchiveStore.folderFor).
 *
 * @example
 * folderName('../x') // '_x'
 * folderName('con')  // '_con'
 * folderName('Ünïcödé 漫画') // 'Ünïcödé 漫画'
 */
export function folderName(comic: string): string {
  const name = safeSegment(comic, FOLDER_BYTES);
  if (name === '') return 'comic';
  return RESERVED.test(name.split('.')[0]!) ? `_${name}` : name;
}

/**
 * How two folder names are compared for clashes: case and Unicode composition
 * do not tell folders apart on macOS and Windows.
 *
 * @example
 * folderKey('XKCD') === folderKey('xkcd') // true
 */
export function folderKey(folder: string): string {
  return folder.normalize('NFC').toLowerCase();
}

/** What a strip's file is named from. */
export interface FileNameParts {
  /** The strip's place in the comic, oldest first, from 1. */
  number: number;
  /** Digits the number is padded to, so names sort as text. */
  width: number;
  /** ISO 8601 or null. */
  published: string | null;
  title: string | null;
  /** From the bytes (see sniffImage). */
  ext: string;
}

/**
 * A strip's file name, which sorts in publication order:
 * `<number> <date> <title>.<ext>`, leaving out what the strip lacks.
 *
 * @example
 * fileName({ number: 1, width: 4, published: '2024-05-01T00:00:00Z', title: 'Title', ext: 'png' }) // '0001 2024-05-01 Title.png'
 */
export function fileName(parts: FileNameParts): string {
  const words = [String(parts.number).padStart(parts.width, '0')];
  const date = parts.published?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];
  if (date !== undefined) words.push(date);
  const title = safeSegment(parts.title ?? '', TITLE_BYTES);
  if (title !== '') words.push(title);
  return `${words.join(' ')}.${parts.ext}`;
}

/**
 * Digits for numbering `count` strips: at least 4, so names keep sorting as the comic grows
 * (renaming when it passes 9999).
 */
export function numberWidth(count: number): number {
  return Math.max(4, String(count).length);
}

/**
 * The `n`th name to try when `name` is taken: `a.png`, `a (2).png`, `a (3).png`...
 *
 * @example
 * nthName('0001 Title.png', 2) // '0001 Title (2).png'
 */
export function nthName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? `${name} (${n})` : `${name.slice(0, dot)} (${n})${name.slice(dot)}`;
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}
