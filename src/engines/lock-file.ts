/**
 * A lock held by a file of this machine holding the holder's process id, created exclusively: for
 * what has no server to hold a lock (a PGlite data directory, a SQLite target's run lock). A lock
 * left by a process that no longer runs (kill -9) is taken over once.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Why the lock is not ours: it holds a process that runs (`holder`, when its pid could be read). */
export type LockRefusal = (holder: number | undefined) => Error;

/**
 * Creates `lock` holding our pid. `ownedByUs`: a lock file of this very process is held (true:
 * this process took it and still holds it; false: left over, taken over like a dead one's).
 */
export function takeLockFile(lock: string, refuse: LockRefusal, ownedByUs: (lock: string) => boolean = () => false): void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
    }
    const holder = lockFileHolder(lock);
    const held = holder !== undefined && (holder === process.pid ? ownedByUs(lock) : processRuns(holder));
    // A second EEXIST: another process took the stale lock between our two attempts.
    if (attempt > 0 || held) throw refuse(holder);
    try {
      unlinkSync(lock);
    } catch {
      // Removed by someone else meanwhile: the next attempt decides.
    }
  }
}

/** Removes `lock` if it is still ours. */
export function releaseLockFile(lock: string): void {
  try {
    if (readFileSync(lock, 'utf8').trim().split('\n')[0] === String(process.pid)) unlinkSync(lock);
  } catch {
    // Already gone: nothing to release.
  }
}

function lockFileHolder(lock: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lock, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as { code?: unknown }).code === 'EPERM';
  }
}
