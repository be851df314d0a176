import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckCommandDeps } from '../../src/commands/check.js';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.js';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';

/** What `runCheck` needs, in a temporary folder, with a browser that writes down what it is given. */
export interface CheckEnv {
  dir: string;
  configPath: string;
  deps: CheckCommandDeps & { http: HttpClient };
  /** URLs handed to the browser, in order. */
  opened: string[];
  close(): Promise<void>;
}

/**
 * A fresh config path, database, HTTP client (no waiting between retries) and
 * recording opener; `close()` in afterEach.
 *
 * @example
 * beforeEach(() => { env = checkEnv('comics-pages-'); });
 * afterEach(() => env.close());
 */
export function checkEnv(prefix: string, http: HttpClientOptions = {}): CheckEnv {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const configPath = join(dir, 'comics.json');
  const opened: string[] = [];
  const deps = {
    configPath,
    store: new ComicsStore(openDatabase(join(dir, 'comics.db'))),
    http: new HttpClient({ sleep: async () => {}, random: () => 0, ...http }),
    opener: async (url: string) => {
      opened.push(url);
    },
    browser: { ok: true as const },
    claimant: 'test-run',
    digestDir: join(dir, 'digest'),
  };
  return {
    dir,
    configPath,
    deps,
    opened,
    async close() {
      deps.store.db.close();
      await deps.http.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
