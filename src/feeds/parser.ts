import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ComicsError, type ErrorCode } from '../errors.js';
import type { ParseFeedOptions, ParsedFeed } from './parse.js';

/**
 * Parses fetched feed bodies, inline or on another thread; `check` takes one as a
 * dependency so the CLI can keep parsing off the thread that handles the network.
 */
export interface FeedParser {
  parse(body: Uint8Array, options: ParseFeedOptions): Promise<ParsedFeed>;
  /** Gets ready to parse (loads the XML library, starts the thread) while there is idle time. */
  preload(): void;
  close(): Promise<void>;
}

let parsing: Promise<typeof import('./parse.js')> | null = null;

/** The parsing modules, loaded on first use: a process that parses on a thread never loads them itself. */
function loadParsing(): Promise<typeof import('./parse.js')> {
  parsing ??= import('./parse.js');
  return parsing;
}

/**
 * Parses on the calling thread.
 *
 * @example
 * const feed = await inlineFeedParser.parse(body, { url });
 */
export const inlineFeedParser: FeedParser = {
  parse: async (body, options) => (await loadParsing()).parseFeed(body, options),
  // A failure to load shows up, with its message, in the parse that needs the module.
  preload: () => void loadParsing().then((parsing) => parsing.preloadFeedParser(), () => {}),
  close: async () => {},
};

/** What crosses the thread boundary: a feed, or the parts of a ComicsError. */
export type WorkerReply = { id: number; feed: ParsedFeed } | { id: number; error: { code: ErrorCode; message: string; url?: string } };

/**
 * Parses on one worker thread, started on first use (or `preload`). Parsing 200
 * feeds costs ~0.5 s of CPU in a fresh process; on its own core it overlaps the
 * network instead of delaying every answer behind it (cold `check` of 200 feeds:
 * see the README's figures). The thread holds the process open only while a parse
 * is pending.
 *
 * @example
 * const parser = new ThreadFeedParser();
 * const feed = await parser.parse(body, { url });
 * await parser.close();
 */
export class ThreadFeedParser implements FeedParser {
  #worker: Worker | null = null;
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (feed: ParsedFeed) => void; reject: (error: unknown) => void }>();

  preload(): void {
    this.#start();
  }

  parse(body: Uint8Array, options: ParseFeedOptions): Promise<ParsedFeed> {
    const worker = this.#start();
    const id = this.#nextId++;
    // A copy of exactly the body's bytes, moved (not cloned) to the thread: the body may be
    // a view into a larger pooled buffer, which must not be transferred away.
    const bytes = body.slice();
    return new Promise<ParsedFeed>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) worker.ref();
      worker.postMessage({ id, body: bytes, url: options.url, contentType: options.contentType ?? null }, [bytes.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./parse-worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      if ('feed' in reply) waiting.resolve(reply.feed);
      else waiting.reject(new ComicsError(reply.error.code, reply.error.message, reply.error.url ? { url: reply.error.url } : {}));
    });
    worker.on('error', (error) => this.#failAll(error));
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(new Error(`The feed parser thread stopped (exit code ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  #failAll(error: unknown): void {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }
}

/** A thread where there is a core to spare for it, else inline. */
export function createFeedParser(): FeedParser {
  return availableParallelism() > 1 ? new ThreadFeedParser() : inlineFeedParser;
}
