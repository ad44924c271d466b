/**
 * The control schema's records across versions of a plan: a table emptied or remade for one
 * version voids what earlier versions recorded of it. Before, a plan edited A → B → C with
 * `prepare = truncate` skipped the truncate of C ("done in an earlier run": B's record) and loaded
 * C's rows beside B's, and a plan edited A → B → A with `drop_and_create` planned "No changes"
 * (A's copy record had outlived B's drop) with B's rows in the table.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePlan } from '../../src/ir/load.js';
import { applyGraph } from '../../src/exec/apply.js';
import { makePlan } from '../../src/exec/make-plan.js';
import type { ExecEvent } from '../../src/exec/events.js';
import { findEngine } from '../../src/engines/registry.js';
import { CHINOOK_SQLITE } from '../support/servers.js';

function planWithFilter(prepare: 'truncate' | 'drop_and_create', lastGenre: number, chunkRows?: number) {
  const text = `
source src sqlite { url = env("SRC_URL") }
target dst sqlite {
  url     = env("DST_URL")
  prepare = ${prepare}
}
map src.main.Genre -> dst.main.* {
  table Genre {
    where GenreId <= ${lastGenre}${chunkRows ? `\n    chunk rows = ${chunkRows}` : ''}
  }
}
`;
  const ir = compilePlan(text, 'versions.dmsplan', () => undefined);
  if (!ir.value) throw new Error(`test plan does not compile: ${JSON.stringify(ir.diagnostics)}`);
  return ir.value;
}

async function planAndApply(env: Record<string, string>, prepare: 'truncate' | 'drop_and_create', lastGenre: number, options: { chunkRows?: number; stopAfterFirstChunk?: boolean } = {}) {
  const made = await makePlan(planWithFilter(prepare, lastGenre, options.chunkRows), { planFile: 'versions.dmsplan', toolVersion: 'test', env });
  if (!made.graph) throw new Error(`planning failed: ${JSON.stringify(made.diagnostics)}`);
  const events: ExecEvent[] = [];
  // Ctrl-C as soon as a chunk is committed, when asked.
  const cancelled = () => options.stopAfterFirstChunk === true && events.some((e) => e.type === 'chunk_finish');
  const status = await applyGraph(made.graph, { env, toolVersion: 'test', emit: (e) => events.push(e), cancelled });
  return { graph: made.graph, events, status };
}

async function genreIds(url: string): Promise<number[]> {
  const conn = await findEngine('sqlite')!.connect({ url, session: [], tls: undefined, poolSize: 1, applicationName: 'test', role: 'target' });
  try {
    return (await conn.query('SELECT "GenreId" AS id FROM "Genre" ORDER BY 1')).map((r) => Number(r.id));
  } finally {
    await conn.close();
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('apply across versions of a plan', () => {
  const env = () => ({ SRC_URL: `sqlite:${CHINOOK_SQLITE}`, DST_URL: `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'dms-versions-')), 'dst.sqlite')}` });

  it('truncates again for every new version of the copy (prepare = truncate: 5 → 10 → 3 rows)', async () => {
    const e = env();
    for (const last of [5, 10, 3]) {
      const run = await planAndApply(e, 'truncate', last);
      expect(run.status).toBe('ok');
      expect(await genreIds(e.DST_URL)).toEqual(range(last));
      expect(run.events.filter((ev) => ev.type === 'step_skip')).toEqual([]);
      expect(run.events.find((ev) => ev.type === 'validation')).toMatchObject({ ok: true, sourceRows: last, targetRows: last });
    }
  });

  it('loads an earlier version again after another one replaced it (drop_and_create: 5 → 10 → 5 rows)', async () => {
    const e = env();
    for (const last of [5, 10, 5]) {
      const run = await planAndApply(e, 'drop_and_create', last);
      expect(run.status).toBe('ok');
      expect(run.graph.steps.map((s) => s.kind)).toContain('copy');
      expect(await genreIds(e.DST_URL)).toEqual(range(last));
    }
    // The same version once more: now nothing is left to do.
    const again = await planAndApply(e, 'drop_and_create', 5);
    expect(again.graph.steps).toEqual([]);
  });

  for (const prepare of ['drop_and_create', 'truncate'] as const) {
    it(`loads an earlier version afresh when its copy stopped half way and another version replaced the table since (${prepare}: a chunk of 20 → 10 → 20 rows)`, async () => {
      // The half-done copy's chunks outlived the other version's remake (they name no table), so
      // the earlier version, planned again, resumed after them into the other version's rows.
      const e = env();
      const stopped = await planAndApply(e, prepare, 20, { chunkRows: 5, stopAfterFirstChunk: true });
      expect(stopped.status).toBe('interrupted');
      const partial = await genreIds(e.DST_URL);
      expect(partial.length).toBeGreaterThan(0);
      expect(partial.length).toBeLessThan(20);
      expect((await planAndApply(e, prepare, 10, { chunkRows: 5 })).status).toBe('ok');
      expect(await genreIds(e.DST_URL)).toEqual(range(10));
      const again = await planAndApply(e, prepare, 20, { chunkRows: 5 });
      expect(again.status).toBe('ok');
      expect(again.events.filter((ev) => ev.type === 'log' && ev.message.includes('resuming'))).toEqual([]);
      expect(await genreIds(e.DST_URL)).toEqual(range(20));
      expect(again.events.find((ev) => ev.type === 'validation')).toMatchObject({ ok: true, sourceRows: 20, targetRows: 20 });
    });
  }

  it('resumes a merge stopped after its first source, with the second source begun but none of its chunks committed (prepare = do_nothing)', async () => {
    // The second source's started record made the next plan take it for rows of an earlier
    // version of the plan, and refuse the target (DMS4001) that the first source had loaded.
    const e = { ...env(), SRC2_URL: `sqlite:${CHINOOK_SQLITE}` };
    const text = `
migration merged {
  workers = 1
}
source src sqlite { url = env("SRC_URL") }
source src2 sqlite { url = env("SRC2_URL") }
target dst sqlite { url = env("DST_URL") }
merge genres into dst.main.Genre {
  from src.main.Genre tag region = 'eu'
  from src2.main.Genre tag region = 'us'
  key (region, GenreId)
}
`;
    const ir = compilePlan(text, 'merged.dmsplan', () => undefined);
    if (!ir.value) throw new Error(`test plan does not compile: ${JSON.stringify(ir.diagnostics)}`);
    const run = async (stopAtSecondCopy: boolean) => {
      const made = await makePlan(ir.value!, { planFile: 'merged.dmsplan', toolVersion: 'test', env: e });
      if (!made.graph) throw new Error(`planning failed: ${JSON.stringify(made.diagnostics)}`);
      const events: ExecEvent[] = [];
      const cancelled = () => stopAtSecondCopy && events.filter((ev) => ev.type === 'step_start' && ev.kind === 'copy').length >= 2;
      return { status: await applyGraph(made.graph, { env: e, toolVersion: 'test', emit: (ev) => events.push(ev), cancelled }), events };
    };
    const first = await run(true);
    expect(first.status).toBe('interrupted');
    expect(first.events.filter((ev) => ev.type === 'step_finish' && ev.id.startsWith('copy:'))).toHaveLength(1);
    const second = await run(false);
    expect(second.status).toBe('ok');
    expect(await genreIds(e.DST_URL)).toEqual([...range(25), ...range(25)].sort((a, b) => a - b));
  });

  it('a Ctrl-C that comes once every step has finished leaves the run complete, not interrupted', async () => {
    // It said "Apply interrupted: 3 steps done, 0 not run" and exited 130, with nothing to resume.
    const e = env();
    const made = await makePlan(planWithFilter('drop_and_create', 5), { planFile: 'versions.dmsplan', toolVersion: 'test', env: e });
    if (!made.graph) throw new Error(`planning failed: ${JSON.stringify(made.diagnostics)}`);
    const last = made.graph.steps.length;
    const events: ExecEvent[] = [];
    const cancelled = () => events.filter((ev) => ev.type === 'step_finish').length === last;
    const status = await applyGraph(made.graph, { env: e, toolVersion: 'test', emit: (ev) => events.push(ev), cancelled });
    expect(status).toBe('ok');
    expect(events.find((ev) => ev.type === 'summary')).toMatchObject({ status: 'ok', stepsNotRun: 0 });
  });

  it('stops before changing anything when a control table has another shape, and says to rename it', async () => {
    const e = env();
    const conn = await findEngine('sqlite')!.connect({ url: e.DST_URL, session: [], tls: undefined, poolSize: 1, applicationName: 'test', role: 'target' });
    await conn.execute(['CREATE TABLE "_dmsplan_rejects" (run_id TEXT, row_key TEXT, reason TEXT)']);
    await conn.close();
    const run = await planAndApply(e, 'drop_and_create', 5);
    expect(run.status).toBe('failed');
    const summary = run.events.find((ev) => ev.type === 'summary');
    expect(summary).toMatchObject({ status: 'failed', message: expect.stringContaining('error[DMS5006]: target dst: control table "_dmsplan_rejects" lacks columns') });
    expect(summary && 'message' in summary ? summary.message : '').toContain('rename that table, to _dmsplan_rejects_old say');
    expect(run.events.some((ev) => ev.type === 'step_start')).toBe(false);
  });
});
