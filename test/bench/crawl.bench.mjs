#!/usr/bin/env node
/**
 * Crawl benchmark (issue 11): `comics crawl` side by side with a simple asyncio
 * crawler in the shape of the "500 Lines or Less" seed crawler (test/bench/seed-crawler.py,
 * on Debian's python3-aiohttp), interleaved, on the same loopback site served by a
 * separate process: pages of ~15 KB with 20 links each.
 *
 *   - 2000 pages at 0 ms, 16 requests in flight: pages/s of the whole process and peak RSS,
 *     both against the seed crawler's (goals: ≥ 2× its pages/s, ≤ 2× its RSS);
 *   - 20,000 pages at 0 ms: peak RSS again, to show memory stays flat (goal: ≤ 1.15× the
 *     2000-page figure);
 *   - 2000 pages at 50 ms, 50 in flight: wall time against the ideal pages × latency /
 *     concurrency, with request-floor.mjs (the same pages over the crawler's transport and
 *     nothing else) as the floor on this machine.
 *
 * Every process is measured the same way (test/bench/rusage.py).
 * Usage: node test/bench/crawl.bench.mjs [--runs 5]   (after `npx tsc`; `npm run bench` does both)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { goal, measure, median, printTable, pythonHas } from './measure.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const hasPeer = pythonHas('aiohttp');
if (!hasPeer) console.log("Python's aiohttp is not installed: the seed crawler's rows are left out (install it with: apt-get install python3-aiohttp)");

async function startSite({ pages, latency }) {
  const child = spawn(process.execPath, [join(root, 'test/bench/crawl-server.mjs'), '--pages', String(pages), '--latency', String(latency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
  });
  return { origin, stop: () => child.kill('SIGTERM') };
}

async function comics(origin, pages, concurrency) {
  const dir = mkdtempSync(join(tmpdir(), 'comics-crawl-bench-'));
  try {
    const args = ['--db', join(dir, 'bench.db'), 'crawl', `${origin}/p/0.html`, '--json', '--concurrency', String(concurrency), '--per-host', String(concurrency), '--max-pages', String(pages + 10)];
    const run = await measure(process.execPath, [join(root, 'dist/cli/main.js'), ...args]);
    const report = JSON.parse(run.stdout);
    return { ...run, pages: report.pages, crawlMs: report.elapsedMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function seed(origin, concurrency) {
  const run = await measure('/usr/bin/python3', [join(root, 'test/bench/seed-crawler.py'), `${origin}/p/0.html`, '--max-tasks', String(concurrency)]);
  return { ...run, pages: JSON.parse(run.stdout).pages };
}

const m = (list, key) => median(list.map((r) => r[key]));
const perSecond = (list) => median(list.map((r) => r.pages / (r.wallMs / 1000)));
const f = (x, digits = 0) => x.toFixed(digits);

// 2000 pages, 0 ms: side by side.
const small = await startSite({ pages: 2000, latency: 0 });
const ours = [];
const theirs = [];
await comics(small.origin, 2000, 16); // warm the server and the OS
for (let i = 0; i < runs; i++) {
  ours.push(await comics(small.origin, 2000, 16));
  if (hasPeer) theirs.push(await seed(small.origin, 16));
}
small.stop();

// 20,000 pages, 0 ms: memory stays flat.
const big = await startSite({ pages: 20_000, latency: 0 });
const large = [];
for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) large.push(await comics(big.origin, 20_000, 16));
big.stop();

// 2000 pages, 50 ms, 50 in flight: against the ideal and the floor.
const slow = await startSite({ pages: 2000, latency: 50 });
const latent = [];
const floor = [];
for (let i = 0; i < runs; i++) {
  latent.push(await comics(slow.origin, 2000, 50));
  floor.push(await measure(process.execPath, [join(root, 'test/bench/request-floor.mjs'), slow.origin, '2000', '50']));
}
slow.stop();
const ideal = (2000 * 50) / 50;

console.log(`crawl: pages of ~15 KB with 20 links each, loopback; medians of ${runs} interleaved runs, whole processes`);
printTable([
  ['', 'pages', 'wall', 'pages/s', 'CPU ms/page', 'peak RSS'],
  ['comics, 2000 pages, 0 ms, 16 in flight', f(m(ours, 'pages')), `${f(m(ours, 'wallMs') / 1000, 2)} s`, f(perSecond(ours)), f(median(ours.map((r) => r.cpuMs / r.pages)), 2), `${f(m(ours, 'rssMb'))} MB`],
  ...(hasPeer
    ? [['seed crawler (Python 3.11, aiohttp), same', f(m(theirs, 'pages')), `${f(m(theirs, 'wallMs') / 1000, 2)} s`, f(perSecond(theirs)), f(median(theirs.map((r) => r.cpuMs / r.pages)), 2), `${f(m(theirs, 'rssMb'))} MB`]]
    : []),
  ['comics, 20,000 pages, 0 ms, 16 in flight', f(m(large, 'pages')), `${f(m(large, 'wallMs') / 1000, 2)} s`, f(perSecond(large)), f(median(large.map((r) => r.cpuMs / r.pages)), 2), `${f(m(large, 'rssMb'))} MB`],
  ['comics, 2000 pages, 50 ms, 50 in flight', f(m(latent, 'pages')), `${f(m(latent, 'wallMs') / 1000, 2)} s`, f(perSecond(latent)), '', `${f(m(latent, 'rssMb'))} MB`],
  ['  floor: the same requests only', '2000', `${f(m(floor, 'wallMs') / 1000, 2)} s`, '', '', `${f(m(floor, 'rssMb'))} MB`],
  [`  ideal: 2000 × 50 ms / 50`, '', `${f(ideal / 1000, 2)} s`, '', '', ''],
]);
console.log('');
const goals = [['goal', 'ratio', 'target', '']];
if (hasPeer) {
  goals.push(goal("speed vs the seed crawler (comics' pages/s ÷ its)", perSecond(ours) / perSecond(theirs), 2, 'higher'));
  goals.push(goal('peak RSS vs the seed crawler', m(ours, 'rssMb') / m(theirs, 'rssMb'), 2, 'lower'));
}
goals.push(goal('peak RSS, 20,000 pages ÷ 2000 pages (flat)', m(large, 'rssMb') / m(ours, 'rssMb'), 1.15, 'lower'));
goals.push(goal('50 ms: wall ÷ ideal (for reference; floor shown)', m(latent, 'wallMs') / ideal, 1.2, 'lower'));
printTable(goals);
