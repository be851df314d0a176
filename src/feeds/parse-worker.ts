import { parentPort } from 'node:worker_threads';
import { errorMessage, isComicsError } from '../errors.js';
import { parseFeed, preloadFeedParser } from './parse.js';
import type { WorkerReply } from './parser.js';

/** The feed parser thread of ThreadFeedParser: one message in, one reply out. */
interface Job {
  id: number;
  body: Uint8Array;
  url: string;
  contentType: string | null;
}

preloadFeedParser();
parentPort!.on('message', (job: Job) => {
  let reply: WorkerReply;
  try {
    reply = { id: job.id, feed: parseFeed(job.body, { url: job.url, contentType: job.contentType }) };
  } catch (error) {
    const code = isComicsError(error) ? error.code : 'E_FEED_PARSE';
    reply = { id: job.id, error: { code, message: errorMessage(error), url: job.url } };
  }
  parentPort!.postMessage(reply);
});
