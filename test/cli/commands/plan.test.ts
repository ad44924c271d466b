/** `dmsplan plan --out` when the saved plan cannot be written (SQLite endpoints: no server needed). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { CHINOOK_SQLITE } from '../../support/servers.js';

describe('plan --out', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dms-plan-out-'));
  const file = path.join(dir, 'p.dmsplan');
  writeFileSync(file, 'source src sqlite { url = env("SRC_URL") }\ntarget dst sqlite { url = env("DST_URL") }\nmap src.main.Genre -> dst.main.* {}\n');
  const env = { SRC_URL: `sqlite:${CHINOOK_SQLITE}`, DST_URL: `sqlite:${path.join(dir, 'dst.sqlite')}` };

  it('says the plan could not be saved, exit 1, without an internal error or a "Saved plan" line', async () => {
    // It printed "dmsplan plan: internal error: ENOENT …" and "This is a bug in dmsplan".
    const missing = path.join(dir, 'no-such-dir', 'p.json');
    const run = await runCli(['plan', file, '--out', missing], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`dmsplan plan: cannot write the saved plan to ${missing}: ENOENT`);
    expect(run.stderr).not.toContain('internal error');
    expect(run.stdout).not.toContain('Saved plan');
    const json = await runCli(['plan', file, '--json', '--out', dir], env);
    expect(json.code).toBe(1);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    expect(json.stderr).toContain('cannot write the saved plan');
  });

  it('saves where it can, exit 0', async () => {
    const out = path.join(dir, 'ok.json');
    const run = await runCli(['plan', file, `--out=${out}`], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Saved plan to ${out}.`);
  });
});
