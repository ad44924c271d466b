/**
 * End to end in a pseudo-terminal: `script` gives the child a TTY stdout, so createReporter picks
 * the Ink view exactly as `dmsplan apply` would on a terminal. No database: the child feeds a
 * canned event sequence (test/ui/support/feed-reporter.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { finalScreen, stripAnsi } from './support/virtual-screen.js';

const haveScript = spawnSync('script', ['--version']).status === 0;
const VITE_NODE = 'node_modules/.bin/vite-node';

function runInPty(scenario: string, env: Record<string, string | undefined>): { raw: string; code: number | null } {
  // Ink and createReporter both stand down under CI: the test decides what the child sees.
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) {
    if (v === undefined || ['CI', 'CONTINUOUS_INTEGRATION', 'NO_COLOR', 'FORCE_COLOR'].includes(k) && !(k in env)) continue;
    childEnv[k] = v;
  }
  childEnv.TERM = env.TERM ?? 'xterm-256color';
  const cmd = `stty cols 120 rows 50; ${VITE_NODE} test/ui/support/feed-reporter.ts -- ${scenario}`;
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { env: childEnv, encoding: 'utf8', timeout: 50_000 });
  return { raw: r.stdout, code: r.status };
}

// Skipped only when util-linux `script` or vite-node (installed by npm ci) is missing; Debian machines always have `script`.
describe.skipIf(!haveScript || !existsSync(VITE_NODE))('apply reporter in a pseudo-terminal', () => {
  it('draws the Ink view and ends on the summary table and outcome', () => {
    const { raw, code } = runInPty('complete', {});
    expect(code).toBe(0);
    expect(raw).toContain('[stdout isTTY=true]');
    // Ink redraws in place: erase-line and cursor-up sequences are its signature.
    expect(raw).toContain('\u001b[2K');
    const screen = finalScreen(raw);
    expect(screen).toMatch(/✓ chinook\.album 347 rows in [\d.]+s/);
    expect(screen).toMatch(/table\s+read\s+written\s+rejected\s+time\s+rows\/s\s+validation/);
    expect(screen).toMatch(/chinook\.track\s+3,503\s+3,502\s+1\s+2\.0s\s+1,751\s+ok/);
    expect(screen).toMatch(/total \(2 tables\)\s+3,850\s+3,849\s+1\s+3\.2s/);
    expect(screen).toContain('✓ Apply complete');
    // The live bars are gone from the final screen, and appear exactly once per line above.
    expect(screen).not.toContain('█');
    expect(screen.match(/Applying chinook/g)).toHaveLength(1);
    expect(screen).not.toContain('s3cret');
  }, 60_000);

  it('shows how to resume after an interrupted run', () => {
    const { raw } = runInPty('interrupted', {});
    const screen = finalScreen(raw);
    expect(screen).toContain('Interrupted — run the same command again to resume');
    expect(screen).toContain('Apply interrupted: 3 steps done, 5 not run.');
    expect(screen).toMatch(/chinook\.album\s+347\s+347\s+0\s+0\.5s/);
  }, 60_000);

  it('prints plain lines without escape codes under CI with NO_COLOR, even on a terminal', () => {
    const { raw } = runInPty('complete', { CI: 'true', NO_COLOR: '1' });
    const body = raw.slice(0, raw.indexOf('[stdout isTTY=true]'));
    expect(raw).toContain('[stdout isTTY=true]');
    expect(body).not.toContain('\u001b');
    expect(body).toContain('▸ copy chinook.track (~3,503 rows)');
    expect(body).toMatch(/chinook\.track\s+3,503\s+3,502\s+1\s+2\.0s\s+1,751\s+ok/);
    expect(stripAnsi(body)).toContain('✓ Apply complete');
  }, 60_000);
});
