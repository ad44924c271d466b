/**
 * `dmsplan apply … --json` as a real subprocess whose events a test watches as they come, so it
 * can act at a chosen moment of the run (kill -9, Ctrl-C, restart the target) and then read how
 * the process ended.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { REPO_ROOT } from './servers.js';

export interface ApplyEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

export interface ApplyProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Every event so far, in order. */
  readonly events: readonly ApplyEvent[];
  /** Resolves with the first event (already seen or still to come) that `match` accepts; rejects if the process ends first. */
  waitFor(match: (e: ApplyEvent) => boolean): Promise<ApplyEvent>;
  /** Resolves once the process has ended, with its exit code (or null) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; lines: readonly string[] }>;
}

/** Writes a plan text into a fresh temp directory and returns its path. */
export function writePlanFile(text: string, prefix = 'dmsplan-res-'): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), prefix)), 'plan.dmsplan');
  writeFileSync(file, text);
  return file;
}

/** A plan of every table of `public` between two PostgreSQL databases (SRC_URL, DST_URL), after `header` (a migration block). */
export function writePostgresToPostgresPlan(header = ''): string {
  return writePlanFile(`${header}
source src postgres {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.public.* -> dst.public.* {
}
`);
}

/** Starts `node bin/dmsplan.js apply FILE --auto-approve --json` with only PATH/HOME and `env`. */
export function startApply(planFile: string, env: Record<string, string>): ApplyProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/dmsplan.js'), 'apply', planFile, '--auto-approve', '--json'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ApplyEvent[] = [];
  const lines: string[] = [];
  const waiters: { match: (e: ApplyEvent) => boolean; resolve: (e: ApplyEvent) => void; reject: (err: Error) => void }[] = [];
  let buffer = '';
  let stderr = '';
  let ended = false;
  const take = (line: string) => {
    if (!line.trim()) return;
    lines.push(line);
    let event: ApplyEvent;
    try {
      event = JSON.parse(line) as ApplyEvent;
    } catch {
      return; // The test asserts separately that every line is JSON.
    }
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const p of parts) take(p);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; lines: readonly string[] }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      take(buffer);
      ended = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`apply ended (code ${code}, signal ${signal}) before the awaited event; stderr: ${stderr.slice(-500)}`));
      resolve({ code, signal, stderr, lines });
    });
  });
  return {
    child,
    events,
    exited,
    waitFor(match) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      if (ended) return Promise.reject(new Error('apply already ended'));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
  };
}

/** The n-th (1-based) `chunk_finish` event. */
export function nthChunkFinish(n: number): (e: ApplyEvent) => boolean {
  let seen = 0;
  return (e) => e.type === 'chunk_finish' && ++seen === n;
}
