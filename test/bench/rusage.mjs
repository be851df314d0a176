#!/usr/bin/env node
/**
 * Runs the built CLI in this same process and, when it exits, writes the whole
 * process's resource usage (peak RSS, CPU) as JSON to the file named by
 * RUSAGE_FILE: `node test/bench/rusage.mjs dist/cli/main.js crawl ...`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , cli, ...args] = process.argv;
process.argv = [process.argv[0], resolve(cli), ...args];
process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.RUSAGE_FILE,
    JSON.stringify({ maxRssKb: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }),
  );
});
await import(pathToFileURL(resolve(cli)).href);
