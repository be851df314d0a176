import type { ParseFeedOptions, ParsedFeed } from './parse.js';

/**
 * Parses fetched feed bodies; `check` takes one as a dependency, loaded on first
 * use. Parsing runs on the calling thread: a worker thread cost a check of 200
 * feeds ~19 MB of peak memory (its own V8 isolate and a second copy of the feed
 * library) and saved no time once requests went over Node's http module (cold
 * check, A/B medians 1.95 s on a thread, 1.59 s inline, measured on 2 cores); a
 * feed parses in about 2 ms, well inside the gaps between answers.
 */
export interface FeedParser {
  parse(body: Uint8Array, options: ParseFeedOptions): Promise<ParsedFeed>;
  /** Gets ready to parse (loads the XML library) while there is idle time. */
  preload(): void;
  close(): Promise<void>;
}

let parsing: Promise<typeof import('./parse.js')> | null = null;

/** The parsing modules, loaded on first use: a check where every feed answers 304 never loads them. */
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
