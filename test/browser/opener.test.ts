import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { browserHint, createOpener } from '../../src/browser/opener.js';

/** A launcher child that has already exited with `code`. */
function exited(code: number): ChildProcess {
  return Object.assign(new EventEmitter(), { exitCode: code }) as unknown as ChildProcess;
}

describe('the browser opener', () => {
  it('names the launcher and the BROWSER value, and says how to fix it', async () => {
    const missing = createOpener({ launch: async () => exited(3), env: { BROWSER: '/nonexistent', PATH: '/usr/bin:/bin' }, platform: 'linux' });
    await expect(missing('https://x.test/1')).rejects.toMatchObject({
      code: 'E_BROWSER',
      message: expect.stringMatching(/^The browser launcher xdg-open failed \(exit code 3\): BROWSER=\/nonexistent is not a program that can be run; set BROWSER/),
    });
    const failing = createOpener({ launch: async () => exited(4), env: { BROWSER: 'false', PATH: '/usr/bin:/bin' }, platform: 'linux' });
    await expect(failing('https://x.test/1')).rejects.toThrow(/xdg-open failed \(exit code 4\): BROWSER=false ran but reported a failure/);
    const mac = createOpener({ launch: async () => exited(1), env: {}, platform: 'darwin' });
    await expect(mac('https://x.test/1')).rejects.toThrow(/^The browser launcher open failed \(exit code 1\); set BROWSER/);
  });

  it('reads BROWSER as xdg-open does: a colon-separated list of commands with arguments', () => {
    expect(browserHint({ BROWSER: 'nosuch --new-tab %s:/nonexistent', PATH: '/usr/bin:/bin' })).toMatch(/is not a program that can be run/);
    expect(browserHint({ BROWSER: 'nosuch:sh -c', PATH: '/usr/bin:/bin' })).toMatch(/ran but reported a failure/);
  });

  it('lets through http(s) and exactly the page it is told about, nothing else', async () => {
    const launched: string[] = [];
    const open = createOpener({ launch: async (url) => (launched.push(url), exited(0)) });
    await open('https://x.test/1');
    await open('file:///tmp/digest/a.html', { page: '/tmp/digest/a.html' });
    await expect(open('file:///etc/passwd', { page: '/tmp/digest/a.html' })).rejects.toMatchObject({ code: 'E_UNSAFE_URL' });
    await expect(open('javascript:alert(1)')).rejects.toMatchObject({ code: 'E_UNSAFE_URL' });
    expect(launched).toEqual(['https://x.test/1', 'file:///tmp/digest/a.html']);
  });
});
