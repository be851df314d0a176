import { HostPool } from '../concurrency/host-pool.js';

export interface SchedulerOptions<T> {
  /** Most requests in flight over all hosts. */
  concurrency: number;
  /** Most requests in flight to one host. */
  perHost: number;
  /** The next item of a lane (an origin), or undefined when it has none. */
  take(lane: string): T | undefined;
  /** Does one item. Must not reject: failures are the caller's data; a rejection goes to `onError`. */
  run(item: T, lane: string): Promise<void>;
  /** Runs once per lane before its first item (robots.txt), counted against the lane's limit but not paced. */
  prepare?(lane: string): Promise<void>;
  /** Least time between two request starts in a lane (--delay, Crawl-delay), read after `prepare`. */
  delayMs?(lane: string): number;
  /** The host a lane's requests go to, for the per-host limit. */
  hostOf(lane: string): string;
  /** A task rejected (a bug or a storage error); the scheduler goes on with the others. */
  onError(error: unknown): void;
  now?: () => number;
}

interface LaneState {
  active: number;
  /** Submitted to the pool but not started yet (waiting for a global slot). */
  waiting: number;
  prepared: 'no' | 'pending' | 'yes';
  nextStart: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Decides which lane's URL is fetched next: slots go to lanes that have work, at
 * most `perHost` per host and `concurrency` over all (through {@link HostPool}, so
 * a task waiting for a busy host never holds a global slot), with an optional
 * pause between two starts in a lane. Lanes are served round-robin, so one slow
 * host never stalls the others.
 *
 * @example
 * const scheduler = new Scheduler({ concurrency: 16, perHost: 2, take, run, hostOf, onError });
 * scheduler.wake('https://xkcd.com');
 * await scheduler.idle();
 */
export class Scheduler<T> {
  readonly #options: SchedulerOptions<T>;
  readonly #pool: HostPool;
  readonly #now: () => number;
  readonly #lanes = new Map<string, LaneState>();
  /** Lanes that may be able to start something; kept in round-robin order. */
  readonly #ready = new Set<string>();
  #active = 0;
  #timers = 0;
  #pumping = false;
  #stopped = false;
  #idle: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(options: SchedulerOptions<T>) {
    this.#options = options;
    this.#pool = new HostPool({ concurrency: options.concurrency, perHost: options.perHost });
    this.#now = options.now ?? Date.now;
  }

  /** Tasks submitted and not finished (running, or waiting for a global slot). */
  get active(): number {
    return this.#active;
  }

  /** Requests running now. */
  get running(): number {
    return this.#pool.active;
  }

  /** The lane has (new) work. */
  wake(lane: string): void {
    if (this.#stopped) return;
    this.#ready.add(lane);
    this.#pump();
  }

  /** Starts nothing more; what runs finishes (the caller aborts it). */
  stop(): void {
    this.#stopped = true;
    this.#ready.clear();
    for (const state of this.#lanes.values()) {
      if (state.timer !== null) {
        clearTimeout(state.timer);
        state.timer = null;
        this.#timers--;
      }
    }
    this.#checkIdle();
  }

  /** Resolves when nothing runs and no lane can start anything (now or after a pause). */
  idle(): Promise<void> {
    if (this.#idle === null) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#idle = { promise, resolve };
    }
    const { promise } = this.#idle;
    this.#checkIdle();
    return promise;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (const lane of this.#ready) {
        this.#ready.delete(lane);
        if (this.#stopped) break;
        if (this.#startOne(lane)) this.#ready.add(lane); // back of the line: round-robin
      }
    } finally {
      this.#pumping = false;
    }
    this.#checkIdle();
  }

  /** Starts one task of the lane if it can; true when it did and might start another. */
  #startOne(lane: string): boolean {
    const state = this.#state(lane);
    if (state.prepared === 'no' && this.#options.prepare) {
      state.prepared = 'pending';
      // Not paced: the lane's first request follows its robots.txt at once, as it would without one.
      this.#submit(lane, state, () => this.#options.prepare!(lane), () => {
        state.prepared = 'yes';
      }, false);
      return false;
    }
    if (state.prepared === 'pending') return false;
    if (state.active >= this.#options.perHost) return false;
    const delay = this.#options.delayMs?.(lane) ?? 0;
    // With a delay, starts are timed when they happen: submit one at a time.
    if (delay > 0 && state.waiting > 0) return false;
    const wait = state.nextStart - this.#now();
    if (wait > 0) {
      if (state.timer === null) {
        this.#timers++;
        state.timer = setTimeout(() => {
          state.timer = null;
          this.#timers--;
          this.wake(lane);
        }, wait);
      }
      return false;
    }
    const item = this.#options.take(lane);
    if (item === undefined) return false;
    this.#submit(lane, state, () => this.#options.run(item, lane));
    return true;
  }

  #submit(lane: string, state: LaneState, task: () => Promise<void>, after?: () => void, paced = true): void {
    state.active++;
    state.waiting++;
    this.#active++;
    const started = (): Promise<void> => {
      state.waiting--;
      const delay = paced ? (this.#options.delayMs?.(lane) ?? 0) : 0;
      if (delay > 0) state.nextStart = this.#now() + delay;
      return task();
    };
    this.#pool
      .run(this.#options.hostOf(lane), started)
      .catch((error: unknown) => this.#options.onError(error))
      .finally(() => {
        state.active--;
        this.#active--;
        after?.();
        if (!this.#stopped) this.#ready.add(lane);
        this.#pump();
      });
  }

  #checkIdle(): void {
    if (this.#idle === null || this.#pumping) return;
    if (this.#active === 0 && this.#timers === 0 && (this.#ready.size === 0 || this.#stopped)) {
      const { resolve } = this.#idle;
      this.#idle = null;
      resolve();
    }
  }

  #state(lane: string): LaneState {
    let state = this.#lanes.get(lane);
    if (state === undefined) {
      state = { active: 0, waiting: 0, prepared: this.#options.prepare ? 'no' : 'yes', nextStart: 0, timer: null };
      this.#lanes.set(lane, state);
    }
    return state;
  }
}
