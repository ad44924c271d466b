import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fmtCommand } from '../../src/cli/commands/fmt.js';
import { fakeIO } from './fake-io.js';

const MESSY = 'migration m {workers=2   mode=full_load}\n\n\n\nsource a mysql{url=env("A")}  # the shop\n';
const CANONICAL = 'migration m {\n  workers = 2\n  mode    = full_load\n}\n\nsource a mysql { url = env("A") }  # the shop\n';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmsplan-fmt-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
}

describe('dmsplan fmt', () => {
  it('rewrites files in place and exits 0', async () => {
    write('a.dmsplan', MESSY);
    const io = fakeIO({ cwd: dir });
    expect(await fmtCommand(['a.dmsplan'], io)).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.dmsplan'), 'utf8')).toBe(CANONICAL);
    expect(io.out()).toBe('');
  });

  it('--check lists unformatted files, exits 3 and changes nothing', async () => {
    write('a.dmsplan', MESSY);
    write('b.dmsplan', CANONICAL);
    const io = fakeIO({ cwd: dir });
    expect(await fmtCommand(['--check', 'a.dmsplan', 'b.dmsplan'], io)).toBe(3);
    expect(io.out()).toBe('a.dmsplan\n');
    expect(fs.readFileSync(path.join(dir, 'a.dmsplan'), 'utf8')).toBe(MESSY);
    expect(await fmtCommand(['--check', 'b.dmsplan'], fakeIO({ cwd: dir }))).toBe(0);
  });

  it('exits 2 and leaves a file that does not parse untouched, printing its errors', async () => {
    write('bad.dmsplan', 'migration m { workers = }\n');
    const io = fakeIO({ cwd: dir });
    expect(await fmtCommand(['bad.dmsplan'], io)).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'bad.dmsplan'), 'utf8')).toBe('migration m { workers = }\n');
    expect(io.err()).toContain('bad.dmsplan:1:25: error[DMS1003]');
    expect(io.err()).not.toContain('\u001b[');
  });

  it('keeps a UTF-8 byte order mark: it dropped it, and --check called a formatted file with one unformatted', async () => {
    write('bom.dmsplan', `\uFEFF${MESSY}`);
    expect(await fmtCommand(['bom.dmsplan'], fakeIO({ cwd: dir }))).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'bom.dmsplan'))).toEqual(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CANONICAL)]));
    const io = fakeIO({ cwd: dir });
    expect(await fmtCommand(['--check', 'bom.dmsplan'], io)).toBe(0);
    expect(io.out()).toBe('');
    // Positions in errors count from after the mark, as an editor shows them.
    write('bad-bom.dmsplan', '\uFEFFmigration m { workers = }\n');
    const bad = fakeIO({ cwd: dir });
    expect(await fmtCommand(['bad-bom.dmsplan'], bad)).toBe(2);
    expect(bad.err()).toContain('bad-bom.dmsplan:1:25: error[DMS1003]');
  });

  it('reads stdin and writes stdout for -', async () => {
    const io = fakeIO({ cwd: dir, stdin: MESSY });
    expect(await fmtCommand(['-'], io)).toBe(0);
    expect(io.out()).toBe(CANONICAL);
  });

  it('exits 1 on usage errors and unreadable files', async () => {
    expect(await fmtCommand([], fakeIO({ cwd: dir }))).toBe(1);
    expect(await fmtCommand(['--frobnicate', 'a'], fakeIO({ cwd: dir }))).toBe(1);
    const io = fakeIO({ cwd: dir });
    expect(await fmtCommand(['missing.dmsplan'], io)).toBe(1);
    expect(io.err()).toContain('cannot read missing.dmsplan');
  });
});
