/**
 * An Oracle endpoint at plan time, without an Oracle server: a target is refused before anything
 * connects; a source that cannot be reached fails like any server, its password never shown.
 */
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../src/exec/make-plan.js';
import { compilePlan } from '../../src/ir/load.js';
import { CHINOOK_SQLITE } from '../support/servers.js';

function plan(text: string) {
  const ir = compilePlan(text, 'oracle.dmsplan', () => undefined);
  if (!ir.value) throw new Error(`test plan does not compile: ${JSON.stringify(ir.diagnostics)}`);
  return ir.value;
}

describe('Oracle endpoints at plan time', () => {
  it('refuses an Oracle target before connecting to anything', async () => {
    const ir = plan(`source src sqlite {\n  url = env("SRC_URL")\n}\ntarget ora oracle {\n  url = env("ORA_URL")\n}\nmap src.main.* -> ora.APP.* {\n}\n`);
    // Port 9 (discard): a connection attempt would fail with DMS5003, not the answer expected here.
    const made = await makePlan(ir, { planFile: 'oracle.dmsplan', toolVersion: 'test', env: { SRC_URL: `sqlite:${CHINOOK_SQLITE}`, ORA_URL: 'oracle://app:s3cretpw@127.0.0.1:9/FREEPDB1' } });
    expect(made.diagnostics.map((d) => d.code)).toEqual(['DMS3551']);
  });

  it('reports an unreachable Oracle source as a connection failure, with the password hidden', async () => {
    const ir = plan(`source ora oracle {\n  url = env("ORA_URL")\n}\ntarget dst sqlite {\n  url = env("DST_URL")\n}\nmap ora.HR.* -> dst.main.* {\n}\n`);
    const made = await makePlan(ir, { planFile: 'oracle.dmsplan', toolVersion: 'test', env: { ORA_URL: 'oracle://app:s3cretpw@127.0.0.1:9/FREEPDB1', DST_URL: 'sqlite::memory:' } });
    const text = made.diagnostics.map((d) => `${d.code} ${d.message} ${d.hint ?? ''}`).join('\n');
    expect(made.diagnostics.map((d) => d.code)).toEqual(['DMS5003']);
    expect(text).toContain('oracle://app:***@127.0.0.1:9/FREEPDB1');
    expect(text).toMatch(/check that the server is running/);
    expect(text).not.toContain('s3cretpw');
  }, 30_000);
});
