import { browserAvailability, createOpener } from '../browser/opener.js';
import type { BrowserDeps, NetworkDeps } from '../commands/deps.js';
import { digestDir } from '../digest/files.js';
import { HttpClient } from '../http/client.js';
import type { TransportKind } from '../http/transport.js';
import { newClaimant } from '../store/claims.js';
import { ComicsStore } from '../store/comics-store.js';
import { openDatabase } from '../store/database.js';
import type { CliContext } from './context.js';

/** The real world's dependencies for the reader commands, built at the edge and closed after. */
export interface ReaderDeps extends NetworkDeps, BrowserDeps {
  close(): Promise<void>;
}

/**
 * Opens the store and creates the HTTP client and browser opener for one command.
 *
 * @example
 * const deps = readerDeps(context, { timeoutMs: 10_000 });
 * try { ... } finally { await deps.close(); }
 */
export function readerDeps(
  context: CliContext,
  options: { timeoutMs?: number | undefined; transport?: TransportKind } = {},
): ReaderDeps {
  const db = openDatabase(context.dbPath);
  let http: HttpClient | null = null;
  return {
    configPath: context.configPath,
    store: new ComicsStore(db),
    // Created on first use: list, history and mark-read never touch the network.
    get http() {
      http ??= new HttpClient({
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.transport === undefined ? {} : { transport: options.transport }),
      });
      return http;
    },
    opener: createOpener({ env: context.env }),
    browser: browserAvailability(context.env, process.platform),
    claimant: newClaimant(),
    digestDir: digestDir(context.dbPath),
    async close() {
      db.close();
      await http?.close();
    },
  };
}

/** Runs `action` with reader deps, closing them whatever happens. */
export async function withReaderDeps<T>(
  context: CliContext,
  options: { timeoutMs?: number | undefined; transport?: TransportKind },
  action: (deps: ReaderDeps) => Promise<T> | T,
): Promise<T> {
  const deps = readerDeps(context, options);
  try {
    return await action(deps);
  } finally {
    await deps.close();
  }
}
