/**
 * Whether bytes served as an image are one, and which: the extension of an
 * archived file comes from here, never from the URL.
 */

/** A known image format. */
export interface ImageType {
  ext: 'png' | 'jpg' | 'gif' | 'webp' | 'avif' | 'svg';
  mime: string;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (bytes: Uint8Array, from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

/**
 * The image format of a response body, or why it is refused: the Content-Type
 * must be `image/*` and the first bytes a known format (PNG, JPEG, GIF, WebP,
 * AVIF; SVG only when served as image/svg+xml, and kept as a file of its own).
 * An HTML page served as `image/png` (a "hotlinking denied" page) is refused.
 *
 * @example
 * sniffImage(pngBytes, 'image/png') // { ext: 'png', mime: 'image/png' }
 * sniffImage(Buffer.from('<!doctype html>...'), 'image/png') // { refused: 'an HTML page, not an image, was served as image/png (hotlinking refused?)' }
 */
export function sniffImage(bytes: Uint8Array, contentType: string | null): ImageType | { refused: string } {
  const mime = contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
  if (!mime.startsWith('image/')) {
    return { refused: mime === '' ? 'no Content-Type, expected image/*' : `served as ${mime}, not as an image` };
  }
  if (bytes.byteLength === 0) return { refused: `an empty body was served as ${mime}` };
  if (PNG.every((byte, i) => bytes[i] === byte)) return { ext: 'png', mime: 'image/png' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { ext: 'jpg', mime: 'image/jpeg' };
  const head = ascii(bytes, 0, 12);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { ext: 'gif', mime: 'image/gif' };
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return { ext: 'webp', mime: 'image/webp' };
  if (isAvif(bytes)) return { ext: 'avif', mime: 'image/avif' };
  const text = new TextDecoder().decode(bytes.subarray(0, 4096)).replace(/^\ufeff/, '').trimStart().toLowerCase();
  const html = /^<(?:!doctype html|html|head|body|title|meta|p[\s>]|div)/.test(text);
  if (mime === 'image/svg+xml' && !html && /^<(?:\?xml|svg|!--|!doctype svg)/.test(text) && text.includes('<svg')) {
    return { ext: 'svg', mime: 'image/svg+xml' };
  }
  if (html) return { refused: `an HTML page, not an image, was served as ${mime} (hotlinking refused?)` };
  const first = [...bytes.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return { refused: `not a known image format (first bytes ${first}) served as ${mime}` };
}

/** An ISO-BMFF `ftyp` box naming AVIF as its major or a compatible brand. */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const size = Math.min(bytes.byteLength, ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
  for (let at = 8; at + 4 <= size; at += 4) {
    if (at === 12) continue; // minor version, not a brand
    const brand = ascii(bytes, at, at + 4);
    if (brand === 'avif' || brand === 'avis') return true;
  }
  return false;
}
