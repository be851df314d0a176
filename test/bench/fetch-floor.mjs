#!/usr/bin/env node
/**
 * The floor under the check benchmark: a process that only fetches the same feeds
 * the way `comics check` does (Node's global fetch over an undici Agent, the same
 * global and per-host limits over one queue, bodies read) and nothing else: no
 * config, no store, no parsing. With `304`, it sends `If-None-Match: *`, which the
 * fixture answers with 304 like a check that has every feed's validators.
 * `node test/bench/fetch-floor.mjs <config.json> <concurrency> <perHost> [304]`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import pLimit from 'p-limit';

const [, , configFile, concurrency, perHost, mode] = process.argv;
const headers = mode === '304' ? { 'if-none-match': '*' } : {};
const Agent = createRequire(import.meta.url)('undici/lib/dispatcher/agent.js');
const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
const feeds = JSON.parse(readFileSync(configFile, 'utf8')).comics.map((comic) => comic.feed);
const global = pLimit(Number(concurrency));
const hosts = new Map();
await Promise.all(
  feeds.map((feed) => {
    const host = new URL(feed).host;
    if (!hosts.has(host)) hosts.set(host, pLimit(Number(perHost)));
    return hosts.get(host)(() => global(async () => (await fetch(feed, { dispatcher, headers })).arrayBuffer()));
  }),
);
await dispatcher.close();
