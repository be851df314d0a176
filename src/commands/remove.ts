import { findComic, loadConfig, saveConfig } from '../config/comics-config.js';
import type { ConfigDeps } from './deps.js';

/**
 * `comics remove <name>`: stops following a comic and forgets its state.
 *
 * @example
 * runRemove({ name: 'xkcd' }, { configPath, store }); // { name: 'xkcd', unread: 2 }
 */
export function runRemove(options: { name: string }, deps: ConfigDeps): { name: string; unread: number } {
  const config = loadConfig(deps.configPath);
  const entry = findComic(config, options.name);
  const unread = deps.store.countUnread([entry.name]);
  saveConfig(deps.configPath, { ...config, comics: config.comics.filter((comic) => comic !== entry) });
  deps.store.removeComic(entry.name);
  return { name: entry.name, unread };
}
