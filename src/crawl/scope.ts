import { siteKey } from './url.js';

/** The filters a link must pass, besides belonging to the site it was found on. */
export interface ScopeFilters {
  /** When set, only URLs matching it are followed. */
  include?: RegExp | null;
  /** URLs matching it are never followed. */
  exclude?: RegExp | null;
}

/**
 * Which site (seed scope) a URL belongs to, and whether a link may be followed.
 * Sites are numbered in the order their first seed was given.
 *
 * @example
 * const scope = new Scope(['https://xkcd.com/', 'https://www.smbc-comics.com/'], { exclude: /\/search/ });
 * scope.siteOf('https://smbc-comics.com/comic/x') // 1
 * scope.follows(0, 'https://xkcd.com/search?q=1') // false
 */
export class Scope {
  /** Site keys by site index. */
  readonly keys: readonly string[];
  readonly #index = new Map<string, number>();
  readonly #include: RegExp | null;
  readonly #exclude: RegExp | null;

  /** `seeds` must be normalised URLs. */
  constructor(seeds: readonly string[], filters: ScopeFilters = {}) {
    const keys: string[] = [];
    for (const seed of seeds) {
      const key = siteKey(seed);
      if (!this.#index.has(key)) {
        this.#index.set(key, keys.length);
        keys.push(key);
      }
    }
    this.keys = keys;
    this.#include = stateless(filters.include);
    this.#exclude = stateless(filters.exclude);
  }

  /** The site index of `url`, or -1 when it belongs to no seed's site. */
  siteOf(url: string): number {
    return this.#index.get(siteKey(url)) ?? -1;
  }

  /** True when a URL found on a page of `site` is in that site's scope and passes --include/--exclude. */
  follows(site: number, url: string): boolean {
    if (this.siteOf(url) !== site) return false;
    if (this.#include !== null && !this.#include.test(url)) return false;
    if (this.#exclude !== null && this.#exclude.test(url)) return false;
    return true;
  }
}

/** A /g or /y regex keeps state between test() calls; the filters must not. */
function stateless(re: RegExp | null | undefined): RegExp | null {
  if (re === null || re === undefined) return null;
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}
