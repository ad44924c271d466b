/**
 * `apply` end to end without a terminal, as CI and scripts get it: plain lines into a pipe (no
 * escape codes, the same summary table as the live view) and `--json` events. The run is the
 * no-server quickstart: SQLite Chinook → a temp PGlite directory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBin } from '../support/cli.js';
import { stripAnsi } from '../ui/support/virtual-screen.js';

const PLAN = 'plans/quickstart.dmsplan';
const CHINOOK_TABLES = 11;
const CHINOOK_ROWS = '15,607';

const dirs: string[] = [];
function targetDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-term-'));
  dirs.push(dir);
  return `pglite:${path.join(dir, 'pg')}`;
}

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The summary table: a header, one line per Chinook table, and `total (11 tables)  15,607  15,607  0 …  11 ok`. */
function expectChinookSummary(text: string): void {
  expect(text).toMatch(/Apply complete/);
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^table\s+read\s+written\s+rejected\s+time\s+rows\/s\s+validation$/.test(l.trim()));
  expect(header, `no summary table in:\n${text}`).toBeGreaterThanOrEqual(0);
  const body = lines.slice(header + 1, header + 1 + CHINOOK_TABLES);
  for (const table of ['album', 'artist', 'customer', 'employee', 'genre', 'invoice', 'invoice_line', 'media_type', 'playlist', 'playlist_track', 'track']) {
    expect(body.some((l) => new RegExp(`^\\s*public\\.${table}\\s+[\\d,]+\\s+[\\d,]+\\s+0\\s.*\\bok$`).test(l)), `${table} in:\n${body.join('\n')}`).toBe(true);
  }
  const totals = lines.find((l) => l.trim().startsWith(`total (${CHINOOK_TABLES} tables)`));
  expect(totals, `no totals line in:\n${text}`).toBeDefined();
  expect(totals).toMatch(new RegExp(`^\\s*total \\(${CHINOOK_TABLES} tables\\)\\s+${CHINOOK_ROWS}\\s+${CHINOOK_ROWS}\\s+0\\s.*\\b${CHINOOK_TABLES} ok$`));
}

describe('apply without a terminal', () => {
  it('plain: lines without escape codes and the same summary table', async () => {
    const r = await runBin(['apply', PLAN, '--auto-approve'], { QUICKSTART_TARGET_URL: targetDir(), TERM: 'xterm-256color' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b/);
    expect(r.stderr).toBe('');
    expectChinookSummary(stripAnsi(r.stdout));
  }, 60_000);

  it('--json: every line is a JSON event, the first `version`, the last `summary`', async () => {
    const r = await runBin(['apply', PLAN, '--auto-approve', '--json'], { QUICKSTART_TARGET_URL: targetDir() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    const events = lines.map((l) => {
      expect(() => JSON.parse(l), l).not.toThrow();
      return JSON.parse(l) as { type: string; status?: string; tables?: { rowsWritten: number }[] };
    });
    expect(events[0]?.type).toBe('version');
    const last = events.at(-1);
    expect(last?.type).toBe('summary');
    expect(last?.status).toBe('ok');
    expect(last?.tables).toHaveLength(CHINOOK_TABLES);
    expect(last?.tables?.reduce((n, t) => n + t.rowsWritten, 0)).toBe(15607);
    for (const type of ['plan', 'run_start', 'step_start', 'step_finish', 'table_progress', 'validation']) expect(events.map((e) => e.type)).toContain(type);
  }, 60_000);
});
