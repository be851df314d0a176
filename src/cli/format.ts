/** Small text formatters shared by the renderers. */

/**
 * "1 strip", "3 strips".
 *
 * @example
 * plural(2, 'strip') // "2 strips"
 */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

/**
 * How long ago an ISO time was, compactly: "just now", "5 min ago", "3 h ago", "2 days ago".
 *
 * @example
 * ago('2024-01-01T00:00:00Z', new Date('2024-01-01T03:00:00Z')) // "3 h ago"
 */
export function ago(iso: string | null, now: Date = new Date()): string {
  if (iso === null) return 'never';
  const seconds = Math.round((now.getTime() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${plural(Math.floor(seconds / 86_400), 'day')} ago`;
}

/** Cuts text to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(1, max - 1))}…` : text;
}

/** One JSON document on its own line. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
