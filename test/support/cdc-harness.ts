/** Running the follower in CDC tests: a child `apply --json` killed with SIGKILL at a chosen event. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './servers.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `apply --json` as a child process and sends it `signal` (SIGKILL unless told) once `until`
 * sees the event it waits for; resolves when the child has ended, with its exit code.
 */
export async function applyThenKill(
  file: string,
  env: Record<string, string>,
  until: (event: { type: string; [k: string]: unknown }) => boolean,
  timeoutMs = 30000,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ killed: boolean; events: { type: string }[]; code: number | null }> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/dmsplan.js'), 'apply', file, '--auto-approve', '--json'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: { type: string }[] = [];
  let killed = false;
  let code: number | null = null;
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the follower never reached the awaited event; last events: ${JSON.stringify(events.slice(-5))}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => process.env.DEBUG_CDC && console.log('STDERR', d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      if (process.env.DEBUG_CDC) for (const l of d.toString().split('\n')) if (l && !l.includes('table_progress')) console.log(new Date().toISOString(), l.slice(0, 300));
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as { type: string };
        events.push(e);
        if (!killed && until(e)) {
          killed = true;
          child.kill(signal);
        }
      }
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      code = c;
      resolve();
    });
    child.on('error', reject);
  });
  return { killed, events, code };
}

/** The first rows that differ (target vs source, both ordered by key): a readable failure. */
export function firstDifferences(target: readonly string[], source: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(target.length, source.length) && out.length < 5; i++) {
    if (target[i] !== source[i]) out.push(`row ${i}: target ${target[i]} / source ${source[i]}`);
  }
  return out;
}

