import { errorMessage, isComicsError } from '../errors.js';
import { expectOk, type Validators } from '../http/client.js';
import { sniffImage, type ImageType } from './image-type.js';
import type { PoliteRequests } from './polite-requests.js';

/** What a browser asks for when it loads an `<img>`. */
export const IMAGE_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';

/** Default cap on one image: 32 MiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 32 * 1024 * 1024;

export interface ImageRequest {
  url: string;
  /** The strip's page, sent as Referer as a browser would (image hosts refuse hotlinks without it). */
  referer: string | null;
  /** Of the file this URL gave before, for a conditional request. */
  validators: Validators | null;
  maxBytes: number;
}

export type ImageOutcome =
  | { kind: 'image'; bytes: Uint8Array; type: ImageType; contentType: string; finalUrl: string; validators: Validators }
  /** 304 to the validators given: the bytes archived before. */
  | { kind: 'not-modified' }
  /** Why this image is not kept: a status, a network failure, robots.txt, not an image, too large. */
  | { kind: 'refused'; reason: string };

/**
 * Fetches one strip image politely and keeps it only if it is one: an `image/*`
 * response whose bytes are a known format, under the size cap. Every failure is
 * a reason for that strip; only an abort rejects (E_ABORTED).
 *
 * @example
 * const outcome = await fetchImage(requests, { url, referer: strip.url, validators: null, maxBytes: DEFAULT_MAX_IMAGE_BYTES });
 * if (outcome.kind === 'image') outcome.type.ext // 'png'
 */
export async function fetchImage(requests: PoliteRequests, request: ImageRequest): Promise<ImageOutcome> {
  let response;
  try {
    response = expectOk(
      await requests.get(request.url, {
        kind: 'image',
        accept: IMAGE_ACCEPT,
        ...(request.referer === null ? {} : { headers: { referer: request.referer } }),
        validators: request.validators,
        maxBytes: request.maxBytes,
        // An HTML page served as text/html is refused from its head; one served as image/* is read to be recognised.
        keepBody: (head) => head.status >= 200 && head.status < 300 && /^\s*image\//i.test(head.contentType ?? ''),
      }),
    );
  } catch (error) {
    if (isComicsError(error, 'E_ABORTED')) throw error;
    return { kind: 'refused', reason: errorMessage(error) };
  }
  if (response.notModified) return { kind: 'not-modified' };
  const type = sniffImage(response.body, response.contentType);
  if ('refused' in type) return { kind: 'refused', reason: `Not an image: ${type.refused}: GET ${response.finalUrl}` };
  return {
    kind: 'image',
    bytes: response.body,
    type,
    contentType: response.contentType ?? type.mime,
    finalUrl: response.finalUrl,
    validators: response.validators,
  };
}
