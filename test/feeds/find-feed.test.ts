import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findFeed } from '../../src/feeds/find-feed.js';
import { HttpClient } from '../../src/http/client.js';

const ORIGIN = 'https://comic.test';
const OLD_JSON_FEED = JSON.stringify({ version: '1.1', title: 'T', items: [{ id: '1', url: `${ORIGIN}/1` }] });

let http: HttpClient;
beforeAll(() => {
  nock.disableNetConnect();
  http = new HttpClient({ sleep: async () => {}, maxTries: 1 });
});
afterAll(async () => {
  nock.enableNetConnect();
  await http.close();
});
afterEach(() => nock.cleanAll());

describe('findFeed and JSON Feeds of a version comics does not read', () => {
  it('says so when the URL given is one', async () => {
    nock(ORIGIN).get('/feed.json').reply(200, OLD_JSON_FEED, { 'content-type': 'application/feed+json' });
    await expect(findFeed(http, `${ORIGIN}/feed.json`)).rejects.toMatchObject({
      code: 'E_FEED_PARSE',
      message: expect.stringMatching(/^Could not read the JSON Feed at https:\/\/comic\.test\/feed\.json: it looks like one, but its version "1\.1" is not one comics reads/),
    });
  });

  it('names it when a common feed path answers with one', async () => {
    nock(ORIGIN)
      .get('/')
      .reply(200, '<html><head><title>Comic</title></head><body>no feed links</body></html>', { 'content-type': 'text/html' })
      .get('/feed.json')
      .reply(200, OLD_JSON_FEED, { 'content-type': 'application/feed+json' })
      .get(/.*/)
      .times(40)
      .reply(404);
    await expect(findFeed(http, `${ORIGIN}/`)).rejects.toMatchObject({
      code: 'E_NO_FEED',
      message: expect.stringMatching(/answered with one; Could not read the JSON Feed at https:\/\/comic\.test\/feed\.json: it looks like one, but its version "1\.1"/),
    });
  });
});
