import { ComicsError } from '../errors.js';

/** Binary units for messages: "16 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** The error for a body over the size cap, whether announced by Content-Length or found while reading. */
export function tooLargeError(maxBytes: number, url: string): ComicsError {
  return new ComicsError(
    'E_TOO_LARGE',
    `Response body is larger than ${formatBytes(maxBytes)} (after decompression): GET ${url}`,
    { url },
  );
}

/**
 * Reads a (decompressed) body stream, refusing to hold more than `maxBytes`:
 * an endless or huge body is cut off with E_TOO_LARGE instead of filling memory.
 * With `keep: false` the bytes are only counted, so the connection can be reused
 * without keeping a body nobody wants.
 */
export async function readCapped(
  stream: AsyncIterable<Uint8Array> | null,
  options: { maxBytes: number; keep: boolean; url: string; onTooLarge: () => void },
): Promise<{ body: Uint8Array; bytes: number }> {
  if (stream === null) return { body: new Uint8Array(0), bytes: 0 };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  // Leaving the loop early (the throw) cancels the stream.
  for await (const chunk of stream) {
    bytes += chunk.byteLength;
    if (bytes > options.maxBytes) {
      options.onTooLarge();
      throw tooLargeError(options.maxBytes, options.url);
    }
    if (options.keep) chunks.push(chunk);
  }
  if (!options.keep) return { body: new Uint8Array(0), bytes };
  if (chunks.length === 1) return { body: chunks[0]!, bytes };
  const body = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { body, bytes };
}
