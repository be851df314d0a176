#!/usr/bin/env node
/**
 * Fixture for the check benchmark, run in its own process: `--hosts` loopback
 * addresses (127.0.0.1, .2, ...) each serving RSS feeds of `--items` items
 * (any /feed-<n>.xml), answering after `--latency` ms, with ETags and 304s. Prints
 * one JSON line {"origins": [...]} when listening; stops on SIGTERM.
 *
 * GET /stats answers at once with the statuses sent since the last /stats
 * ({"200": n, "304": n}), so a bench can tell that a peer really revalidated.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '20' },
    items: { type: 'string', default: '20' },
    latency: { type: 'string', default: '100' },
  },
});
const items = Number(values.items);
const latency = Number(values.latency);

function feed(origin, path) {
  const entries = Array.from({ length: items }, (_, i) => {
    const n = items - i;
    const date = new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toUTCString();
    return `<item><title>Strip ${n}</title><link>${origin}${path}/${n}</link><guid>${origin}${path}/${n}</guid><pubDate>${date}</pubDate><description>&lt;img src="${origin}${path}/${n}.png"&gt;</description></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Bench ${path}</title><link>${origin}/</link>\n${entries}\n</channel></rss>\n`;
}

const cache = new Map();
let sent = { 200: 0, 304: 0 };
const servers = [];
const origins = [];
for (let h = 1; h <= Number(values.hosts); h++) {
  const host = `127.0.0.${h}`;
  const server = http.createServer((req, res) => {
    if (req.url === '/stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sent));
      sent = { 200: 0, 304: 0 };
      return;
    }
    setTimeout(() => {
      const origin = `http://${req.headers.host}`;
      const key = origin + req.url;
      let entry = cache.get(key);
      if (!entry) {
        const body = Buffer.from(feed(origin, req.url.replace(/\.xml$/, '')));
        entry = { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
        cache.set(key, entry);
      }
      const match = req.headers['if-none-match'];
      if (match === entry.etag || match === '*') {
        sent[304]++;
        res.writeHead(304, { etag: entry.etag }).end();
        return;
      }
      sent[200]++;
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: entry.etag, 'content-length': entry.body.length });
      res.end(entry.body);
    }, latency);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, host, resolve));
  servers.push(server);
  origins.push(`http://${host}:${server.address().port}`);
}
process.stdout.write(`${JSON.stringify({ origins })}\n`);
process.on('SIGTERM', () => {
  for (const server of servers) server.close();
  process.exit(0);
});
