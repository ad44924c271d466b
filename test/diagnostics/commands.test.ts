import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainCommand } from '../../src/cli/commands/explain.js';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { fakeIO } from '../syntax/fake-io.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmsplan-validate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'good.dmsplan'), 'source a mysql { url = env("A") }\ntarget b postgres { url = env("B") }\nmap a.s.* -> b.s.* {}\n');
fs.writeFileSync(path.join(dir, 'warn.dmsplan'), 'source a mysql { url = "mysql://db/shop" }\n');
fs.writeFileSync(path.join(dir, 'bad.dmsplan'), 'migration m {\n  mode = ful_load\n}\n');

describe('dmsplan validate', () => {
  it('exits 0 for valid plans, warnings allowed, and prints a summary', async () => {
    const io = fakeIO({ cwd: dir });
    expect(await validateCommand(['good.dmsplan', 'warn.dmsplan'], io)).toBe(0);
    expect(io.out()).toBe('2 files checked: all valid (0 errors, 1 warning)\n');
    expect(io.err()).toContain('warn.dmsplan:1:24: warning[DMS2031]: literal URL for a mysql server');
  });

  it('exits 1 and prints code frames with carets and hints for invalid plans', async () => {
    const io = fakeIO({ cwd: dir });
    expect(await validateCommand(['bad.dmsplan'], io)).toBe(1);
    expect(io.err()).toBe(
      [
        "bad.dmsplan:2:10: error[DMS2003]: invalid value 'ful_load' for 'mode': expected 'full_load', 'cdc' or 'full_load_and_cdc'",
        '  |',
        '2 |   mode = ful_load',
        '  |          ^^^^^^^^',
        "  = hint: did you mean 'full_load'?",
        '',
      ].join('\n'),
    );
    expect(io.out()).toBe('1 file checked: invalid (1 error, 0 warnings)\n');
  });

  it('--json prints files and diagnostics to stdout', async () => {
    const io = fakeIO({ cwd: dir });
    expect(await validateCommand(['--json', 'bad.dmsplan', 'good.dmsplan'], io)).toBe(1);
    const output = JSON.parse(io.out()) as { files: unknown[]; diagnostics: unknown[] };
    expect(output.files).toEqual([
      { path: 'bad.dmsplan', valid: false, errors: 1, warnings: 0 },
      { path: 'good.dmsplan', valid: true, errors: 0, warnings: 0 },
    ]);
    expect(output.diagnostics).toEqual([
      { code: 'DMS2003', severity: 'error', message: expect.stringContaining('ful_load'), file: 'bad.dmsplan', line: 2, column: 10, endLine: 2, endColumn: 18, hint: "did you mean 'full_load'?" },
    ]);
    expect(io.err()).toBe('');
  });

  it('reports a missing file as invalid, and usage errors with exit 1', async () => {
    const io = fakeIO({ cwd: dir });
    expect(await validateCommand(['nope.dmsplan'], io)).toBe(1);
    expect(io.err()).toContain('error[DMS2070]: cannot read nope.dmsplan');
    expect(await validateCommand([], fakeIO({ cwd: dir }))).toBe(1);
    expect(await validateCommand(['--yaml', 'x'], fakeIO({ cwd: dir }))).toBe(1);
  });

  it('never crashes on binary input', async () => {
    fs.writeFileSync(path.join(dir, 'garbage.dmsplan'), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256)));
    const io = fakeIO({ cwd: dir });
    expect(await validateCommand(['garbage.dmsplan'], io)).toBe(1);
    expect(io.err()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('colours only on a TTY without NO_COLOR', async () => {
    const tty = fakeIO({ cwd: dir, tty: true });
    await validateCommand(['bad.dmsplan'], tty);
    expect(tty.err()).toContain('\u001b[');
    const noColor = fakeIO({ cwd: dir, tty: true, env: { NO_COLOR: '1' } });
    await validateCommand(['bad.dmsplan'], noColor);
    expect(noColor.err()).not.toContain('\u001b[');
  });
});

describe('dmsplan explain', () => {
  it('prints the catalogue entry', async () => {
    const io = fakeIO();
    expect(await explainCommand(['DMS2003'], io)).toBe(0);
    expect(io.out()).toMatch(/^DMS2003: invalid setting value\n\n/);
    expect(await explainCommand(['dms1001'], fakeIO())).toBe(0);
    expect(await explainCommand(['2001'], fakeIO())).toBe(0);
  });

  it('exits 1 for an unknown code, with a did-you-mean', async () => {
    const io = fakeIO();
    expect(await explainCommand(['DMS2300'], io)).toBe(1);
    expect(io.err()).toMatch(/unknown code 'DMS2300'; did you mean DMS\d{4}\?/);
    expect(await explainCommand([], fakeIO())).toBe(1);
  });
});
