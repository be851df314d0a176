/**
 * One rule for every command, tested against every command: usage mistakes
 * (bad options, names that name no followed comic) and configuration errors
 * (a missing config file) exit 2 with one `comics:` line; with --json, every
 * failure is also one JSON document on stdout: {"error": {"code", "message"}}.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { runComics } from '../helpers/cli.js';

let dir: string;
let env: Record<string, string>;
let missing: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-exit-'));
  const store = new ComicsStore(openDatabase(join(dir, 'comics.db')));
  const entries = [1, 2].map((n) => ({ key: `k${n}`, url: `https://x.test/${n}`, title: `Strip ${n}`, published: null, image: null }));
  store.recordSuccess('xkcd', { feed: 'https://x.test/feed', entries, validators: { etag: null, lastModified: null }, unreadAtBaseline: 2 });
  store.db.close();
  writeFileSync(join(dir, 'comics.json'), JSON.stringify({ comics: [{ name: 'xkcd', feed: 'https://x.test/feed' }] }));
  env = { COMICS_CONFIG: join(dir, 'comics.json'), COMICS_DB: join(dir, 'comics.db') };
  missing = { COMICS_CONFIG: join(dir, 'nowhere.json'), COMICS_DB: join(dir, 'other.db') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one-line contract: exit code, nothing but one `comics:` line on stderr. */
async function expectFailure(args: string[], runEnv: Record<string, string>, code: number, line: RegExp) {
  const run = await runComics(args, runEnv);
  expect(run.code, `comics ${args.join(' ')}`).toBe(code);
  expect(run.stderr).toMatch(/^comics: [^\n]*\n$/);
  expect(run.stderr).toMatch(line);
  return run;
}

describe('exit codes and messages, for every command', () => {
  it.each([
    ['history', 'nope'],
    ['read', 'nope'],
    ['mark-read', 'nope'],
    ['remove', 'nope'],
    ['doctor', 'nope'],
  ])('%s of a name no comic has is a usage error (2)', async (command, name) => {
    await expectFailure([command, name], env, 2, /No comic named "nope" is followed/);
  });

  it('crawl --resume of a run that does not exist is a usage error (2)', async () => {
    await expectFailure(['crawl', '--resume', '99'], env, 2, /No crawl run 99/);
  });

  it.each([['check'], ['read'], ['list'], ['history'], ['mark-read', '--all'], ['remove', 'xkcd'], ['doctor'], ['export']])(
    '%s without a config file is a configuration error (2)',
    async (...args) => {
      await expectFailure(args, missing, 2, /nowhere\.json: no such config file \(add a comic with: comics add <url>\)/);
    },
  );

  it.each([['check'], ['add', 'https://x.test/'], ['remove', 'x'], ['mark-read'], ['list'], ['history'], ['read'], ['doctor'], ['import', 'f'], ['export'], ['crawl']])(
    '%s with an unknown option is a usage error (2) in one line',
    async (...args) => {
      const run = await expectFailure([...args, '--frobnicate'], env, 2, /^comics: unknown option '--frobnicate'; see comics [\w-]+ --help$/m);
      expect(run.stdout).toBe('');
    },
  );

  it('keeps commander suggestions in the one line', async () => {
    await expectFailure(['chek'], env, 2, /^comics: unknown command 'chek' \(did you mean check\?\); see comics --help\n$/);
    await expectFailure(['list', '--jsn'], env, 2, /unknown option '--jsn' \(did you mean --json\?\); see comics list --help/);
  });

  it('shows the global options in every subcommand help', async () => {
    const run = await runComics(['history', '--help'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--config <file>/);
    expect(run.stdout).toMatch(/--db <file>/);
  });
});

describe('--json failures are one JSON document on stdout', () => {
  let closedPort: number;
  beforeAll(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['check', ['check', '--json'], 'missing', 2, 'E_CONFIG'],
    ['add', ['add', 'UNREACHABLE', '--json'], 'env', 1, 'E_NETWORK'],
    ['read without a browser', ['read', '--json'], 'env', 1, 'E_BROWSER'],
    ['list', ['list', '--json'], 'missing', 2, 'E_CONFIG'],
    ['history', ['history', 'nope', '--json'], 'env', 2, 'E_NOT_FOUND'],
    ['doctor', ['doctor', 'nope', '--json'], 'env', 2, 'E_NOT_FOUND'],
    ['import', ['import', '/no/such/file', '--json'], 'env', 2, 'E_USAGE'],
    ['crawl', ['crawl', '--json'], 'env', 2, 'E_USAGE'],
    ['a usage mistake', ['list', '--json', '--frobnicate'], 'env', 2, 'E_USAGE'],
  ] as const)('%s', async (_, args, which, code, errorCode) => {
    const argv = args.map((arg) => (arg === 'UNREACHABLE' ? `http://127.0.0.1:${closedPort}/` : arg));
    const run = await runComics([...argv], which === 'env' ? env : missing);
    expect(run.code).toBe(code);
    const document = JSON.parse(run.stdout);
    expect(document).toEqual({ error: { code: errorCode, message: expect.any(String), ...(document.error.url ? { url: expect.any(String) } : {}) } });
    expect(run.stderr).toBe(`comics: ${document.error.message}\n`);
  });
});
