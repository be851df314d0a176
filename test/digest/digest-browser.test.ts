/**
 * The digest page in a real browser (Debian's headless Chromium, driven by
 * puppeteer-core): it loads from a file: URL as users open it, every image loads,
 * hostile feed text never runs, keys move between strips, images keep to the
 * viewport, and dark mode follows the system.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderDigest, type DigestComic, type DigestStrip } from '../../src/digest/page.js';
import { BROWSER_SKIP_NOTE, launchChromium, SKIP_BROWSER } from '../helpers/browser.js';
import { RECORD_BROWSER, recorded, runComics } from '../helpers/cli.js';
import { startComicSite } from '../helpers/comic-site.js';
import { png } from '../helpers/png.js';
import { startServer, type TestServer } from '../helpers/server.js';

const OUTPUT = new URL('../output/', import.meta.url);
const EVIL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 1; alert(1)">';

let browser: Browser;
let site: TestServer;
let dir: string;
let page: Page;
let dialogs: string[];

beforeAll(async () => {
  if (SKIP_BROWSER) return;
  site = await startServer({
    routes: {
      '/img/wide.png': { headers: { 'content-type': 'image/png' }, body: png(3000, 400, [[229, 115, 80], [250, 214, 120]], 40) },
      '/img/small.png': { headers: { 'content-type': 'image/png' }, body: png(50, 50, [[60, 140, 110]]) },
      '/img/strip.png': { headers: { 'content-type': 'image/png' }, body: png(640, 220, [[86, 120, 200], [232, 236, 245]], 24) },
      '/img/square.png': { headers: { 'content-type': 'image/png' }, body: png(400, 400, [[240, 170, 60], [255, 240, 200]], 32) },
    },
  });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
});
beforeEach(async () => {
  if (SKIP_BROWSER) return;
  dir = mkdtempSync(join(tmpdir(), 'comics-digest-browser-'));
  page = await browser.newPage();
  dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // Collected from the first script on: anything the policy blocks (our own script and style must not be).
  await page.evaluateOnNewDocument(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
});
afterEach(async () => {
  if (SKIP_BROWSER) return;
  await page.close();
  rmSync(dir, { recursive: true, force: true });
});

function strip(n: number, fields: Partial<DigestStrip> = {}): DigestStrip {
  return {
    title: `Strip ${n}`,
    url: `${site.origin}/strip/${n}/`,
    published: `2026-12-0${n}T00:00:00Z`,
    image: { src: `${site.origin}/img/strip.png`, alt: `Panel art of strip ${n}`, title: `The hover text of strip ${n}.` },
    warnings: [],
    ...fields,
  };
}

/** Writes the page as `comics` does and opens it as a file: URL. */
async function openDigest(comics: DigestComic[], width = 1000): Promise<void> {
  const file = join(dir, 'digest.html');
  writeFileSync(file, renderDigest({ comics, generatedAt: new Date(2026, 11, 5, 7, 30) }));
  await page.setViewport({ width, height: 900 });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  // Lazy images load as they come into view: bring each in and wait for it.
  await page.evaluate(async () => {
    for (const image of Array.from(document.images)) {
      image.scrollIntoView();
      await image.decode().catch(() => {});
    }
    window.scrollTo(0, 0);
  });
}

const current = () => page.$$eval('article.strip', (strips) => strips.findIndex((strip) => strip.classList.contains('current')));

describe.skipIf(SKIP_BROWSER)(`the digest page in Chromium${BROWSER_SKIP_NOTE}`, () => {
  it('loads from a file: URL with every strip image, including an archived copy beside it', async () => {
    const archived = join(dir, 'strips', 'Local', '0001 2026-12-01 Strip 1.png');
    mkdirSync(join(dir, 'strips', 'Local'), { recursive: true });
    writeFileSync(archived, png(300, 120, [[120, 80, 160]]));
    await openDigest([
      { name: 'Web', strips: [strip(1), strip(2, { image: { src: `${site.origin}/img/square.png`, alt: null, title: null } })] },
      { name: 'Local', strips: [strip(1, { localImage: archived })] },
    ]);
    const images = await page.$$eval('img', (all) => all.map((image) => ({ src: image.currentSrc, width: image.naturalWidth })));
    expect(images).toHaveLength(3);
    for (const image of images) expect(image.width, image.src).toBeGreaterThan(0);
    expect(images[2]!.src).toMatch(/^file:.*0001%202026-12-01%20Strip%201\.png$/);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  });

  it('never runs hostile feed content, adds no element and opens no dialog', async () => {
    await openDigest([
      {
        name: EVIL,
        strips: [
          strip(1, {
            title: EVIL,
            url: 'javascript:window.__pwned=1',
            image: { src: `${site.origin}/img/strip.png" onerror="window.__pwned=1`, alt: EVIL, title: EVIL },
            warnings: [EVIL],
          }),
          strip(2, { title: `"><svg onload="window.__pwned=1">`, image: { src: 'javascript:alert(1)', alt: EVIL, title: null } }),
        ],
      },
    ]);
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    const found = await page.evaluate(() => ({
      pwned: typeof (window as unknown as { __pwned?: unknown }).__pwned,
      scripts: document.scripts.length,
      images: document.images.length,
      svg: document.querySelectorAll('svg').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((element) => Array.from(element.attributes).some((a) => a.name.startsWith('on'))).length,
      javascriptLinks: document.querySelectorAll('a[href^="javascript:" i], [src^="javascript:" i]').length,
      text: document.body.innerText,
    }));
    // One image: the src that tried to break out of its attribute is an http URL with its quotes encoded.
    expect(found).toMatchObject({ pwned: 'undefined', scripts: 1, images: 1, svg: 0, handlers: 0, javascriptLinks: 0 });
    expect(await page.$eval('img', (image) => image.getAttribute('src'))).toBe(`${site.origin}/img/strip.png%22%20onerror=%22window.__pwned=1`);
    // The text is shown as text.
    expect(found.text).toContain('<script>window.__pwned = 1</script>');
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  });

  it('moves between strips with j and k, and marks the current one', async () => {
    await openDigest([{ name: 'A', strips: [strip(1), strip(2)] }, { name: 'B', strips: [strip(3)] }]);
    expect(await current()).toBe(-1);
    await page.keyboard.press('j');
    expect(await current()).toBe(0);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    expect(await current()).toBe(2);
    await page.keyboard.press('j');
    expect(await current()).toBe(2);
    await page.keyboard.press('k');
    expect(await current()).toBe(1);
    // The current strip is on screen.
    const top = await page.$eval('article.strip.current', (element) => element.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(100);
  });

  it('shows a strip without an image by its title and link', async () => {
    await openDigest([{ name: 'A', strips: [strip(1, { image: null })] }]);
    const shown = await page.$eval('article.strip', (element) => ({
      title: element.querySelector('h3')?.textContent,
      links: Array.from(element.querySelectorAll('a')).map((a) => a.getAttribute('href')),
      images: element.querySelectorAll('img').length,
    }));
    expect(shown).toEqual({ title: 'Strip 1', links: [`${site.origin}/strip/1/`, `${site.origin}/strip/1/`], images: 0 });
  });

  it('scales images down to the viewport and never up past their natural size', async () => {
    await openDigest(
      [{ name: 'A', strips: [strip(1, { image: { src: `${site.origin}/img/wide.png`, alt: 'wide', title: null } }), strip(2, { image: { src: `${site.origin}/img/small.png`, alt: 'small', title: null } })] }],
      800,
    );
    const widths = await page.$$eval('img', (all) => all.map((image) => image.getBoundingClientRect().width));
    expect(widths[0]).toBeGreaterThan(500);
    expect(widths[0]).toBeLessThanOrEqual(800);
    expect(widths[1]).toBe(50);
  });

  it('follows the system into dark mode', async () => {
    await openDigest([{ name: 'A', strips: [strip(1)] }]);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const light = await background();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    const dark = await background();
    expect(dark).not.toBe(light);
    expect(dark).toBe('rgb(21, 22, 25)');
  });

  it('saves a screenshot of a digest of fixture strips for people to look at', async () => {
    await openDigest([
      {
        name: 'Fixture Comic',
        strips: [
          strip(1, { title: 'The first panel' }),
          strip(2, { title: 'Squares, again', image: { src: `${site.origin}/img/square.png`, alt: 'Orange squares', title: 'Hover text shows under the strip, for touch screens.' } }),
        ],
      },
      {
        name: 'Another Comic',
        strips: [strip(3, { title: 'A page without a picture', image: null, warnings: ['read 20 strips back without reaching one seen before, so older ones may have been missed'] })],
      },
    ]);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    await page.keyboard.press('j');
    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(OUTPUT, { recursive: true });
    const file = new URL('digest.png', OUTPUT);
    await page.screenshot({ path: file.pathname as `${string}.png`, fullPage: true });
  });
});

describe.skipIf(SKIP_BROWSER)(`the digest comics check writes, in Chromium${BROWSER_SKIP_NOTE}`, () => {
  it('opens in one tab from the command line, and shows every strip with its image', async () => {
    const comics = await startComicSite({ comics: [{ slug: 'feed-art', format: 'rss20' }, { slug: 'page-art', format: 'rss20', imageless: true }] });
    try {
      const env = {
        COMICS_CONFIG: join(dir, 'comics.json'),
        COMICS_DB: join(dir, 'data', 'comics.db'),
        BROWSER: RECORD_BROWSER,
        COMICS_TEST_RECORD: join(dir, 'opened.txt'),
      };
      expect((await runComics(['add', comics.feedUrl('feed-art')], env)).code).toBe(0);
      expect((await runComics(['add', comics.feedUrl('page-art')], env)).code).toBe(0);
      comics.publish('feed-art', 2);
      comics.publish('page-art', 2);
      const run = await runComics(['check', '--digest', '--json'], env);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.digest).toMatch(new RegExp(`^${join(dir, 'data', 'digest')}/.*\\.html$`));
      expect(report).toMatchObject({ opened: [], onPage: 4, unread: 0, notOpened: null });
      // The launcher got exactly the page, as a file: URL.
      expect(recorded(env.COMICS_TEST_RECORD)).toEqual([pathToFileURL(report.digest).href]);
      await page.setViewport({ width: 1000, height: 900 });
      await page.goto(pathToFileURL(report.digest).href, { waitUntil: 'load' });
      await page.evaluate(async () => {
        for (const image of Array.from(document.images)) {
          image.scrollIntoView();
          await image.decode().catch(() => {});
        }
      });
      const images = await page.$$eval('img', (all) => all.map((image) => image.naturalWidth));
      expect(images).toHaveLength(4);
      for (const width of images) expect(width).toBeGreaterThan(0);
      expect(await page.$$eval('h2', (all) => all.map((h) => h.textContent))).toEqual(['feed-art', 'page-art']);
    } finally {
      await comics.close();
    }
  });
});
