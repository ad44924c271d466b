/**
 * Claiming a PGlite data directory for this process. PGlite has no postmaster: nothing stops a
 * second process from opening the same directory, and two backends writing one directory each
 * from their own buffers leave it inconsistent (one apply's rows, another's missing primary key).
 * So the directory is claimed with a lock file holding our process id, created exclusively; a
 * lock left by a process that no longer runs (kill -9) is taken over.
 *
 * Before that, the directory must be one PGlite can use: a data directory (it has PG_VERSION),
 * or, for a target, a missing or empty one, which PGlite initialises. A directory holding other
 * files is refused rather than filled with a database cluster, and a source must already exist.
 */
import { existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { EngineError } from '../contract.js';
import { releaseLockFile, takeLockFile } from '../lock-file.js';

/** The lock file, inside the data directory (PGlite ignores files it does not know). */
export const PGLITE_LOCK_FILE = 'dmsplan.lock';

export interface DataDirClaim {
  release(): void;
}

export function claimDataDirectory(dir: string, role: 'source' | 'target' | undefined, endpoint: string): DataDirClaim {
  checkDataDirectory(dir, role, endpoint);
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, PGLITE_LOCK_FILE);
  takeLock(lock, dir, endpoint);
  return {
    release() {
      releaseLockFile(lock);
    },
  };
}

/**
 * A directory PGlite would initialise (missing, or empty but for a lock file); throws as claiming
 * would for one it cannot use.
 */
export function isNewDataDirectory(dir: string, role: 'source' | 'target' | undefined, endpoint: string): boolean {
  checkDataDirectory(dir, role, endpoint);
  return !existsSync(dir) || !existsSync(path.join(dir, 'PG_VERSION'));
}

function checkDataDirectory(dir: string, role: 'source' | 'target' | undefined, endpoint: string): void {
  if (!existsSync(dir)) {
    if (role === 'source') throw new EngineError(`PGlite data directory ${dir} does not exist`, 'connect', 'PGLITE_NO_DATA_DIR', endpoint);
    return;
  }
  if (!statSync(dir).isDirectory()) {
    throw new EngineError(`${dir} is a file, not a PGlite data directory: name a directory in the URL (pglite:${dir}.pgdata)`, 'connect', 'PGLITE_NOT_A_DATA_DIR', endpoint);
  }
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  const others = readdirSync(dir).filter((name) => name !== PGLITE_LOCK_FILE);
  if (others.length > 0) {
    throw new EngineError(
      `${dir} is not a PGlite data directory (no PG_VERSION) and holds other files (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}): name a new or empty directory in the URL`,
      'connect',
      'PGLITE_NOT_A_DATA_DIR',
      endpoint,
    );
  }
  if (role === 'source') throw new EngineError(`PGlite data directory ${dir} is empty: it holds no database to read`, 'connect', 'PGLITE_NO_DATA_DIR', endpoint);
}

/** Creates the lock file exclusively; a stale one (its process is gone) is replaced once. */
function takeLock(lock: string, dir: string, endpoint: string): void {
  takeLockFile(
    lock,
    (holder) =>
      new EngineError(
        `PGlite data directory ${dir} is in use by another process${holder === undefined ? '' : ` (pid ${holder})`}; PGlite cannot share a directory between processes: wait for it to finish, or stop it (if no such process uses it, remove ${lock})`,
        'connect',
        'PGLITE_IN_USE',
        endpoint,
      ),
  );
}
