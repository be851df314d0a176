#!/usr/bin/env node
/**
 * A floor under the check benchmark: a process that only fetches the same feeds
 * the way `comics check` does (Node's http module with a keep-alive agent, the same
 * limit on requests in flight, bodies read), and nothing else: no config, store or
 * parsing. With `304`, it sends `If-None-Match: *`, which the fixture answers with 304.
 * `node test/bench/http-floor.mjs <config.json> <concurrency> [304]`
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [, , configFile, concurrency, mode] = process.argv;
const headers = mode === '304' ? { 'if-none-match': '*' } : {};
const agent = new http.Agent({ keepAlive: true });
const feeds = JSON.parse(readFileSync(configFile, 'utf8')).comics.map((comic) => comic.feed);
let next = 0;
const get = (url) =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers }, (res) => {
        res.resume();
        res.once('end', resolve);
      })
      .once('error', reject);
  });
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < feeds.length) await get(feeds[next++]);
  }),
);
agent.destroy();
