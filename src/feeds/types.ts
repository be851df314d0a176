/**
 * One strip (or post) as read from a feed.
 *
 * @example
 * const entry: FeedEntry = {
 *   key: 'https://xkcd.com/3261/',
 *   url: 'https://xkcd.com/3261/',
 *   title: 'Side Effect',
 *   published: '2026-06-19T00:00:00Z',
 *   image: 'https://imgs.xkcd.com/comics/side_effect.png',
 * };
 */
export interface FeedEntry {
  /**
   * Stable identity across fetches: the entry's guid/id as written, else its
   * resolved link, else `sha1:` and a hash of all the entry carries (title, date,
   * enclosures, media, HTML bodies).
   */
  key: string;
  /**
   * For an entry keyed by hash: the key comics 0.1 gave it (title and date only),
   * so a strip recorded under that key is still recognised.
   */
  legacyKey?: string;
  /** Absolute link to the strip page, whatever its scheme; null if none. */
  url: string | null;
  /** Plain text: entities decoded, tags stripped, whitespace collapsed. */
  title: string | null;
  /** `YYYY-MM-DDTHH:MM:SSZ` (published, else updated), null if absent or unreadable. */
  published: string | null;
  /** Absolute http(s) URL of the strip image, null if none was found. */
  image: string | null;
  /** The strip image's alt text, plain. */
  imageAlt: string | null;
  /** The strip image's title: the hover text (half of xkcd), plain. */
  imageTitle: string | null;
}

/**
 * A feed reduced to what a webcomic reader needs.
 *
 * @example
 * const feed: ParsedFeed = { version: 'rss20', title: 'xkcd.com', link: 'https://xkcd.com/', entries: [] };
 */
export interface ParsedFeed {
  /**
   * The format, named as Python's feedparser names it: 'rss090', 'rss091u',
   * 'rss091n', 'rss092', 'rss093', 'rss094', 'rss20', 'rss10', 'rss' (RSS of
   * unknown version), 'atom03', 'atom10', 'atom' (Atom of unknown version),
   * 'json1', 'json11'.
   */
  version: string;
  /** Plain-text feed title. */
  title: string | null;
  /** Absolute link to the site the feed is for. */
  link: string | null;
  /**
   * In document order. Keys are not guaranteed unique: real feeds repeat a
   * guid (and hash keys collide for entries with the same title and no
   * date), so consumers should keep the first entry for a key.
   */
  entries: FeedEntry[];
  /**
   * How many entries the document holds, when it holds more than were read (see
   * MAX_ENTRIES in ./cut.ts: only the newest are); absent otherwise.
   */
  total?: number;
}
