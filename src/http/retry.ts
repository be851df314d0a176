/**
 * When and how long to wait before trying a request again.
 * Pure functions, so the policy is tested without a network or a clock.
 */

/** Statuses worth another try: rate limiting and server trouble (not 501/505, which are permanent). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505);
}

/**
 * Milliseconds a `Retry-After` header asks for (delta-seconds or an HTTP-date),
 * or null when absent or unreadable.
 *
 * @example
 * parseRetryAfter('120', Date.now()) // 120000
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random,
 * so many clients failing together spread out but none retries immediately.
 *
 * @param retry 1 for the first retry, 2 for the second, ...
 * @example
 * backoffDelay(3, 500, Math.random) // between 1000 and 2000
 */
export function backoffDelay(retry: number, baseMs: number, random: () => number): number {
  const step = baseMs * 2 ** (retry - 1);
  return Math.round(step / 2 + (step / 2) * random());
}
