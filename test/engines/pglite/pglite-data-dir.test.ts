/**
 * Claiming a PGlite data directory: PGlite has no postmaster, so two processes on one directory
 * each write it from their own buffers (one apply's rows, another's primary key lost). A lock
 * file keeps a second process out; a lock left by a killed process is taken over. A directory
 * that holds other files is never turned into a data directory, and a source's must exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimDataDirectory, PGLITE_LOCK_FILE } from '../../../src/engines/pglite/pglite-data-dir.js';

const root = mkdtempSync(path.join(tmpdir(), 'dms-pglite-dir-'));
let n = 0;
const fresh = (): string => path.join(root, `d${n++}`);
const endpoint = 'pglite:test';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('claiming a PGlite data directory', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a target\'s missing directory and holds a lock file with our pid until released', () => {
    const dir = fresh();
    const claim = claimDataDirectory(dir, 'target', endpoint);
    const lock = path.join(dir, PGLITE_LOCK_FILE);
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));
    claim.release();
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses a directory another running process holds, naming its pid', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
    writeFileSync(path.join(dir, PGLITE_LOCK_FILE), `${process.ppid}\n`);
    expect(() => claimDataDirectory(dir, 'target', endpoint)).toThrow(expect.objectContaining({ kind: 'connect', dbCode: 'PGLITE_IN_USE', message: expect.stringContaining(`in use by another process (pid ${process.ppid})`) }));
    // The holder's lock stays.
    expect(readFileSync(path.join(dir, PGLITE_LOCK_FILE), 'utf8').trim()).toBe(String(process.ppid));
  });

  it('takes over the lock of a process that no longer runs (kill -9)', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
    writeFileSync(path.join(dir, PGLITE_LOCK_FILE), `${deadPid()}\n`);
    const claim = claimDataDirectory(dir, 'source', endpoint);
    expect(readFileSync(path.join(dir, PGLITE_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    claim.release();
  });

  it('never turns a directory holding other files, or a file, into a data directory', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(() => claimDataDirectory(dir, 'target', endpoint)).toThrow(expect.objectContaining({ kind: 'connect', dbCode: 'PGLITE_NOT_A_DATA_DIR', message: expect.stringContaining('holds other files (notes.txt)') }));
    expect(existsSync(path.join(dir, PGLITE_LOCK_FILE))).toBe(false);
    const file = path.join(dir, 'notes.txt');
    expect(() => claimDataDirectory(file, 'target', endpoint)).toThrow(expect.objectContaining({ dbCode: 'PGLITE_NOT_A_DATA_DIR', message: expect.stringContaining('is a file') }));
  });

  it('refuses a source whose directory is missing or empty, and creates nothing for it', () => {
    const missing = fresh();
    expect(() => claimDataDirectory(missing, 'source', endpoint)).toThrow(expect.objectContaining({ dbCode: 'PGLITE_NO_DATA_DIR', message: expect.stringContaining('does not exist') }));
    expect(existsSync(missing)).toBe(false);
    const empty = fresh();
    mkdirSync(empty);
    expect(() => claimDataDirectory(empty, 'source', endpoint)).toThrow(expect.objectContaining({ dbCode: 'PGLITE_NO_DATA_DIR', message: expect.stringContaining('is empty') }));
    // An empty directory is a target PGlite initialises.
    claimDataDirectory(empty, 'target', endpoint).release();
  });
});
