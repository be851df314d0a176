import { png as drawPng } from './png.js';

/**
 * Real image bytes for fixtures, different for every seed: PNG (any size, the seed
 * in its colour), GIF and JPEG (1×1, the seed in a colour or a comment).
 */

/** A valid RGB PNG of `width`×`height` pixels in a colour of its own, from `seed` (seeds below 2^24 differ). */
export function png(seed: number, width = 16, height = 16): Buffer {
  return drawPng(width, height, [[seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff]]);
}

/** A valid 1×1 GIF89a whose colour comes from `seed`. */
export function gif(seed: number): Buffer {
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]),
    Buffer.from([seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff, 0, 0, 0]),
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b]),
  ]);
}

// A 1×1 baseline JPEG (SOI, JFIF, DQT, SOF0, DHT, SOS, EOI).
const JPEG_1X1 = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAYABgAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/APn+iiigD//Z',
  'base64',
);

/** A valid 1×1 JPEG carrying `seed` in a comment segment. */
export function jpeg(seed: number): Buffer {
  const text = Buffer.from(`seed ${seed}`, 'latin1');
  const comment = Buffer.alloc(4);
  comment.set([0xff, 0xfe], 0);
  comment.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([JPEG_1X1.subarray(0, 2), comment, text, JPEG_1X1.subarray(2)]);
}
