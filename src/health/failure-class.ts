/** What kind of trouble a failing comic is in, from its error code. */
export type FailureClass = 'network' | 'http' | 'feed' | 'selector' | 'other';

const CLASSES: Record<string, FailureClass> = {
  E_NETWORK: 'network',
  E_TIMEOUT: 'network',
  E_HTTP_STATUS: 'http',
  E_REDIRECT: 'http',
  E_TOO_LARGE: 'http',
  E_UNSAFE_URL: 'http',
  E_FEED_PARSE: 'feed',
  E_NOT_A_FEED: 'feed',
  E_SELECTOR: 'selector',
};

/** How each class reads in a sentence. */
export const FAILURE_CLASS_LABELS: Record<FailureClass, string> = {
  network: 'network',
  http: 'HTTP status',
  feed: 'feed parse',
  selector: 'selector no longer matching',
  other: 'other',
};

/**
 * The failure class of an error code; null for no error, and for an
 * interruption (Ctrl-C says nothing about the comic).
 *
 * @example
 * failureClass('E_TIMEOUT') // 'network'
 * failureClass('E_NOT_A_FEED') // 'feed'
 */
export function failureClass(code: string | null | undefined): FailureClass | null {
  if (code === null || code === undefined || code === 'E_ABORTED') return null;
  return CLASSES[code] ?? 'other';
}
