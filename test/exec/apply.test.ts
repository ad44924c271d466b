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

function planWithFilter(prepare: 'truncate' | 'drop_and_create', lastGenre: number) {
  const text = `
source src sqlite { url = env("SRC_URL") }
target dst sqlite {
  url     = env("DST_URL")
  prepare = ${prepare}
}
map src.main.Genre -> dst.main.* {
  table Genre { where GenreId <= ${lastGenre} }
}
`;
  const ir = compilePlan(text, 'versions.dmsplan', () => undefined);
  if (!ir.value) throw new Error(`test plan does not compile: ${JSON.stringify(ir.diagnostics)}`);
  return ir.value;
}

async function planAndApply(env: Record<string, string>, prepare: 'truncate' | 'drop_and_create', lastGenre: number) {
  const made = await makePlan(planWithFilter(prepare, lastGenre), { planFile: 'versions.dmsplan', toolVersion: 'test', env });
  if (!made.graph) throw new Error(`planning failed: ${JSON.stringify(made.diagnostics)}`);
  const events: ExecEvent[] = [];
  const status = await applyGraph(made.graph, { env, toolVersion: 'test', emit: (e) => events.push(e), cancelled: () => false });
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
});
