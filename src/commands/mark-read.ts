import { findComic, loadConfig } from '../config/comics-config.js';
import { ComicsError } from '../errors.js';
import type { ConfigDeps } from './deps.js';

/**
 * `comics mark-read <name>|--all`: marks unread strips read without opening them.
 * Returns how many were marked.
 *
 * @example
 * runMarkRead({ name: 'xkcd' }, { configPath, store }); // 3
 */
export function runMarkRead(options: { name?: string; all: boolean }, deps: ConfigDeps): number {
  if (options.all === (options.name !== undefined)) {
    throw new ComicsError('E_USAGE', 'Give either a comic name or --all');
  }
  const config = loadConfig(deps.configPath);
  const names = options.name === undefined ? config.comics.map((c) => c.name) : [findComic(config, options.name).name];
  return deps.store.markAllRead(names);
}
