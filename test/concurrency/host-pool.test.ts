import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostPool } from '../../src/concurrency/host-pool.js';
import { HttpClient } from '../../src/http/client.js';
import { createCounter, startServer, type TestServer } from '../helpers/server.js';

const shared = createCounter();
let slow: TestServer;
let fast: TestServer[];

beforeAll(async () => {
  slow = await startServer({ host: '127.0.0.2', latencyMs: 300, shared, fallback: { body: 'slow' } });
  fast = await Promise.all(
    [3, 4, 5, 6].map((n) => startServer({ host: `127.0.0.${n}`, latencyMs: 20, shared, fallback: { body: 'fast' } })),
  );
});
afterAll(async () => {
  await Promise.all([slow, ...fast].map((s) => s.close()));
});

describe('HostPool', () => {
  it('keeps per-host and global in-flight maxima, measured at the servers', async () => {
    const pool = new HostPool({ concurrency: 5, perHost: 2 });
    const http = new HttpClient();
    const urls = [
      ...Array.from({ length: 10 }, (_, i) => slow.url(`/s${i}`)),
      ...fast.flatMap((server) => Array.from({ length: 10 }, (_, i) => server.url(`/f${i}`))),
    ];
    await Promise.all(urls.map((url) => pool.run(new URL(url).host, () => http.get(url))));
    await http.close();
    expect(shared.requests).toBe(50);
    for (const server of [slow, ...fast]) expect(server.stats.maxInFlight).toBe(2);
    // With several hosts queued, the global limit is reached and not passed.
    expect(shared.maxInFlight).toBe(5);
  });

  it('never holds a global slot while waiting for a busy host', async () => {
    // 1 global slot, 1 per host; host A has two slow tasks queued first.
    const pool = new HostPool({ concurrency: 2, perHost: 1 });
    const order: string[] = [];
    const task = (name: string, ms: number) => async () => {
      order.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`end ${name}`);
    };
    await Promise.all([
      pool.run('a', task('a1', 30)),
      pool.run('a', task('a2', 30)),
      pool.run('b', task('b1', 5)),
    ]);
    // b1 starts alongside a1 instead of waiting behind a2 for a slot.
    expect(order.slice(0, 2)).toEqual(['start a1', 'start b1']);
  });

  it('rejects limits below 1 with an exact message', () => {
    expect(() => new HostPool({ concurrency: 0, perHost: 2 })).toThrow(
      'Expected `concurrency` to be an integer from 1 and up, got 0',
    );
    expect(() => new HostPool({ concurrency: 2, perHost: 1.5 })).toThrow(/`perHost`/);
  });
});
