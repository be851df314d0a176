#!/usr/bin/python3
"""The reference crawler for the crawl benchmark: the shape of the seed crawler of
"500 Lines or Less" (A Web Crawler With asyncio Coroutines, crawling.py), ported to
Python 3.11 and aiohttp: a queue, a pool of worker coroutines on one session, links
found with a regular expression, followed within the root's host, each URL fetched
once, nothing stored. Run with Debian's python3-aiohttp:

    /usr/bin/python3 test/bench/seed-crawler.py <root-url> [--max-tasks 16] [--max-pages 100000]

Prints one JSON line: {"pages": n, "seconds": s}.
"""
import argparse
import asyncio
import json
import re
import time
import urllib.parse

import aiohttp

HREF = re.compile(r'''(?i)href=["']?([^\s"'<>]+)''')


class Crawler:
    def __init__(self, root, max_tasks, max_pages):
        self.root = root
        self.host = urllib.parse.urlparse(root).netloc
        self.max_tasks = max_tasks
        self.max_pages = max_pages
        self.queue = asyncio.Queue()
        self.seen = {root}
        self.done = 0
        self.queue.put_nowait(root)

    async def crawl(self):
        connector = aiohttp.TCPConnector(limit=self.max_tasks)
        async with aiohttp.ClientSession(connector=connector) as self.session:
            workers = [asyncio.create_task(self.work()) for _ in range(self.max_tasks)]
            await self.queue.join()
            for worker in workers:
                worker.cancel()

    async def work(self):
        while True:
            url = await self.queue.get()
            try:
                await self.fetch(url)
            except Exception:
                pass
            finally:
                self.queue.task_done()

    async def fetch(self, url):
        async with self.session.get(url, allow_redirects=False) as response:
            self.done += 1
            if response.status != 200 or 'html' not in response.headers.get('content-type', ''):
                await response.read()
                return
            text = await response.text()
        for href in HREF.findall(text):
            link, _ = urllib.parse.urldefrag(urllib.parse.urljoin(url, href))
            if link in self.seen or len(self.seen) >= self.max_pages:
                continue
            if urllib.parse.urlparse(link).netloc != self.host:
                continue
            self.seen.add(link)
            self.queue.put_nowait(link)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('root')
    parser.add_argument('--max-tasks', type=int, default=16)
    parser.add_argument('--max-pages', type=int, default=100_000)
    args = parser.parse_args()
    crawler = Crawler(args.root, args.max_tasks, args.max_pages)
    started = time.monotonic()
    asyncio.run(crawler.crawl())
    print(json.dumps({'pages': crawler.done, 'seconds': round(time.monotonic() - started, 3)}))


if __name__ == '__main__':
    main()
