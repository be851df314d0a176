#!/usr/bin/env node
/**
 * Check benchmark (issue 11): `comics check` side by side with newsboat, interleaved,
 * on the same loopback fixture: 200 RSS feeds of 20 items on one host answering after
 * 100 ms, `--concurrency 32 --per-host 32` (newsboat: `reload-threads 32`, `-x reload`).
 *
 * Per run, in a fresh folder each: comics cold (baselining every feed), comics all-304;
 * newsboat's 1st reload (cold) and 3rd (all-304: newsboat 2.21 stores validators only
 * from its 2nd), the fixture's counters checking that both all-304 runs got 304s only;
 * and the floors: `node -e 0`, and http-floor.mjs (the same 200 requests over Node's
 * http module and nothing else), 200s and 304s. Every process is measured
 * the same way (test/bench/rusage.py: wall time, peak RSS, CPU).
 *
 * Goals: at least 2× newsboat's speed, cold and all-304; within 1.15× of the network
 * limit (7 rounds of 100 ms plus an empty process's start); peak RSS at most 2× newsboat's.
 *
 * Usage: node test/bench/check.bench.mjs [--runs 5]   (after `npx tsc`; `npm run bench` does both)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { goal, installed, measure, median, printTable } from './measure.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const FEEDS = 200;
const LATENCY = 100;
const CONCURRENCY = 32;
const hasNewsboat = installed('newsboat');
if (!hasNewsboat) console.log('newsboat is not installed: the side-by-side rows are left out (install it with: apt-get install newsboat)');

const server = spawn(process.execPath, [join(root, 'test/bench/check-server.mjs'), '--hosts', '1', '--latency', String(LATENCY)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const { origins } = await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk))));
});
const feeds = Array.from({ length: FEEDS }, (_, i) => `${origins[0]}/feed-${i}.xml`);
/** Statuses the fixture sent since the last call, so the all-304 figures are checked to be 304s. */
const served = async () => (await fetch(`${origins[0]}/stats`)).json();
const all304 = async (who) => {
  const sent = await served();
  if (sent[304] !== FEEDS || sent[200] !== 0) throw new Error(`${who} was not all 304: the fixture sent ${JSON.stringify(sent)}`);
};

const comicsCheck = (dir) =>
  measure(process.execPath, [join(root, 'dist/cli/main.js'), 'check', '--no-open', '--json', '--concurrency', String(CONCURRENCY), '--per-host', String(CONCURRENCY)], {
    env: { COMICS_CONFIG: join(dir, 'comics.json'), COMICS_DB: join(dir, 'comics.db') },
  });
const newsboat = (dir) =>
  measure('newsboat', ['-u', join(dir, 'urls'), '-c', join(dir, 'cache.db'), '-C', join(dir, 'config'), '-x', 'reload'], { env: { HOME: dir } });

const rows = { coldComics: [], warmComics: [], coldNewsboat: [], warmNewsboat: [], empty: [], floor: [], floor304: [] };
for (let run = 0; run < runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'comics-check-bench-'));
  writeFileSync(join(dir, 'comics.json'), JSON.stringify({ comics: feeds.map((feed, i) => ({ name: `comic-${i}`, feed })) }));
  writeFileSync(join(dir, 'urls'), `${feeds.join('\n')}\n`);
  writeFileSync(join(dir, 'config'), `reload-threads ${CONCURRENCY}\n`);
  const cold = await comicsCheck(dir);
  await served();
  const warm = await comicsCheck(dir);
  await all304("comics' second check");
  rows.coldComics.push(cold);
  rows.warmComics.push(warm);
  if (hasNewsboat) {
    rows.coldNewsboat.push(await newsboat(dir));
    await newsboat(dir);
    await served();
    rows.warmNewsboat.push(await newsboat(dir));
    await all304("newsboat's third reload");
  }
  rows.empty.push(await measure(process.execPath, ['-e', '0']));
  const floor = [join(root, 'test/bench/http-floor.mjs'), join(dir, 'comics.json'), String(CONCURRENCY)];
  rows.floor.push(await measure(process.execPath, floor));
  rows.floor304.push(await measure(process.execPath, [...floor, '304']));
  rmSync(dir, { recursive: true, force: true });
}
server.kill('SIGTERM');

const m = (list, key) => (list.length === 0 ? null : median(list.map((r) => r[key])));
const s = (ms) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);
const mb = (x) => (x === null ? '-' : `${x.toFixed(0)} MB`);
const rounds = Math.ceil(FEEDS / CONCURRENCY);
const limit = rounds * LATENCY + m(rows.empty, 'wallMs');

console.log(`check: ${FEEDS} RSS feeds × 20 items on one loopback host, ${LATENCY} ms latency, --concurrency ${CONCURRENCY} --per-host ${CONCURRENCY}; medians of ${runs} interleaved runs, whole processes`);
printTable([
  ['', 'cold', 'all-304', 'peak RSS cold / 304', 'CPU cold / 304'],
  ['comics', s(m(rows.coldComics, 'wallMs')), s(m(rows.warmComics, 'wallMs')), `${mb(m(rows.coldComics, 'rssMb'))} / ${mb(m(rows.warmComics, 'rssMb'))}`, `${s(m(rows.coldComics, 'cpuMs'))} / ${s(m(rows.warmComics, 'cpuMs'))}`],
  ...(hasNewsboat
    ? [['newsboat (reload 1 / 3)', s(m(rows.coldNewsboat, 'wallMs')), s(m(rows.warmNewsboat, 'wallMs')), `${mb(m(rows.coldNewsboat, 'rssMb'))} / ${mb(m(rows.warmNewsboat, 'rssMb'))}`, `${s(m(rows.coldNewsboat, 'cpuMs'))} / ${s(m(rows.warmNewsboat, 'cpuMs'))}`]]
    : []),
  ['floor: node:http, requests only', s(m(rows.floor, 'wallMs')), s(m(rows.floor304, 'wallMs')), `${mb(m(rows.floor, 'rssMb'))} / ${mb(m(rows.floor304, 'rssMb'))}`, `${s(m(rows.floor, 'cpuMs'))} / ${s(m(rows.floor304, 'cpuMs'))}`],
  ['floor: node -e 0', s(m(rows.empty, 'wallMs')), '', mb(m(rows.empty, 'rssMb')), ''],
  [`network limit: ${rounds} rounds × ${LATENCY} ms + node -e 0`, s(limit), s(limit), '', ''],
]);
console.log('');
const goals = [['goal', 'ratio', 'target', '']];
if (hasNewsboat) {
  goals.push(goal('speed vs newsboat, cold (newsboat ÷ comics)', m(rows.coldNewsboat, 'wallMs') / m(rows.coldComics, 'wallMs'), 2, 'higher'));
  goals.push(goal('speed vs newsboat, all-304', m(rows.warmNewsboat, 'wallMs') / m(rows.warmComics, 'wallMs'), 2, 'higher'));
}
goals.push(goal('time vs network limit, cold (comics ÷ limit)', m(rows.coldComics, 'wallMs') / limit, 1.15, 'lower'));
goals.push(goal('time vs network limit, all-304', m(rows.warmComics, 'wallMs') / limit, 1.15, 'lower'));
if (hasNewsboat) {
  goals.push(goal('peak RSS vs newsboat, cold (comics ÷ newsboat)', m(rows.coldComics, 'rssMb') / m(rows.coldNewsboat, 'rssMb'), 2, 'lower'));
  goals.push(goal('peak RSS vs newsboat, all-304', m(rows.warmComics, 'rssMb') / m(rows.warmNewsboat, 'rssMb'), 2, 'lower'));
}
goals.push(goal('peak RSS vs the node:http floor, all-304', m(rows.warmComics, 'rssMb') / m(rows.floor304, 'rssMb'), 1.15, 'lower'));
printTable(goals);
