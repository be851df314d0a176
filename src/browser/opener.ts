import type { ChildProcess } from 'node:child_process';
import { ComicsError, errorMessage } from '../errors.js';

/** Hands one URL to the browser; throws E_BROWSER when it could not. */
export type Opener = (url: string) => Promise<void>;

/**
 * Whether a browser can be launched at all. On Linux without a display and without
 * `BROWSER` (a server, cron, ssh) xdg-open has nothing to open tabs in, so nothing
 * is tried and nothing is marked read.
 */
/** Whether a browser can be launched, and why not. */
export type BrowserAvailability = { ok: true } | { ok: false; reason: string };

export function browserAvailability(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): BrowserAvailability {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return { ok: true };
  if (env.BROWSER || env.DISPLAY || env.WAYLAND_DISPLAY) return { ok: true };
  return { ok: false, reason: 'no display and no BROWSER set, so no browser can be launched' };
}

export interface OpenerOptions {
  /** The `open` package's function; injectable for tests. */
  launch?: (url: string) => Promise<ChildProcess>;
  /**
   * How long to wait for the launcher to exit before the next tab, so tabs open
   * in order; a launcher still running after this (a browser started in the
   * foreground) counts as having taken the URL.
   */
  settleMs?: number;
}

/**
 * Opens URLs one at a time through the `open` package (xdg-open on Linux, which
 * honours BROWSER; `open` on macOS; `start` on Windows).
 *
 * @example
 * const openTab = createOpener();
 * await openTab('https://xkcd.com/1/');
 */
export function createOpener(options: OpenerOptions = {}): Opener {
  // The `open` package is loaded on first use: most runs open nothing.
  const launch = options.launch ?? (async (url: string) => (await import('open')).default(url));
  const settleMs = options.settleMs ?? 5_000;
  return async (url) => {
    let child: ChildProcess;
    try {
      child = await launch(url);
    } catch (error) {
      throw new ComicsError('E_BROWSER', `Could not launch a browser: ${errorMessage(error)}`, { url, cause: error });
    }
    const exitCode = await new Promise<number | null | 'running'>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      const timer = setTimeout(() => resolve('running'), settleMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
      child.once('error', () => {
        clearTimeout(timer);
        resolve(-1);
      });
    });
    if (exitCode !== 'running' && exitCode !== 0) {
      // xdg-open exits 3 ("no method available") or 4 (the browser failed) when nothing was opened.
      throw new ComicsError('E_BROWSER', `The browser launcher failed (exit code ${exitCode})`, { url });
    }
  };
}
