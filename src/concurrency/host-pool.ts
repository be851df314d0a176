import pLimit, { type LimitFunction } from 'p-limit';
import { ComicsError } from '../errors.js';

export interface HostPoolOptions {
  /** Most tasks running at once over all hosts. */
  concurrency: number;
  /** Most tasks running at once for one host. */
  perHost: number;
}

/**
 * One work queue with a global and a per-host limit.
 *
 * A task first waits for a slot of its own host and only then for a global slot,
 * so a task stuck behind a busy host never holds a global slot: while any host
 * has work and a free host slot, the global slots stay busy.
 *
 * @example
 * const pool = new HostPool({ concurrency: 8, perHost: 2 });
 * const results = await Promise.all(urls.map((url) => pool.run(new URL(url).host, () => fetchIt(url))));
 */
export class HostPool {
  readonly #global: LimitFunction;
  readonly #perHost: number;
  readonly #hosts = new Map<string, LimitFunction>();

  constructor(options: HostPoolOptions) {
    this.#global = pLimit(validateLimit('concurrency', options.concurrency));
    this.#perHost = validateLimit('perHost', options.perHost);
  }

  /** Runs `task` when both its host and the pool have a free slot. */
  async run<T>(host: string, task: () => Promise<T>): Promise<T> {
    let limit = this.#hosts.get(host);
    if (limit === undefined) {
      limit = pLimit(this.#perHost);
      this.#hosts.set(host, limit);
    }
    try {
      return await limit(() => this.#global(task));
    } finally {
      // Forget idle hosts so a crawl over many hosts does not keep one limiter per host forever.
      if (limit.activeCount === 0 && limit.pendingCount === 0) this.#hosts.delete(host);
    }
  }

  /** Tasks running now. */
  get active(): number {
    return this.#global.activeCount;
  }

  /** Tasks waiting for a host or global slot. */
  get pending(): number {
    let waiting = this.#global.pendingCount;
    for (const limit of this.#hosts.values()) waiting += limit.pendingCount;
    return waiting;
  }
}

/**
 * Checks a limit at the boundary with an exact message.
 *
 * @example
 * validateLimit('concurrency', 0) // throws "Expected `concurrency` to be an integer from 1 and up, got 0"
 */
export function validateLimit(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ComicsError('E_USAGE', `Expected \`${name}\` to be an integer from 1 and up, got ${value}`);
  }
  return value;
}
