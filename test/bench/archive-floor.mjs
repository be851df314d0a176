#!/usr/bin/env node
/**
 * The floor under the archive's ideal-ratio figure: the same requests as a walk back
 * and nothing else, with the client the archive uses (undici's request API). Pages go
 * one after another (each page's link is only known from the page before), newest
 * first, by their known URLs; each image is asked for as its page arrives, with the
 * page's slot kept free (per-host - 1 images in flight). No robots.txt, parsing,
 * store or files. Prints its own elapsed ms.
 *
 * Usage: node test/bench/archive-floor.mjs <page origin> <comic> <strips> [per-host]
 */
import pLimit from 'p-limit';
import { HttpClient } from '../../dist/http/client.js';

const [origin, comic, stripsText, perHostText = '2'] = process.argv.slice(2);
const strips = Number(stripsText);
const images = pLimit(Math.max(1, Number(perHostText) - 1));
const http = new HttpClient({ transport: 'request' });
const started = performance.now();
const pending = [];
for (let n = strips; n >= 1; n--) {
  await http.get(`${origin}/c${comic}/strip/${n}/`);
  pending.push(images(() => http.get(`${origin}/c${comic}/img/${n}.png`)));
}
await Promise.all(pending);
process.stdout.write(String(Math.round(performance.now() - started)));
await http.close();
