#!/usr/bin/env node
/**
 * Fixture site for the crawl benchmark, run in its own process so it does not
 * share a core with the crawler: `node test/bench/crawl-server.mjs --pages 2000 --latency 50`.
 * Prints its origin on stdout once listening, then serves until killed.
 *
 * Page i (/p/<i>.html, ~15 KB) links to page i+1 (so every page is reachable
 * from /p/0.html) and to 19 other pages picked by a fixed hash, plus a feed link.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    links: { type: 'string', default: '20' },
  },
});
const pages = Number(values.pages);
const latency = Number(values.latency);
const links = Number(values.links);

const filler = (i) =>
  `<p>Strip ${i}: ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(5)}</p>\n`;

function page(i) {
  const targets = [(i + 1) % pages];
  let x = i + 1;
  while (targets.length < links) {
    x = (Math.imul(x, 2654435761) + 40503) >>> 0;
    targets.push(x % pages);
  }
  const anchors = targets.map((t, k) => `<li><a href="/p/${t}.html" class="nav-${k}">Page ${t}</a></li>`).join('\n');
  let body = '';
  for (let k = 0; body.length < 13_000; k++) body += filler(i * 31 + k);
  return Buffer.from(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Page ${i}</title>\n` +
      `<link rel="alternate" type="application/rss+xml" title="Feed" href="/feed.xml">\n` +
      `<link rel="stylesheet" href="/style.css"><script>var page = ${i};</script></head>\n` +
      `<body><header><h1>Page ${i}</h1></header><nav><ul>\n${anchors}\n</ul></nav>\n<main>${body}</main></body></html>\n`,
  );
}

const cache = new Map();
const server = http.createServer((req, res) => {
  const respond = () => {
    const match = /^\/p\/(\d+)\.html$/.exec(req.url ?? '');
    if (match && Number(match[1]) < pages) {
      const i = Number(match[1]);
      let body = cache.get(i);
      if (body === undefined) {
        body = page(i);
        if (cache.size < 5000) cache.set(i, body);
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      res.end(body);
    } else if (req.url === '/' ) {
      res.writeHead(301, { location: '/p/0.html' }).end();
    } else if (req.url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>t</title></channel></rss>');
    } else if (req.url === '/style.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end('body{}');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  };
  if (latency > 0) setTimeout(respond, latency);
  else respond();
});
server.keepAliveTimeout = 60_000;
server.listen(0, values.host, () => {
  const { port } = server.address();
  process.stdout.write(`http://${values.host}:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
