import { openStrips, type OpenStripsResult } from '../check/open-strips.js';
import { findComic, loadConfig } from '../config/comics-config.js';
import { ComicsError } from '../errors.js';
import type { BrowserDeps, ConfigDeps } from './deps.js';

/**
 * `comics read [<name>]`: opens strips already recorded unread, oldest first,
 * without fetching anything.
 *
 * @example
 * await runRead({ name: 'xkcd', maxTabs: 5 }, { configPath, store, opener, browser, claimant });
 */
export async function runRead(
  options: { name?: string; maxTabs: number; signal?: AbortSignal },
  deps: ConfigDeps & BrowserDeps,
): Promise<OpenStripsResult> {
  const config = loadConfig(deps.configPath);
  const names = options.name === undefined ? config.comics.map((c) => c.name) : [findComic(config, options.name).name];
  if (!deps.browser.ok) {
    const waiting = deps.store.countUnread(names);
    // Nothing to open needs no browser.
    if (waiting === 0) return { opened: [], failure: null, unread: 0, claimedElsewhere: 0 };
    throw new ComicsError('E_BROWSER', `Cannot open ${waiting} unread strip${waiting === 1 ? '' : 's'}: ${deps.browser.reason}`);
  }
  return openStrips(deps, {
    maxTabs: options.maxTabs,
    comics: names,
    claimant: deps.claimant,
    signal: options.signal,
  });
}
