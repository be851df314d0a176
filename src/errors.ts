/**
 * Every error the program expects to happen carries a stable string `code`.
 * Callers match on `code`, never on the class, so errors survive being
 * serialised into the store or a JSON report.
 *
 * @example
 * throw new ComicsError('E_HTTP_STATUS', 'Request failed with status 404 Not Found: GET https://x.test/feed', { url: 'https://x.test/feed', status: 404 });
 */
export type ErrorCode =
  /** Bad command-line usage (exit 2). */
  | 'E_USAGE'
  /** Invalid or unreadable configuration file (exit 2). */
  | 'E_CONFIG'
  /** The SQLite store could not be opened or written. */
  | 'E_STORE'
  /** Lookup of a comic, run or other named thing failed. */
  | 'E_NOT_FOUND'
  /** Connection refused, reset, DNS failure and other transport errors. */
  | 'E_NETWORK'
  /** No complete response within the per-request timeout. */
  | 'E_TIMEOUT'
  /** The caller aborted (Ctrl-C). */
  | 'E_ABORTED'
  /** Final response had a non-success status. */
  | 'E_HTTP_STATUS'
  /** Body (after decompression) exceeded the size cap. */
  | 'E_TOO_LARGE'
  /** Redirect without Location, too many redirects, or to a non-http(s) URL. */
  | 'E_REDIRECT'
  /** Only http: and https: URLs are fetched or opened. */
  | 'E_UNSAFE_URL'
  /** The body is a feed but could not be parsed. */
  | 'E_FEED_PARSE'
  /** The body is not a feed at all (HTML page, image, ...). */
  | 'E_NOT_A_FEED'
  /** A page had no discoverable feed. */
  | 'E_NO_FEED'
  /** A page-mode selector no longer matches. */
  | 'E_SELECTOR'
  /** No browser could be launched. */
  | 'E_BROWSER'
  /** robots.txt does not allow fetching the URL. */
  | 'E_ROBOTS'
  /** A response that should be an image is not one (wrong type, unknown format). */
  | 'E_NOT_IMAGE'
  /** A file of the archive could not be written (disk full, folder not writable). */
  | 'E_WRITE';

export interface ComicsErrorDetails {
  /** The URL the error applies to, when there is one. */
  url?: string;
  /** HTTP status for E_HTTP_STATUS. */
  status?: number;
  /** The underlying error. */
  cause?: unknown;
}

/** The one base error of the program; see {@link ErrorCode}. */
export class ComicsError extends Error {
  readonly code: ErrorCode;
  readonly url: string | undefined;
  readonly status: number | undefined;

  constructor(code: ErrorCode, message: string, details: ComicsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ComicsError';
    this.code = code;
    this.url = details.url;
    this.status = details.status;
  }
}

/** True when `error` is a {@link ComicsError}, optionally with one of `codes`. */
export function isComicsError(error: unknown, ...codes: ErrorCode[]): error is ComicsError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Partial<ComicsError>).code;
  return typeof code === 'string' && code.startsWith('E_') && (codes.length === 0 || codes.includes(code as ErrorCode));
}

/** A short human message for any thrown value, without a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
