import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestDir, digestFileName, KEEP_DIGESTS, pruneDigests, writeDigest } from '../../src/digest/files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'comics-digest-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('digest files', () => {
  it('go into digest/ beside the database, named by local date and time', () => {
    expect(digestDir('/home/me/comics/data/comics.db')).toBe('/home/me/comics/data/digest');
    expect(digestFileName(new Date(2026, 11, 5, 7, 30, 1))).toBe('2026-12-05T07-30-01.html');
    expect(digestFileName(new Date(2026, 0, 9, 17, 3, 59), 2)).toBe('2026-01-09T17-03-59-2.html');
  });

  it('never replace an earlier page written in the same second', () => {
    const when = new Date(2026, 11, 5, 7, 30, 1);
    const first = writeDigest(join(dir, 'digest'), '<p>one</p>', when);
    const second = writeDigest(join(dir, 'digest'), '<p>two</p>', when);
    expect(first).toBe(join(dir, 'digest', '2026-12-05T07-30-01.html'));
    expect(second).toBe(join(dir, 'digest', '2026-12-05T07-30-01-2.html'));
    expect(readFileSync(first, 'utf8')).toBe('<p>one</p>');
    expect(readFileSync(second, 'utf8')).toBe('<p>two</p>');
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'digest')).sort()).toEqual(['2026-12-05T07-30-01-2.html', '2026-12-05T07-30-01.html']);
  });

  it('fail with one clear error when the folder cannot be written', () => {
    writeFileSync(join(dir, 'digest'), 'a file where the folder should be');
    expect(() => writeDigest(join(dir, 'digest'), '<p/>', new Date())).toThrow(/^Cannot write the digest page into .*digest: /);
  });

  it(`keep the newest ${KEEP_DIGESTS} pages and nothing that is not a digest is removed`, () => {
    const names: string[] = [];
    for (let day = 1; day <= 28; day++) {
      for (const hour of [7, 19, 20]) names.push(digestFileName(new Date(2026, 1, day, hour, 0, 0)));
    }
    names.push('2026-02-28T20-00-00-2.html');
    for (const name of [...names, 'notes.txt', 'my-digest.html', '.digest-1-1.tmp', '.digest-2-2.tmp']) writeFileSync(join(dir, name), '');
    // A killed run's temporary file is old; a running one's is not.
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, '.digest-1-1.tmp'), hourAgo, hourAgo);
    const removed = pruneDigests(dir, KEEP_DIGESTS);
    expect(removed).toEqual(names.slice(0, names.length - KEEP_DIGESTS));
    const left = readdirSync(dir);
    expect(left).toHaveLength(KEEP_DIGESTS + 3);
    expect(left).toEqual(expect.arrayContaining(['notes.txt', 'my-digest.html', '.digest-2-2.tmp', '2026-02-28T20-00-00-2.html']));
    expect(left).not.toContain('.digest-1-1.tmp');
    expect(pruneDigests(join(dir, 'missing'))).toEqual([]);
  });
});
