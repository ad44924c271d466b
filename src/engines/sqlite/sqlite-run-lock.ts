/**
 * The run lock of a SQLite target: one `apply` of a plan at a time into one file. Two runs both
 * found a copy unrecorded and loaded it twice (SQLite's own write lock only takes their chunks in
 * turns). A lock held by an open transaction, as on the servers, would keep the run's own writes
 * out, so the lock is a file beside the database holding the run's process id, one per plan (other
 * plans into the same file go on beside it), taken over when its process no longer runs.
 */
import { createHash } from 'node:crypto';
import { releaseLockFile, takeLockFile } from '../lock-file.js';
import { MEMORY, sqlitePathOfUrl } from './sqlite-driver.js';

/** Lock files this process holds: a second run in the same process is refused too. */
const held = new Set<string>();

/** `app.db` → `app.db-dmsplan-<plan hash>.lock`, beside SQLite's own `-wal` and `-shm` files. */
export function sqliteRunLockFile(file: string, plan: string): string {
  return `${file}-dmsplan-${createHash('sha256').update(plan).digest('hex').slice(0, 12)}.lock`;
}

export function claimSqliteRunLock(url: string, plan: string): { readonly release: () => void } | { readonly heldBy: string } | undefined {
  const file = sqlitePathOfUrl(url);
  if (file === MEMORY) return undefined;
  const lock = sqliteRunLockFile(file, plan);
  try {
    takeLockFile(lock, (holder) => new HeldElsewhere(holder), (l) => held.has(l));
  } catch (err) {
    if (err instanceof HeldElsewhere) return { heldBy: `${err.holder === undefined ? 'a process' : `process ${err.holder}`}, lock file ${lock}` };
    throw err;
  }
  held.add(lock);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held.delete(lock);
      releaseLockFile(lock);
    },
  };
}

class HeldElsewhere extends Error {
  constructor(readonly holder: number | undefined) {
    super('held');
  }
}

