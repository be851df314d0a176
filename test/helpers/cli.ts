import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const RECORD_BROWSER = fileURLToPath(new URL('./record-browser.sh', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `comics` CLI as a subprocess (asynchronously, so fixture servers
 * in this process keep answering). The environment starts clean of display and
 * browser variables; pass what the test needs.
 */
export function runComics(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm test and npm run build do)`);
  const base = { ...process.env };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'BROWSER', 'COMICS_CONFIG', 'COMICS_DB', 'NO_COLOR', 'FORCE_COLOR']) delete base[name];
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...base, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** URLs the recording browser received, in order. */
export function recorded(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}
