import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A claim older than this is taken over even if its run may still be alive. */
export const CLAIM_TTL_MS = 10 * 60 * 1000;

/**
 * A name for this run's claims on unread strips: host, process id and a random part,
 * so a later run can tell whether the claimant is still alive.
 *
 * @example
 * newClaimant() // "laptop:4242:1f9c2ab0"
 */
export function newClaimant(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Whether another run's claim still stands: it is recent and, when that run is on
 * this machine, its process is alive. A run killed while opening tabs thus blocks
 * nothing: the next run takes its strips over at once.
 */
export function isClaimLive(claimedBy: string, claimedAt: string, now: Date): boolean {
  const age = now.getTime() - Date.parse(claimedAt);
  if (!(age < CLAIM_TTL_MS)) return false;
  const [host, pidText] = claimedBy.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
