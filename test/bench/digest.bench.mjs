#!/usr/bin/env node
/**
 * Digest benchmark (issue 8): how long writing the page of a 200-strip digest takes:
 * rendering (escaping, the policy's hashes) and writing the file, as `comics check
 * --digest` does. Prints the median of many runs.
 *
 * Usage: node test/bench/digest.bench.mjs [--runs 200]   (after `npx tsc`; `npm run bench` does both)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('../../', import.meta.url);
const { renderDigest } = await import(new URL('dist/digest/page.js', root).href);
const { writeDigest } = await import(new URL('dist/digest/files.js', root).href);
const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

// 200 strips over 20 comics, with the long titles and hover texts real feeds have.
const comics = Array.from({ length: 20 }, (_, c) => ({
  name: `Comic ${c} <& "quotes">`,
  strips: Array.from({ length: 10 }, (_, s) => ({
    title: `Strip ${s}: ${'a title & more '.repeat(4)}`,
    url: `https://comic${c}.test/strip/${s}/`,
    published: '2026-12-05T07:00:00Z',
    image: { src: `https://img${c}.test/strips/${s}.png`, alt: `Panel ${s} ${'alt text '.repeat(5)}`, title: `${'Hover text, as long as xkcd writes it. '.repeat(6)}` },
    warnings: s === 0 ? ['read 20 strips back without reaching one seen before'] : [],
  })),
}));

const dir = mkdtempSync(join(tmpdir(), 'comics-digest-bench-'));
const times = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  const html = renderDigest({ comics, generatedAt: new Date() });
  writeDigest(join(dir, String(i % 10)), html, new Date());
  times.push(performance.now() - started);
  bytes = Buffer.byteLength(html);
}
rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`digest page of 200 strips (${Math.round(bytes / 1024)} KiB): median ${median.toFixed(2)} ms to render and write (fastest ${times[0].toFixed(2)} ms, ${runs} runs)`);
