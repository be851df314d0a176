import { createRequire } from 'node:module';
import { isComicsError, errorMessage } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { SavedRobots } from '../store/crawl-store.js';
import { ROBOTS_AGENT } from '../version.js';

/** The parts of robots-parser's Robot the crawler uses. */
interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

// robots-parser is CommonJS with a function as module.exports; its typings declare an ES default export instead.
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => Robot;

/** What the crawler may do on an origin, from its robots.txt. */
export interface RobotsRules {
  allows(url: string): boolean;
  /** Crawl-delay for our user agent (or `*`), in ms; 0 when none. */
  crawlDelayMs: number;
  /** Why a URL is not allowed, for the record. */
  reason: string;
  /**
   * Set when nothing is allowed because robots.txt could not be fetched (the host is
   * down, or answers 5xx): the site's rules refused nothing, so its URLs count as
   * errors with this code, not as blocked.
   */
  unreachable: 'E_NETWORK' | 'E_HTTP_STATUS' | null;
}

const DISALLOWED = 'Disallowed by robots.txt';
const ALLOW_ALL: RobotsRules = { allows: () => true, crawlDelayMs: 0, reason: DISALLOWED, unreachable: null };

/**
 * Rules from a robots.txt answer, as RFC 9309 says: 2xx is parsed; 4xx means no
 * rules (everything allowed); a 5xx or a network error means the site is
 * unreachable, so nothing is crawled, and that is reported as the error it is.
 *
 * @example
 * rulesFrom('https://x.test', { status: 200, body: 'User-agent: *\nDisallow: /private', error: null }).allows('https://x.test/private/a') // false
 */
export function rulesFrom(origin: string, saved: SavedRobots, agent = ROBOTS_AGENT): RobotsRules {
  if (saved.status !== null && saved.status >= 200 && saved.status < 300) {
    const robot: Robot = robotsParser(`${origin}/robots.txt`, saved.body ?? '');
    const delay = robot.getCrawlDelay(agent);
    return {
      // robots-parser answers undefined for other origins; a lane only asks about its own.
      allows: (url) => robot.isAllowed(url, agent) !== false,
      crawlDelayMs: typeof delay === 'number' && delay > 0 ? Math.round(delay * 1000) : 0,
      reason: DISALLOWED,
      unreachable: null,
    };
  }
  if (saved.status !== null && saved.status >= 400 && saved.status < 500) return ALLOW_ALL;
  const why = saved.error ?? `it answered HTTP ${saved.status}`;
  return {
    allows: () => false,
    crawlDelayMs: 0,
    reason: `Not fetched: ${origin}/robots.txt could not be fetched (${why}), so the site counts as off limits (RFC 9309); --no-robots crawls anyway`,
    unreachable: saved.status === null ? 'E_NETWORK' : 'E_HTTP_STATUS',
  };
}

export interface RobotsOptions {
  http: HttpClient;
  /** Saved answers of this run, so a resumed run does not fetch them again. */
  load(origin: string): SavedRobots | undefined;
  save(origin: string, robots: SavedRobots): void;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxTries?: number;
}

/**
 * robots.txt per origin: fetched once per run (or read back from the store on
 * resume), cached, and obeyed for the project's User-Agent.
 *
 * @example
 * const robots = new RobotsCache({ http, load, save });
 * await robots.load('https://xkcd.com'); robots.rules('https://xkcd.com').allows('https://xkcd.com/1/')
 */
export class RobotsCache {
  readonly #options: RobotsOptions;
  readonly #rules = new Map<string, RobotsRules>();

  constructor(options: RobotsOptions) {
    this.#options = options;
  }

  /** Fetches (or reads back) and caches the rules of `origin`. An abort leaves it unloaded. */
  async load(origin: string): Promise<void> {
    if (this.#rules.has(origin)) return;
    let saved = this.#options.load(origin);
    if (saved === undefined) {
      const fetched = await this.#fetch(origin);
      if (fetched === null) return;
      this.#options.save(origin, fetched);
      saved = fetched;
    }
    this.#rules.set(origin, rulesFrom(origin, saved));
  }

  /** The rules of a loaded origin; everything allowed for one not loaded. */
  rules(origin: string): RobotsRules {
    return this.#rules.get(origin) ?? ALLOW_ALL;
  }

  /** The answer to keep, or null when the fetch was aborted. */
  async #fetch(origin: string): Promise<SavedRobots | null> {
    const url = `${origin}/robots.txt`;
    try {
      const response = await this.#options.http.get(url, {
        accept: 'text/plain, */*;q=0.5',
        // RFC 9309: follow at least five redirects; parse at least 500 KiB.
        maxRedirects: 5,
        maxBytes: 512 * 1024,
        signal: this.#options.signal,
        timeoutMs: this.#options.timeoutMs,
        maxTries: this.#options.maxTries,
        keepBody: (head) => head.status >= 200 && head.status < 300,
      });
      const body = response.status >= 200 && response.status < 300 ? new TextDecoder().decode(response.body) : null;
      return { status: response.status, body, error: null };
    } catch (error) {
      if (isComicsError(error, 'E_ABORTED')) return null;
      // A robots.txt too large to read is treated as no rules rather than as a closed site.
      if (isComicsError(error, 'E_TOO_LARGE')) return { status: 404, body: null, error: errorMessage(error) };
      return { status: null, body: null, error: errorMessage(error) };
    }
  }
}
