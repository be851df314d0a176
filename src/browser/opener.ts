import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { ComicsError, errorMessage } from '../errors.js';
import { launchableUrl } from './safe-url.js';

/**
 * Hands one URL to the browser; throws E_BROWSER when it could not, and
 * E_UNSAFE_URL for anything but http(s) and `page`, the digest page a run wrote
 * (the launcher's URL gate, see launchableUrl).
 */
export type Opener = (url: string, options?: { page?: string }) => Promise<void>;

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
  /** For naming the launcher and checking BROWSER in messages. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
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
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  return async (url, gate = {}) => {
    const safe = launchableUrl(url, gate.page);
    if ('reason' in safe) throw new ComicsError('E_UNSAFE_URL', `Not opened: ${safe.reason}: ${url}`, { url });
    let child: ChildProcess;
    try {
      child = await launch(safe.url);
    } catch (error) {
      throw new ComicsError('E_BROWSER', `Could not launch a browser with ${launcherName(platform)}: ${errorMessage(error)}${browserHint(env)}`, {
        url,
        cause: error,
      });
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
      throw new ComicsError('E_BROWSER', `The browser launcher ${launcherName(platform)} failed (exit code ${exitCode})${browserHint(env)}`, { url });
    }
  };
}

/** What the `open` package runs to open a URL on each platform. */
function launcherName(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'open' : platform === 'win32' ? 'start' : 'xdg-open';
}

/**
 * What to do about it, as far as BROWSER tells: xdg-open runs `$BROWSER` (a list
 * separated by colons, each entry a command, `%s` standing for the URL).
 *
 * @example
 * browserHint({ BROWSER: '/nonexistent' }) // ': BROWSER=/nonexistent is not a program that can be run; set BROWSER to your browser's command (for example firefox), or unset it to use the desktop's default browser'
 */
export function browserHint(env: NodeJS.ProcessEnv): string {
  const value = env.BROWSER;
  const fix = "set BROWSER to your browser's command (for example firefox), or unset it to use the desktop's default browser";
  if (!value) return '; set BROWSER to your browser\'s command (for example BROWSER=firefox)';
  const commands = value.split(':').map((entry) => entry.trim().split(/\s+/)[0] ?? '').filter(Boolean);
  const runnable = commands.filter((command) => isRunnable(command, env.PATH ?? ''));
  if (runnable.length === 0) return `: BROWSER=${value} is not a program that can be run; ${fix}`;
  return `: BROWSER=${value} ran but reported a failure; ${fix}`;
}

function isRunnable(command: string, path: string): boolean {
  const candidates = isAbsolute(command) || command.includes('/') ? [command] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
