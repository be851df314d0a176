import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComicsStore } from '../../src/store/comics-store.js';
import { openDatabase } from '../../src/store/database.js';
import { CLI } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-pipe-'));
  const store = new ComicsStore(openDatabase(join(dir, 'comics.db')));
  // Far more output than a pipe buffers (64 KiB), so the writer meets the closed pipe.
  const entries = Array.from({ length: 3000 }, (_, i) => ({
    key: `k${i}`,
    url: `https://x.test/${i}`,
    title: `Strip ${i} ${'x'.repeat(50)}`,
    published: null,
    image: null,
  }));
  store.recordSuccess('c', { feed: 'https://x.test/feed', entries, validators: { etag: null, lastModified: null }, unreadAtBaseline: 0 });
  store.db.close();
  writeFileSync(join(dir, 'comics.json'), JSON.stringify({ comics: [{ name: 'c', feed: 'https://x.test/feed' }] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, reads `bytes` of its stdout and closes the pipe, as `| head -c <bytes>` does. */
function headOf(args: string[], bytes: number): Promise<{ code: number | null; stderr: string; read: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--config', join(dir, 'comics.json'), '--db', join(dir, 'comics.db'), ...args]);
    let read = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read >= bytes) child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, read }));
  });
}

describe('a closed stdout', () => {
  it.each([
    [['history', '--json', '--limit', '3000'], 100],
    [['export', '--format', 'json'], 50],
  ])('ends %j quietly, like a Unix tool', async (args, bytes) => {
    const run = await headOf(args, bytes);
    expect(run.read).toBeGreaterThanOrEqual(bytes);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
