#!/usr/bin/env node
/**
 * The floor under the crawl benchmark's latency scenario: a process that only GETs
 * the fixture's pages /p/0.html … /p/<pages-1>.html with the crawler's transport
 * (undici's request API over an undici Agent), `concurrency` at a time, bodies read
 * as text; no robots.txt, links, frontier or store. Prints its own elapsed ms.
 * `node test/bench/request-floor.mjs <origin> <pages> <concurrency>`
 */
import { createRequire } from 'node:module';

const [, , origin, pages, concurrency] = process.argv;
const require = createRequire(import.meta.url);
const Agent = require('undici/lib/dispatcher/agent.js');
const request = require('undici/lib/api/api-request.js');
const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (next < Number(pages)) {
      const { body } = await request.call(dispatcher, { origin, path: `/p/${next++}.html`, method: 'GET' });
      await body.text();
    }
  }),
);
process.stdout.write(`${Math.round(performance.now() - started)}\n`);
await dispatcher.close();
