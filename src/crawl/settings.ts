import { ComicsError } from '../errors.js';
import { validateLimit } from '../concurrency/host-pool.js';
import type { CrawlOptions } from './types.js';

/** Options with defaults applied and checked. */
export interface CrawlSettings {
  concurrency: number;
  perHost: number;
  maxDepth: number;
  maxPages: number;
  include: RegExp | null;
  exclude: RegExp | null;
  maxRedirects: number;
  maxTries: number;
  timeoutMs: number;
  delayMs: number;
  robots: boolean;
  maxBytes: number;
  memoryPerSite: number;
}

export const DEFAULTS = {
  concurrency: 16,
  perHost: 2,
  maxDepth: Number.POSITIVE_INFINITY,
  maxPages: 1000,
  maxRedirects: 10,
  maxTries: 4,
  timeoutMs: 30_000,
  delayMs: 0,
  maxBytes: 8 * 1024 * 1024,
  memoryPerSite: 2000,
} as const;

/**
 * Applies defaults and validates at the boundary with exact messages, over the
 * options a run was saved with (for --resume): explicit options win.
 *
 * @example
 * resolveSettings({ concurrency: 0 }) // throws "Expected `concurrency` to be an integer from 1 and up, got 0"
 */
export function resolveSettings(options: CrawlOptions, saved: Partial<CrawlSettings> = {}): CrawlSettings {
  const pick = <K extends keyof CrawlSettings>(key: K, fallback: CrawlSettings[K]): CrawlSettings[K] =>
    (options[key as keyof CrawlOptions] as CrawlSettings[K] | undefined) ?? saved[key] ?? fallback;
  const settings: CrawlSettings = {
    concurrency: validateLimit('concurrency', pick('concurrency', DEFAULTS.concurrency)),
    perHost: validateLimit('perHost', pick('perHost', DEFAULTS.perHost)),
    maxDepth: atLeast('maxDepth', pick('maxDepth', DEFAULTS.maxDepth), 0),
    maxPages: atLeast('maxPages', pick('maxPages', DEFAULTS.maxPages), 1),
    include: options.include !== undefined ? options.include : (saved.include ?? null),
    exclude: options.exclude !== undefined ? options.exclude : (saved.exclude ?? null),
    maxRedirects: atLeast('maxRedirects', pick('maxRedirects', DEFAULTS.maxRedirects), 0),
    maxTries: atLeast('maxTries', pick('maxTries', DEFAULTS.maxTries), 1),
    timeoutMs: atLeast('timeoutMs', pick('timeoutMs', DEFAULTS.timeoutMs), 1),
    delayMs: atLeast('delayMs', pick('delayMs', DEFAULTS.delayMs), 0),
    robots: pick('robots', true),
    maxBytes: atLeast('maxBytes', pick('maxBytes', DEFAULTS.maxBytes), 1),
    memoryPerSite: atLeast('memoryPerSite', pick('memoryPerSite', DEFAULTS.memoryPerSite), 2),
  };
  return settings;
}

function atLeast(name: string, value: number, min: number): number {
  if (value === Number.POSITIVE_INFINITY && name === 'maxDepth') return value;
  if (!Number.isInteger(value) || value < min) {
    throw new ComicsError('E_USAGE', `Expected \`${name}\` to be an integer from ${min} and up, got ${value}`);
  }
  return value;
}

/** Settings as saved with a run (JSON: regexes as source and flags, no limit as null). */
export function saveSettings(settings: CrawlSettings): Record<string, unknown> {
  const regex = (re: RegExp | null) => (re === null ? null : { source: re.source, flags: re.flags });
  return {
    ...settings,
    maxDepth: Number.isFinite(settings.maxDepth) ? settings.maxDepth : null,
    include: regex(settings.include),
    exclude: regex(settings.exclude),
  };
}

/** The inverse of {@link saveSettings}, tolerant of fields a newer or older version did not save. */
export function loadSettings(saved: Record<string, unknown>): Partial<CrawlSettings> {
  const regex = (value: unknown): RegExp | null => {
    const re = value as { source?: unknown; flags?: unknown } | null;
    return typeof re?.source === 'string' ? new RegExp(re.source, typeof re.flags === 'string' ? re.flags : '') : null;
  };
  const result: Partial<CrawlSettings> = {};
  for (const [key, value] of Object.entries(saved)) {
    if (typeof value === 'number' || typeof value === 'boolean') (result as Record<string, unknown>)[key] = value;
  }
  if (saved.maxDepth === null) result.maxDepth = Number.POSITIVE_INFINITY;
  result.include = regex(saved.include);
  result.exclude = regex(saved.exclude);
  return result;
}
