import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = process.env.COMICS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Browser tests run wherever Chromium is; without it they fail, naming the package,
 * unless skipping was asked for outside CI (COMICS_SKIP_BROWSER_TESTS=1): CI never skips.
 */
export const SKIP_BROWSER = !existsSync(CHROMIUM) && process.env.COMICS_SKIP_BROWSER_TESTS === '1' && !process.env.CI;

/** The title suffix that says why browser tests were skipped, when they were. */
export const BROWSER_SKIP_NOTE = SKIP_BROWSER ? ` (skipped: no Chromium at ${CHROMIUM} and COMICS_SKIP_BROWSER_TESTS=1)` : '';

/**
 * Headless Chromium for one test file, with a fresh profile that is removed on close.
 *
 * @example
 * const browser = await launchChromium(); ... await browser.close();
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser tests need Debian's chromium package (apt-get install chromium; .ci/run installs it). ` +
        'Outside CI they can be skipped with COMICS_SKIP_BROWSER_TESTS=1.',
    );
  }
  const { launch } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'comics-chromium-'));
  const browser = await launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    // Without the background-networking flags Chromium keeps trying the closed network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = browser.close.bind(browser);
  // The profile goes once Chromium is gone: it may still be writing to it while it shuts down.
  browser.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  return browser;
}
