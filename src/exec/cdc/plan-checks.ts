/**
 * What `plan` checks before a change-capturing run: every followed table has a key the target keeps,
 * no mapping uses what changes cannot go through, and each source server is set up for capture —
 * each problem a diagnostic with the exact statement or setting that fixes it. Reads only.
 */
import type { CheckedPlan } from '../../check/checked-plan.js';
import { CDC } from '../../diagnostics/codes/cdc.js';
import { error, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { CaptureProblem } from '../../engines/contract.js';
import { findEngine } from '../../engines/registry.js';
import { connectConfigOf, describeError, type OpenConnection } from '../endpoints.js';
import { targetKeyOf } from './followed-tables.js';

export async function checkCapturePrerequisites(checked: CheckedPlan, connections: ReadonlyMap<string, OpenConnection>, env: Readonly<Record<string, string | undefined>>): Promise<Diagnostic[]> {
  if (checked.migration.mode === 'full_load') return [];
  const out: Diagnostic[] = [];
  for (const m of checked.tables) {
    // Expression filters are evaluated on every change; raw SQL cannot be (it only runs on the source).
    if (m.where !== undefined && m.filter === undefined) out.push(error(CDC.unsupportedMapping, `${m.id}: a raw SQL filter (where raw "…") cannot be applied to captured changes`, m.span, 'write the filter in the plan\'s expression language, or use mode = full_load'));
    if (!targetKeyOf(m)) {
      out.push(
        error(CDC.noKey, `${m.id}: the table has no primary or unique key, so captured updates and deletes cannot be applied by key`, m.span, `add a primary key on the source: ALTER TABLE ${m.source.schema}.${m.source.table} ADD PRIMARY KEY (…);`),
      );
    }
  }
  for (const source of new Set(checked.tables.map((t) => t.source.endpoint))) {
    const open = connections.get(source);
    const plan = checked.endpoints.find((e) => e.name === source);
    const engine = plan ? findEngine(plan.engine) : undefined;
    if (!open || !engine?.cdc) continue;
    const mappings = checked.tables.filter((t) => t.source.endpoint === source);
    let problems: readonly CaptureProblem[];
    try {
      const capture = await engine.cdc.open(connectConfigOf(open.endpoint, 2, env));
      try {
        problems = await capture.check(mappings.map((m) => ({ table: { schema: m.source.schema, name: m.source.table }, columns: [], knownColumns: [] })));
      } finally {
        await capture.close();
      }
    } catch (err) {
      out.push(error(CDC.serverSetting, `source ${source}: cannot check the change data capture prerequisites: ${describeError(err, [open.endpoint.url])}`));
      continue;
    }
    for (const p of problems) {
      const mapping = p.table ? mappings.find((m) => m.source.schema === p.table!.schema && m.source.table === p.table!.name) : undefined;
      out.push(error(codeOf(p), `source ${source}: ${p.message}`, mapping?.span, `fix: ${p.fix}`));
    }
  }
  return out;
}

function codeOf(p: CaptureProblem): string {
  switch (p.check) {
    case 'log_level':
    case 'row_format':
    case 'row_image':
    case 'row_metadata':
      return CDC.serverSetting;
    case 'privilege':
      return CDC.privilege;
    case 'table_key':
      return CDC.noKey;
    default: {
      const never: never = p.check;
      return never;
    }
  }
}
