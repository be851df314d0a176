#!/usr/bin/env node
/**
 * Check benchmark (issue 2): the built CLI, as a whole process, checking 200 feeds
 * (20 items each) spread over 20 loopback hosts that answer after 100 ms, with
 * --concurrency 32 and the default per-host limit (2). The ideal is
 * 200 / 32 × 100 ms = 0.625 s. Reports the median wall time of a first (cold)
 * check, which baselines every feed, and of a second check where every feed
 * answers 304. Targets: cold ≤ 1.0 s, all-304 ≤ 0.8 s.
 *
 * Each run also times what no check can beat on this machine: an empty Node process
 * (`node -e 0`) and a process that only fetches the same feeds the way the check does
 * (fetch-floor.mjs: global fetch, same limits, bodies read; no config, store or parsing),
 * once answered 200 and once 304.
 *
 * Usage: node test/bench/check.bench.mjs [--runs 7]   (after `npx tsc`; `npm run bench` does both)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const FEEDS = 200;
const HOSTS = 20;
const LATENCY = 100;
const CONCURRENCY = 32;

const server = spawn(process.execPath, [join(root, 'test/bench/check-server.mjs'), '--hosts', String(HOSTS), '--latency', String(LATENCY)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const { origins } = await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk))));
});

/** Wall time of a whole process, in ms. */
function timed(args) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')} exited ${code}`))));
  });
}

function check(env) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'check', '--no-open', '--json', '--concurrency', String(CONCURRENCY)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      const report = JSON.parse(stdout);
      const statuses = report.comics.map((c) => c.status);
      if (code !== 0 || statuses.length !== FEEDS) reject(new Error(`check exited ${code}: ${stdout.slice(0, 500)}`));
      else resolve({ ms, statuses });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cold = [];
const warm = [];
const empty = [];
const fetchOnly = [];
const fetchOnly304 = [];
for (let run = 0; run < runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'comics-check-bench-'));
  const comics = Array.from({ length: FEEDS }, (_, i) => ({ name: `comic-${i}`, feed: `${origins[i % HOSTS]}/feed-${i}.xml` }));
  writeFileSync(join(dir, 'comics.json'), JSON.stringify({ comics }));
  const env = { COMICS_CONFIG: join(dir, 'comics.json'), COMICS_DB: join(dir, 'comics.db') };
  const first = await check(env);
  const second = await check(env);
  if (second.statuses.some((s) => s !== 'unchanged')) throw new Error('second check was not all unchanged');
  cold.push(first.ms);
  warm.push(second.ms);
  empty.push(await timed(['-e', '0']));
  const floor = [join(root, 'test/bench/fetch-floor.mjs'), join(dir, 'comics.json'), String(CONCURRENCY), '2'];
  fetchOnly.push(await timed(floor));
  fetchOnly304.push(await timed([...floor, '304']));
  rmSync(dir, { recursive: true, force: true });
}
server.kill('SIGTERM');

const ideal = (FEEDS / CONCURRENCY) * LATENCY;
const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
console.log(`check: ${FEEDS} feeds × 20 items, ${HOSTS} hosts, ${LATENCY} ms latency, --concurrency ${CONCURRENCY}, per-host 2 (${runs} runs, whole process)`);
console.log(`  ideal                ${fmt(ideal)}`);
console.log(`  cold (first check)   median ${fmt(median(cold))}   min ${fmt(Math.min(...cold))}   max ${fmt(Math.max(...cold))}   target ≤ 1.000 s`);
console.log(`  all 304              median ${fmt(median(warm))}   min ${fmt(Math.min(...warm))}   max ${fmt(Math.max(...warm))}   target ≤ 0.800 s`);
console.log(`  floors on this machine:`);
console.log(`  node -e 0            median ${fmt(median(empty))}`);
console.log(`  network rounds       ${fmt(Math.ceil(FEEDS / CONCURRENCY) * LATENCY)}   (${Math.ceil(FEEDS / CONCURRENCY)} rounds of ${LATENCY} ms: ${FEEDS} requests, ${CONCURRENCY} at a time)`);
console.log(`  fetch only, 200s     median ${fmt(median(fetchOnly))}   min ${fmt(Math.min(...fetchOnly))}   (fetch-floor.mjs: the same requests, nothing else)`);
console.log(`  fetch only, 304s     median ${fmt(median(fetchOnly304))}   min ${fmt(Math.min(...fetchOnly304))}`);
