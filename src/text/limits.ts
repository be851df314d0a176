/**
 * How much free text from a feed or page is kept: enough for any real title or
 * hover text, and never a 10 MB row that every `history` prints whole. The
 * README's "Limits" lists them.
 */
import { createHash } from 'node:crypto';

/** A strip's title. */
export const MAX_TITLE = 500;
/** An image's alt text or hover text (xkcd's run to several hundred characters). */
export const MAX_IMAGE_TEXT = 2000;
/** An error message or a reason kept in the store. */
export const MAX_MESSAGE = 1000;
/** An entry key; longer ones are kept as a hash of themselves. */
export const MAX_KEY = 1000;
/** A link; a longer one is not kept (no browser or server takes it). */
export const MAX_URL = 8192;

/**
 * `text` cut to at most `max` characters, with an ellipsis, never inside a
 * surrogate pair; null stays null.
 *
 * @example
 * capText('x'.repeat(10_000_000), 500)?.length // 500
 */
export function capText<T extends string | null>(text: T, max: number): T {
  if (text === null || text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…` as T;
}

/**
 * An entry key of at most MAX_KEY characters: a longer one becomes a hash of it,
 * so distinct keys stay distinct and the same key stays the same.
 *
 * @example
 * capKey('g1') // 'g1'
 */
export function capKey(key: string): string {
  return key.length <= MAX_KEY ? key : `sha1:${createHash('sha1').update(key).digest('hex')}`;
}
