import { readFileSync } from 'node:fs';
import { ComicsError, errorMessage } from '../errors.js';
import { decodeText } from '../text/decode.js';
import { importComics, readSubscriptions, type ImportResult } from '../subscriptions/import.js';
import type { SubscriptionFormat } from '../subscriptions/types.js';
import type { NetworkDeps } from './deps.js';

/**
 * `comics import <file>`: adds the comics of an OPML file, a newsboat urls file
 * or a comics JSON export; see importComics. Exit code 1 when entries had to be
 * rejected (the rest is imported all the same).
 *
 * @example
 * const { result, exitCode } = await runImport({ file: 'feeds.opml' }, { configPath, store, http });
 */
export async function runImport(
  options: { file: string; format?: SubscriptionFormat; signal?: AbortSignal; timeoutMs?: number; onFetched?: (done: number, total: number) => void },
  deps: NetworkDeps,
): Promise<{ result: ImportResult; exitCode: number }> {
  let text: string;
  try {
    // As feeds are decoded: a BOM, else OPML's own <?xml encoding?>, else UTF-8 or windows-1252.
    text = decodeText(readFileSync(options.file), { kind: 'xml' });
  } catch (error) {
    throw new ComicsError('E_USAGE', `Cannot read ${options.file}: ${errorMessage(error)}`, { cause: error });
  }
  const list = readSubscriptions(text, { label: options.file, format: options.format });
  const result = await importComics(list, deps, options);
  return { result, exitCode: result.rejected.length > 0 ? 1 : 0 };
}
