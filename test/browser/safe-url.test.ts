import { describe, expect, it } from 'vitest';
import { browserAvailability } from '../../src/browser/opener.js';
import { browserUrl, launchableUrl } from '../../src/browser/safe-url.js';

describe('browserUrl', () => {
  it.each([
    ['https://xkcd.com/1/', 'https://xkcd.com/1/'],
    ['HTTP://Example.COM/a b', 'http://example.com/a%20b'],
    ['  https://x.test/  ', 'https://x.test/'],
  ])('passes %s on as %s', (input, output) => {
    expect(browserUrl(input)).toEqual({ url: output });
  });

  it.each([
    ['javascript:alert(1)', 'javascript: URLs are never opened'],
    ['JaVaScRiPt:alert(1)', 'javascript: URLs are never opened'],
    ['file:///etc/passwd', 'file: URLs are never opened'],
    ['data:text/html,<script>', 'data: URLs are never opened'],
    ['-oProxyCommand=evil', 'the link is not an absolute URL'],
    ['--new-window', 'the link is not an absolute URL'],
    ['/relative/path', 'the link is not an absolute URL'],
    ['', 'the entry has no link'],
    [null, 'the entry has no link'],
  ])('refuses %s', (input, reason) => {
    expect(browserUrl(input)).toEqual({ reason });
  });
});

describe('launchableUrl', () => {
  const page = '/home/me/data/digest/2026-12-05T07-30-01.html';
  it('lets through http(s) and exactly the page this run wrote', () => {
    expect(launchableUrl('https://xkcd.com/1/', page)).toEqual({ url: 'https://xkcd.com/1/' });
    expect(launchableUrl(`file://${page}`, page)).toEqual({ url: `file://${page}` });
    expect(launchableUrl('file:///home/me/data/digest/2026-12-05T07-30-01%20x.html', '/home/me/data/digest/2026-12-05T07-30-01 x.html')).toMatchObject({ url: expect.any(String) });
  });

  it.each([
    ['file:///etc/passwd', page],
    ['file:///home/me/data/digest/2026-12-04T07-30-01.html', page],
    [`file://${page}`, undefined],
    [`file://${page}`, 'data/digest/2026-12-05T07-30-01.html'],
    ['javascript:alert(1)', page],
  ])('refuses %s when the page is %s', (url, allowed) => {
    expect(launchableUrl(url, allowed)).toMatchObject({ reason: expect.any(String) });
  });
});

describe('browserAvailability', () => {
  it('needs a display or BROWSER on Linux', () => {
    expect(browserAvailability({}, 'linux')).toMatchObject({ ok: false, reason: /no display and no BROWSER/ });
    expect(browserAvailability({ BROWSER: 'firefox' }, 'linux')).toEqual({ ok: true });
    expect(browserAvailability({ DISPLAY: ':0' }, 'linux')).toEqual({ ok: true });
    expect(browserAvailability({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({ ok: true });
    expect(browserAvailability({}, 'darwin')).toEqual({ ok: true });
  });
});
