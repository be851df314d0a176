import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RobotsCache, rulesFrom } from '../../src/crawl/robots.js';
import { HttpClient } from '../../src/http/client.js';
import type { SavedRobots } from '../../src/store/crawl-store.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => nock.enableNetConnect());

const ORIGIN = 'https://comic.test';

function cache(saved = new Map<string, SavedRobots>()) {
  const http = new HttpClient({ sleep: async () => {}, random: () => 0 });
  return {
    saved,
    robots: new RobotsCache({ http, load: (o) => saved.get(o), save: (o, r) => saved.set(o, r), maxTries: 1 }),
  };
}

describe('robots.txt rules', () => {
  it('parses a 2xx answer for our user agent, with Crawl-delay', () => {
    const rules = rulesFrom(ORIGIN, {
      status: 200,
      body: 'User-agent: *\nDisallow: /\n\nUser-agent: comics\nDisallow: /drafts/\nCrawl-delay: 1.5\n',
      error: null,
    });
    expect(rules.allows(`${ORIGIN}/comic/1`)).toBe(true);
    expect(rules.allows(`${ORIGIN}/drafts/x`)).toBe(false);
    expect(rules.crawlDelayMs).toBe(1500);
  });

  it('allows everything on 4xx and nothing when unreachable (RFC 9309)', () => {
    expect(rulesFrom(ORIGIN, { status: 404, body: null, error: null }).allows(`${ORIGIN}/a`)).toBe(true);
    expect(rulesFrom(ORIGIN, { status: 503, body: null, error: null }).allows(`${ORIGIN}/a`)).toBe(false);
    expect(rulesFrom(ORIGIN, { status: null, body: null, error: 'ECONNREFUSED' }).allows(`${ORIGIN}/a`)).toBe(false);
  });
});

describe('RobotsCache', () => {
  it('fetches robots.txt once per origin and saves the answer', async () => {
    nock(ORIGIN).get('/robots.txt').reply(200, 'User-agent: *\nDisallow: /private\n');
    const { robots, saved } = cache();
    await robots.load(ORIGIN);
    await robots.load(ORIGIN);
    expect(robots.rules(ORIGIN).allows(`${ORIGIN}/private/1`)).toBe(false);
    expect(saved.get(ORIGIN)).toMatchObject({ status: 200, error: null });
  });

  it('reads a saved answer back instead of fetching (resume)', async () => {
    const { robots } = cache(new Map([[ORIGIN, { status: 200, body: 'User-agent: *\nDisallow: /\n', error: null }]]));
    await robots.load(ORIGIN);
    expect(robots.rules(ORIGIN).allows(`${ORIGIN}/`)).toBe(false);
  });

  it('treats a server error as a closed site and a missing file as an open one', async () => {
    nock(ORIGIN).get('/robots.txt').reply(500);
    nock('https://open.test').get('/robots.txt').reply(404);
    const { robots } = cache();
    await robots.load(ORIGIN);
    await robots.load('https://open.test');
    expect(robots.rules(ORIGIN).allows(`${ORIGIN}/`)).toBe(false);
    expect(robots.rules('https://open.test').allows('https://open.test/')).toBe(true);
  });

  it('follows a redirect of robots.txt', async () => {
    nock(ORIGIN).get('/robots.txt').reply(301, '', { location: 'https://www.comic.test/robots.txt' });
    nock('https://www.comic.test').get('/robots.txt').reply(200, 'User-agent: *\nDisallow: /x\n');
    const { robots } = cache();
    await robots.load(ORIGIN);
    expect(robots.rules(ORIGIN).allows(`${ORIGIN}/x`)).toBe(false);
  });
});
