#!/usr/bin/env node
/** The `comics` command: memory settings first, then the CLI (./run.ts), loaded after them. */
import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for a small footprint, set before anything is loaded: a daily check
 * from cron on a small machine, and a long crawl, should not need several times the
 * memory of the tools they replace. Measured (peak RSS, whole process, 200-feed check):
 * cold 95 → 76 MB and all-304 69 → 64 MB with the first three, 68 and 60 MB with
 * `--no-opt` as well, at no CPU cost a check could measure.
 * - `--semi-space-growth-factor=1`: keeps the young generation at its initial size
 *   instead of growing it to 2×16 MB (read at each resize, so it works when set at
 *   run time, unlike --max-semi-space-size).
 * - `--optimize-for-size`: lets the old generation grow less eagerly between full GCs.
 * - `--liftoff-only`: the crawler's HTTP parser (undici's llhttp) is WebAssembly; its
 *   optimising recompile held ~14 MB of compiler memory for no gain at crawl speeds
 *   (2000-page crawl 110-119 → 77-79 MB with these three).
 * - `--no-opt` (no optimising compiler), for the commands that run for seconds: their
 *   compiles cost memory and pay nothing back. A crawl or an archive runs long enough
 *   to gain from optimised code, and keeps it.
 */
const longRunning = process.argv.slice(2).some((arg) => arg === 'crawl' || arg === 'archive');
// The archive reads a strip page per step: --optimize-for-size made it use ~40% more CPU (4000-strip
// walk at 0 ms, 40 against 26-33 s) for 2 MB less; growing the old generation by 10% between full
// GCs instead of doubling it keeps its peak RSS as low (87-90 MB at 1000 and 4000 strips).
const archive = process.argv.slice(2).includes('archive');
for (const flag of ['--semi-space-growth-factor=1', archive ? '--heap-growing-percent=10' : '--optimize-for-size', '--liftoff-only']) {
  setFlagsFromString(flag);
}
if (!longRunning) setFlagsFromString('--no-opt');

const { runCli } = await import('./run.js');
process.exitCode = await runCli(process.argv);
