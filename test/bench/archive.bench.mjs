#!/usr/bin/env node
/**
 * Archive benchmark (issue 9): the built CLI, as a whole process, against fixture
 * comics served by a separate process (archive-server.mjs).
 *
 *   1. Against the ideal: a 1000-strip back catalogue (one page and one image per strip,
 *      on one host) at 20 ms latency, --delay 0, per-host 2: wall time against
 *      (pages + images) × latency / per-host (goal: within 1.2×), and peak RSS.
 *   2. Peak RSS as the archive grows: the same at 0 ms latency, 1000 and 4000 strips (goal: flat).
 *   3. Against Debian's dosage 2.15, on the same fixture and files, at the same requests per
 *      second per host: one comic of 60 strips (goal: no slower), then 5 comics of 100 strips
 *      on 5 hosts with their images on image hosts (goal: at least 3× faster). Dosage runs
 *      first; its measured per-host rate sets comics' --delay. With --shared-cdn, comics also
 *      archives the 5 comics with all images on one image host shared by the five.
 *
 * Dosage needs a plugin module per comic in its package's plugins folder: the bench writes
 * one there (with the one-line Python 3.11 patch at its top) and removes it afterwards.
 *
 * Usage: node test/bench/archive.bench.mjs [--quick] [--runs 3] [--shared-cdn] [--no-dosage] [--only ideal,rss,dosage]
 * (after `npx tsc`; `npm run bench` does both). --quick shrinks every fixture for development.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'shared-cdn': { type: 'boolean', default: false },
    'no-dosage': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
/** `--only ideal,rss,dosage`: the scenarios to run (default all). */
const only = values.only === undefined ? null : new Set(values.only.split(','));
const wanted = (name) => only === null || only.has(name);
const quick = values.quick;
const runs = Number(values.runs);
const size = {
  ideal: quick ? 200 : 1000,
  rss: quick ? [200, 800] : [1000, 4000],
  dosageOne: quick ? 10 : 60,
  dosageFive: quick ? 10 : 100,
};

async function startSite(args) {
  const child = spawn(process.execPath, [join(root, 'test/bench/archive-server.mjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise((resolve, reject) => {
    child.once('error', reject);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
  });
  const control = async (path) => (await fetch(`${info.control}${path}`)).json();
  return { ...info, stats: () => control('/stats'), reset: () => control('/reset'), stop: () => child.kill('SIGTERM') };
}

function run(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

/** A fresh config, database and archive folder following the site's comics. */
function workspace(site) {
  const dir = mkdtempSync(join(tmpdir(), 'comics-bench-archive-'));
  const config = join(dir, 'comics.json');
  const comics = site.comics.map((comic, i) => ({ name: `Bench ${String.fromCharCode(65 + i)}`, mode: 'page', url: comic.latest }));
  writeFileSync(config, JSON.stringify({ comics }));
  const env = { COMICS_CONFIG: config, COMICS_DB: join(dir, 'comics.db'), COMICS_ARCHIVE_DIR: join(dir, 'strips') };
  return { dir, env, names: comics.map((comic) => comic.name), close: () => rmSync(dir, { recursive: true, force: true }) };
}

const cli = (args, env, rusageFile) =>
  run(process.execPath, [join(root, 'test/bench/rusage.mjs'), join(root, 'dist/cli/main.js'), ...args], { ...env, RUSAGE_FILE: rusageFile });

/**
 * `comics archive --all` (after `comics check` unless `check` is false: the archive then
 * checks the comics itself, as a first check would): wall time of each, RSS, requests served.
 */
async function comicsOnce(site, flags, { check: first = true } = {}) {
  const space = workspace(site);
  try {
    const usage = join(space.dir, 'rusage.json');
    await site.reset();
    const check = first ? await cli(['check', '--no-open'], space.env, usage) : { code: 0, wallMs: 0 };
    if (check.code !== 0) throw new Error(`check exited with ${check.code}: ${check.stderr}`);
    const archive = await cli(['archive', '--all', '--json', ...flags], space.env, usage);
    if (archive.code !== 0) throw new Error(`archive exited with ${archive.code}: ${archive.stderr}`);
    const report = JSON.parse(archive.stdout);
    const rusage = JSON.parse(readFileSync(usage, 'utf8'));
    const hosts = await site.stats();
    const files = report.comics.map((comic) => digests(join(space.env.COMICS_ARCHIVE_DIR, readdirSync(space.env.COMICS_ARCHIVE_DIR).find((f) => f === comic.name))));
    return { checkMs: check.wallMs, archiveMs: archive.wallMs, rssMb: rusage.maxRssKb / 1024, report, hosts, files };
  } finally {
    space.close();
  }
}

/** The digests of the files of a folder, sorted. */
function digests(folder) {
  return readdirSync(folder)
    .filter((file) => !file.startsWith('.'))
    .map((file) => createHash('sha256').update(readFileSync(join(folder, file))).digest('hex'))
    .sort();
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const total = (hosts, pattern) => Object.values(hosts).reduce((sum, host) => sum + host.requests, 0);
const s = (ms) => (ms / 1000).toFixed(1);

// ---------------------------------------------------------------------------
// 1 and 2: against the ideal, and RSS as the archive grows

/** The floor (archive-floor.mjs): the same requests and nothing else; whole process and own time, in ms. */
async function floorOnce(site) {
  const result = await run(process.execPath, [join(root, 'test/bench/archive-floor.mjs'), site.comics[0].pageOrigin, '0', String(size.ideal), '2']);
  if (result.code !== 0) throw new Error(`archive-floor exited with ${result.code}: ${result.stderr}`);
  return { wallMs: result.wallMs, ownMs: Number(result.stdout) };
}

async function idealScenario() {
  const latency = 20;
  const site = await startSite(['--strips', String(size.ideal), '--latency', String(latency), '--images', 'same']);
  try {
    const results = [];
    const floors = [];
    // Interleaved, so both see the same load.
    for (let i = 0; i < runs; i++) {
      results.push(await comicsOnce(site, ['--delay', '0']));
      floors.push(await floorOnce(site));
    }
    const requests = total(results[0].hosts);
    const idealMs = ((2 * size.ideal) * latency) / 2;
    const wallMs = median(results.map((r) => r.archiveMs));
    const ratio = (ms) => `${(ms / idealMs).toFixed(2)}×`;
    console.log(`\n1. ${size.ideal}-strip back catalogue, ${latency} ms latency, --delay 0, per-host 2 (median of ${runs})`);
    console.log(`   requests served (check + archive, robots.txt included): ${requests}`);
    console.log(`   ideal (pages + images) × latency / per-host = ${s(idealMs)} s`);
    console.log(`   comics archive --all, whole process: ${s(wallMs)} s, ${ratio(wallMs)}`);
    const floorWall = median(floors.map((f) => f.wallMs));
    const floorOwn = median(floors.map((f) => f.ownMs));
    console.log(`   floor, the same requests and nothing else: whole process ${s(floorWall)} s, ${ratio(floorWall)}; own time ${s(floorOwn)} s, ${ratio(floorOwn)}`);
    console.log(`   peak RSS ${median(results.map((r) => r.rssMb)).toFixed(0)} MB; downloaded ${results[0].report.comics[0].downloaded}, first strip reached: ${results[0].report.comics[0].firstReached}`);
  } finally {
    site.stop();
  }
}

async function rssScenario() {
  const rows = [];
  for (const strips of size.rss) {
    const site = await startSite(['--strips', String(strips), '--latency', '0', '--images', 'same']);
    try {
      const result = await comicsOnce(site, ['--delay', '0', '--max-pages', String(strips + 10)]);
      rows.push({ strips, rssMb: result.rssMb, wallMs: result.archiveMs, downloaded: result.report.comics[0].downloaded });
    } finally {
      site.stop();
    }
  }
  console.log('\n2. Peak RSS as the archive grows (0 ms latency, --delay 0)');
  for (const row of rows) console.log(`   ${row.strips} strips: ${row.rssMb.toFixed(0)} MB peak RSS, ${s(row.wallMs)} s, ${row.downloaded} archived`);
}

// ---------------------------------------------------------------------------
// 3: against dosage

const dosagePlugins = () =>
  join(execFileSync('/usr/bin/python3', ['-c', 'import dosagelib, os; print(os.path.dirname(dosagelib.__file__))'], { encoding: 'utf8' }).trim(), 'plugins');
const PLUGIN = 'comicsbench';

function pluginSource(site) {
  const classes = site.comics.map((comic, i) => {
    const path = new URL(comic.latest).pathname.replace(/latest$/, '');
    return `
class ComicsBench${String.fromCharCode(65 + i)}(_BasicScraper):
    url = '${comic.latest}'
    stripUrl = '${comic.pageOrigin}${path}strip/%s/'
    imageSearch = compile(r'<div id="comic"><img src="([^"]+)"')
    prevSearch = compile(r'<a rel="prev" href="([^"]+)"')
    help = 'Index format: n'
`;
  });
  return `# Written by comics' test/bench/archive.bench.mjs for one benchmark run, and removed after it.
import html
import html.parser
# dosage 2.15 calls HTMLParser.unescape, which Python 3.9 removed.
html.parser.HTMLParser.unescape = lambda self, text: html.unescape(text)

from re import compile
from ..scraper import _BasicScraper
${classes.join('')}`;
}

function removePlugin(folder) {
  rmSync(join(folder, `${PLUGIN}.py`), { force: true });
  const cache = join(folder, '__pycache__');
  if (existsSync(cache)) for (const file of readdirSync(cache)) if (file.startsWith(`${PLUGIN}.`)) rmSync(join(cache, file), { force: true });
}

async function dosageOnce(site) {
  const folder = dosagePlugins();
  const dir = mkdtempSync(join(tmpdir(), 'dosage-bench-'));
  writeFileSync(join(folder, `${PLUGIN}.py`), pluginSource(site));
  const restore = () => removePlugin(folder);
  process.once('SIGINT', restore);
  try {
    await site.reset();
    const names = site.comics.map((_, i) => `ComicsBench${String.fromCharCode(65 + i)}`);
    const result = await run('dosage', ['-b', dir, '--all', ...names]);
    if (result.code !== 0) throw new Error(`dosage exited with ${result.code}: ${result.stdout}${result.stderr}`);
    const hosts = await site.stats();
    const files = names.map((name) => digests(join(dir, name)));
    return { wallMs: result.wallMs, hosts, files };
  } finally {
    restore();
    process.off('SIGINT', restore);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mean time between two requests to each host, over that host's requests. */
function intervals(hosts) {
  return Object.fromEntries(
    Object.entries(hosts)
      .filter(([, host]) => host.requests >= 3)
      .map(([name, host]) => [name, (host.lastMs - host.firstMs) / (host.requests - 1)]),
  );
}

function perHostLine(label, hosts) {
  const list = Object.entries(intervals(hosts))
    .map(([name, ms]) => `${name} ${(1000 / ms).toFixed(2)}/s`)
    .join(', ');
  return `   ${label} requests per second per host: ${list}`;
}

async function dosageScenario({ title, comics, strips, images, dosage }) {
  const site = await startSite(['--comics', String(comics), '--strips', String(strips), '--latency', '20', '--images', images]);
  try {
    const theirs = dosage ?? (await dosageOnce(site));
    // Comics is never faster on any host than dosage was on average: the slowest host's pace.
    const delayMs = Math.ceil(Math.max(...Object.values(intervals(theirs.hosts))));
    // Like dosage, one process from a fresh start: the archive checks the new comics itself.
    const ours = await comicsOnce(site, ['--delay', String(delayMs)], { check: false });
    const oursMs = ours.archiveMs;
    const same = ours.files.every((files, i) => JSON.stringify(files) === JSON.stringify(theirs.files[i]));
    console.log(`\n${title}`);
    console.log(`   dosage ${s(theirs.wallMs)} s; comics archive --all --delay ${delayMs} ${s(oursMs)} s: ${(theirs.wallMs / oursMs).toFixed(2)}× as fast`);
    console.log(perHostLine('dosage', theirs.hosts));
    console.log(perHostLine('comics', ours.hosts));
    console.log(`   same files: ${same ? 'yes' : 'NO'} (${ours.files.map((f) => f.length).join('+')} images); comics peak RSS ${ours.rssMb.toFixed(0)} MB`);
    return theirs;
  } finally {
    site.stop();
  }
}

console.log(`comics archive benchmark${quick ? ' (quick: small fixtures)' : ''}; whole processes, fixtures in a separate process`);
if (wanted('ideal')) await idealScenario();
if (wanted('rss')) await rssScenario();
if (!values['no-dosage'] && wanted('dosage')) {
  await dosageScenario({ title: `3a. One comic of ${size.dosageOne} strips, images on an image host`, comics: 1, strips: size.dosageOne, images: 'per-comic' });
  const five = await dosageScenario({
    title: `3b. 5 comics of ${size.dosageFive} strips on 5 hosts, each with its image host`,
    comics: 5,
    strips: size.dosageFive,
    images: 'per-comic',
  });
  if (values['shared-cdn']) {
    // Dosage archives one strip after another, so where the images are does not change its time.
    await dosageScenario({
      title: `3c. The same 5 comics with every image on one shared image host (dosage's figure from 3b)`,
      comics: 5,
      strips: size.dosageFive,
      images: 'shared',
      dosage: five,
    });
  }
}
