import { describe, expect, it } from 'vitest';
import type { ComicResult } from '../../src/check/check-comics.js';
import { renderCheck } from '../../src/cli/check.js';
import { renderDoctor } from '../../src/cli/doctor.js';
import { colors } from '../../src/cli/terminal.js';
import type { CheckReport } from '../../src/commands/check.js';
import type { StripRow } from '../../src/store/comics-store.js';

const plain = colors(false);

function comic(name: string, fields: Partial<ComicResult> = {}): ComicResult {
  return {
    name,
    mode: 'feed',
    status: 'unchanged',
    new: [],
    skipped: [],
    baselined: false,
    caughtUp: 0,
    pages: 0,
    warnings: [],
    error: null,
    errorCode: null,
    failureClass: null,
    failureStreak: 0,
    ...fields,
  };
}

function report(comics: ComicResult[], fields: Partial<CheckReport> = {}): CheckReport {
  return { comics, opened: [], digest: null, onPage: [], unread: 0, claimedElsewhere: 0, notOpened: null, exitCode: 0, ...fields };
}

const skippedStrip = { url: 'javascript:alert(1)', skipped: 'javascript: URLs are never opened' } as StripRow;
const networkError = (name: string) =>
  comic(name, { status: 'error', error: 'Network error (ECONNREFUSED): GET http://x.test/feed', errorCode: 'E_NETWORK', failureClass: 'network', failureStreak: 1 });

describe('check report', () => {
  it('names the comic of a skipped strip', () => {
    const text = renderCheck(report([comic('Evil', { skipped: [skippedStrip] }), comic('Quiet')]), plain);
    expect(text).toMatch(/^Evil {2}skipped {2}javascript:alert\(1\) \(javascript: URLs are never opened\)$/m);
    expect(text).toMatch(/^1 comic unchanged\.$/m);
  });

  it('names a skipped strip without a link by its title', () => {
    const text = renderCheck(report([comic('Radio', { skipped: [{ url: null, title: 'Episode 4', skipped: 'the entry has no link' } as StripRow] })]), plain);
    expect(text).toMatch(/^Radio {2}skipped {2}"Episode 4" \(the entry has no link\)$/m);
  });

  it('says nothing could be reached after a total outage, without sending the reader to doctor', () => {
    const text = renderCheck(report([networkError('a'), networkError('b')], { exitCode: 1 }), plain);
    expect(text).toMatch(/^Nothing could be reached: is this machine online\?$/m);
    expect(text).not.toMatch(/doctor/);
  });

  it('sends the reader to doctor for failures doctor can explain', () => {
    const broken = comic('c', { status: 'error', error: 'Request failed with status 404', errorCode: 'E_HTTP_STATUS', failureClass: 'http', failureStreak: 1 });
    const text = renderCheck(report([networkError('a'), broken, comic('d')], { exitCode: 1 }), plain);
    expect(text).toMatch(/^2 comics could not be checked; the other 1 was\.$/m);
    expect(text).toMatch(/comics doctor tells what to change\./);
  });

  it('counts strips another run is opening apart from those left for the next run', () => {
    const text = renderCheck(report([comic('a')], { unread: 2, claimedElsewhere: 3 }), plain);
    expect(text).toMatch(/^2 unread strips left for the next run/m);
    expect(text).toMatch(/^3 strips are being opened by another run\.$/m);
  });
});

describe('doctor report', () => {
  it('agrees in number', () => {
    const diagnosis = { name: 'a', ok: false, mode: 'feed', source: 'http://x.test/', problems: ['gone'], checks: [], failureClass: null, failureStreak: 0, failingSince: null, found: null };
    const text = renderDoctor({ diagnoses: [diagnosis], exitCode: 1 } as never, plain);
    expect(text).toMatch(/1 of 1 comic needs attention\.\n$/);
  });
});
