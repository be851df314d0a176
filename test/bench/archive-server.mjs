#!/usr/bin/env node
/**
 * Fixture comics for the archive benchmark, in their own process so they do not
 * share a core with the archiver:
 *
 *   node test/bench/archive-server.mjs --comics 5 --strips 100 --latency 20 --images per-comic
 *
 * Comic i has its pages on 127.0.0.(10+i): `/c<i>/strip/<n>/` (~15 KB of HTML, the strip
 * image in `#comic`, `rel="prev"` to strip n-1), `/c<i>/latest` redirecting to the newest.
 * Images (`/c<i>/img/<n>.png`, real PNGs of --image-kb KB) are served from the page host
 * (`--images same`), from one image host for every comic (`shared`, 127.0.0.9), or from an
 * image host per comic (`per-comic`, 127.0.0.(30+i)). Every answer waits --latency ms.
 *
 * Prints one JSON line once listening: `{"comics": [{"latest", "pageOrigin", "imageOrigin"}], "control"}`.
 * The control server answers GET /stats with per-host counters (requests, most in flight,
 * first and last request start in ms) and GET /reset clears them.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';

const { values } = parseArgs({
  options: {
    comics: { type: 'string', default: '1' },
    strips: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '20' },
    images: { type: 'string', default: 'same' },
    'image-kb': { type: 'string', default: '30' },
  },
});
const comics = Number(values.comics);
const strips = Number(values.strips);
const latency = Number(values.latency);
const imageBytes = Number(values['image-kb']) * 1024;

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid RGB PNG of noise, about `bytes` long, different for every seed. */
function png(seed, bytes) {
  const width = 128;
  const height = Math.max(1, Math.round(bytes / (width * 3)));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < raw.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    raw[i] = i % (width * 3 + 1) === 0 ? 0 : x >>> 24;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const filler = (n) =>
  `<p>Blog post under strip ${n}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(5)}</p>\n`;

function page(comic, n, imageOrigin) {
  const prev = n > 1 ? `<a rel="prev" href="/c${comic}/strip/${n - 1}/">Previous</a>` : '';
  let body = '';
  for (let k = 0; body.length < 12_000; k++) body += filler(n * 31 + k);
  return Buffer.from(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Comic ${comic} #${n}</title>\n` +
      `<link rel="canonical" href="/c${comic}/strip/${n}/"><link rel="stylesheet" href="/style.css"></head>\n` +
      `<body><header><a href="/"><img src="/logo.png" alt="logo" width="200" height="60"></a></header>\n` +
      `<main><div id="comic"><img src="${imageOrigin}/c${comic}/img/${n}.png" alt="Strip ${n}" width="800" height="600"></div>\n` +
      `<nav>${prev} <a href="/c${comic}/latest">Latest</a></nav>\n<article>${body}</article></main></body></html>\n`,
  );
}

const stats = new Map();
const counter = (host) => {
  let entry = stats.get(host);
  if (entry === undefined) {
    entry = { requests: 0, inFlight: 0, maxInFlight: 0, firstMs: null, lastMs: null };
    stats.set(host, entry);
  }
  return entry;
};

// Every answer is made once, up front, so the fixture's own CPU stays out of the figures.
const images = new Map();
const pages = new Map();
function serve(host, handle) {
  const server = http.createServer((req, res) => {
    const entry = counter(host);
    const now = performance.now();
    entry.requests++;
    entry.inFlight++;
    entry.maxInFlight = Math.max(entry.maxInFlight, entry.inFlight);
    entry.firstMs ??= now;
    entry.lastMs = now;
    res.on('close', () => entry.inFlight--);
    const answer = () => handle(req, res);
    if (latency > 0) setTimeout(answer, latency);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, host, () => resolve(`http://${host}:${server.address().port}`)));
}

function imageHandler(req, res) {
  const match = /^\/c(\d+)\/img\/(\d+)\.png$/.exec(req.url ?? '');
  const n = Number(match?.[2]);
  if (!match || n < 1 || n > strips) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  const body = images.get(`${match[1]}/${n}`);
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
}

function pageHandler(comic) {
  return (req, res) => {
    const path = req.url ?? '/';
    if (path === `/c${comic}/latest`) return res.writeHead(302, { location: `/c${comic}/strip/${strips}/` }).end();
    if (path === '/robots.txt') return res.writeHead(404, { 'content-type': 'text/plain' }).end('none');
    const match = /^\/c(\d+)\/strip\/(\d+)\/$/.exec(path);
    const n = Number(match?.[2]);
    if (!match || Number(match[1]) !== comic || n < 1 || n > strips) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const body = pages.get(`${comic}/${n}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }).end(body);
  };
}

const shared = values.images === 'shared' ? await serve('127.0.0.9', imageHandler) : null;
const list = [];
for (let i = 0; i < comics; i++) {
  const pageHost = `127.0.0.${10 + i}`;
  let imageOrigin = shared;
  if (values.images === 'per-comic') imageOrigin = await serve(`127.0.0.${30 + i}`, imageHandler);
  // Same host: the page server answers image paths too.
  const handlePage = pageHandler(i);
  const origin = await serve(pageHost, (req, res) => (/\/img\//.test(req.url ?? '') ? imageHandler(req, res) : handlePage(req, res)));
  list.push({ latest: `${origin}/c${i}/latest`, pageOrigin: origin, imageOrigin: imageOrigin ?? origin });
}

list.forEach((comic, i) => {
  for (let n = 1; n <= strips; n++) {
    images.set(`${i}/${n}`, png(i * 100_000 + n, imageBytes));
    pages.set(`${i}/${n}`, page(i, n, comic.imageOrigin));
  }
});

const control = http.createServer((req, res) => {
  if (req.url === '/reset') stats.clear();
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(stats)));
});
control.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ comics: list, control: `http://127.0.0.1:${control.address().port}` })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
