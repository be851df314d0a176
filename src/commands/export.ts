import { loadConfig } from '../config/comics-config.js';
import { buildExport } from '../subscriptions/export-json.js';
import { writeOpml } from '../subscriptions/opml.js';
import type { ConfigDeps } from './deps.js';

/**
 * `comics export [--format opml|json]`: the followed comics as OPML (for other
 * feed readers) or as the JSON export with read state (for `comics import` on
 * another machine). Returns the document's text.
 *
 * @example
 * process.stdout.write(runExport({ format: 'json' }, { configPath, store }));
 */
export function runExport(options: { format: 'opml' | 'json'; now?: Date }, deps: ConfigDeps): string {
  const config = loadConfig(deps.configPath);
  const now = options.now ?? new Date();
  if (options.format === 'opml') return writeOpml(config.comics, now);
  return `${JSON.stringify(buildExport(config, deps.store, now), null, 2)}\n`;
}
