#!/usr/bin/env node
/**
 * Crawl benchmark (issue 3): the built CLI, as a whole process, against a loopback
 * site of N pages (20 links each, ~15 KB) served by a separate process.
 *
 *   - 2000 pages at 50 ms latency, --concurrency 50: wall time against the ideal
 *     pages × latency / concurrency (target: within 1.2×);
 *   - 2000 pages at 0 ms: pages/s (target ≥ 1500), CPU ms per page, peak RSS (target ≤ 80 MB);
 *   - 20,000 pages at 0 ms: peak RSS, to show memory stays flat.
 *
 * Wall time is the whole process's; "crawl s" is the crawl's own time as it reports
 * it (from its first request to its last result, without process start-up). For the
 * latency scenario, each run also times request-floor.mjs: the same pages fetched
 * with the crawler's transport and nothing else, the floor on this machine.
 *
 * Usage: node test/bench/crawl.bench.mjs [--runs 5]   (after `npx tsc`; `npm run bench` does both)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);

async function startSite({ pages, latency, host }) {
  const child = spawn(process.execPath, [join(root, 'test/bench/crawl-server.mjs'), '--pages', String(pages), '--latency', String(latency), '--host', host], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const origin = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
  });
  return { origin, stop: () => child.kill('SIGTERM') };
}

async function crawlOnce(origin, flags) {
  const dir = mkdtempSync(join(tmpdir(), 'comics-bench-'));
  const rusageFile = join(dir, 'rusage.json');
  const args = [join(root, 'test/bench/rusage.mjs'), join(root, 'dist/cli/main.js'), '--db', join(dir, 'bench.db'), 'crawl', `${origin}/p/0.html`, '--json', ...flags];
  const started = performance.now();
  const { code, stdout } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, RUSAGE_FILE: rusageFile }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ code: status, stdout: out }));
  });
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`crawl exited with ${code}`);
  const report = JSON.parse(stdout);
  const usage = JSON.parse(readFileSync(rusageFile, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, crawlMs: report.elapsedMs, pages: report.pages, cpuMs: usage.userMs + usage.systemMs, rssMb: usage.maxRssKb / 1024 };
}

/** The floor: request-floor.mjs's whole-process wall time and its own elapsed time, in ms. */
async function floorOnce(origin, pages, concurrency) {
  const started = performance.now();
  const { code, stdout } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'test/bench/request-floor.mjs'), origin, String(pages), String(concurrency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ code: status, stdout: out }));
  });
  if (code !== 0) throw new Error(`request-floor exited with ${code}`);
  return { wallMs: performance.now() - started, crawlMs: Number(stdout) };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function scenario({ name, pages, latency, concurrency, repeat }) {
  const site = await startSite({ pages, latency, host: '127.0.0.1' });
  const flags = ['--concurrency', String(concurrency), '--per-host', String(concurrency), '--max-pages', String(pages + 10)];
  try {
    await crawlOnce(site.origin, flags); // warm the server's page cache and the OS
    const results = [];
    const floors = [];
    for (let i = 0; i < repeat; i++) {
      results.push(await crawlOnce(site.origin, flags));
      if (latency > 0) floors.push(await floorOnce(site.origin, pages, concurrency));
    }
    const fetched = results[0].pages;
    const wallMs = median(results.map((r) => r.wallMs));
    const floor =
      floors.length === 0
        ? null
        : { name: `  floor: requests only (${floors.length} runs)`, pages, wallMs: median(floors.map((f) => f.wallMs)), crawlMs: median(floors.map((f) => f.crawlMs)) };
    return {
      name,
      floor,
      pages: fetched,
      wallMs,
      crawlMs: median(results.map((r) => r.crawlMs)),
      idealMs: latency > 0 ? (pages * latency) / concurrency : null,
      pagesPerSec: fetched / (wallMs / 1000),
      cpuMsPerPage: median(results.map((r) => r.cpuMs / r.pages)),
      rssMb: median(results.map((r) => r.rssMb)),
      maxRssMb: Math.max(...results.map((r) => r.rssMb)),
      runs: results.length,
    };
  } finally {
    site.stop();
  }
}

const rows = [];
rows.push(await scenario({ name: '2000 pages, 50 ms, conc 50', pages: 2000, latency: 50, concurrency: 50, repeat: runs }));
rows.push(await scenario({ name: '2000 pages, 0 ms, conc 16', pages: 2000, latency: 0, concurrency: 16, repeat: runs }));
rows.push(await scenario({ name: '20000 pages, 0 ms, conc 16', pages: 20_000, latency: 0, concurrency: 16, repeat: Math.max(1, Math.ceil(runs / 2)) }));

const fmt = (x, digits = 0) => (x === null ? '-' : x.toFixed(digits));
const ratio = (ms, idealMs) => (idealMs === null ? '-' : `${fmt(ms / idealMs, 2)}×`);
const table = [
  ['scenario', 'pages', 'wall s', 'crawl s', 'ideal s', 'wall/ideal', 'crawl/ideal', 'pages/s', 'CPU ms/page', 'RSS MB (median/max)', 'runs'],
  ...rows.flatMap((r) => [
    [
      r.name,
      String(r.pages),
      fmt(r.wallMs / 1000, 2),
      fmt(r.crawlMs / 1000, 2),
      r.idealMs === null ? '-' : fmt(r.idealMs / 1000, 2),
      ratio(r.wallMs, r.idealMs),
      ratio(r.crawlMs, r.idealMs),
      fmt(r.pagesPerSec),
      fmt(r.cpuMsPerPage, 3),
      `${fmt(r.rssMb)}/${fmt(r.maxRssMb)}`,
      String(r.runs),
    ],
    ...(r.floor === null
      ? []
      : [[r.floor.name, String(r.floor.pages), fmt(r.floor.wallMs / 1000, 2), fmt(r.floor.crawlMs / 1000, 2), '', ratio(r.floor.wallMs, r.idealMs), ratio(r.floor.crawlMs, r.idealMs), '', '', '', '']]),
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
console.log('comics crawl (whole process, median of runs; targets: wall/ideal ≤ 1.2×, ≥ 1500 pages/s, ≤ 80 MB RSS)');
for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));
