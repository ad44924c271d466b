/**
 * A partitioned target table that exists already (an earlier run made it) and lacks partitions the
 * source has now: the plan does not alter a table it keeps, so rows the source routes to such a
 * partition would find none on the target, which refuses them: a copy and a follower alike set them
 * aside in the rejects table. The plan says so beforehand, with the statement that adds each one.
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineModule } from '../engines/contract.js';
import type { TableCatalog } from '../schema/catalog.js';
import type { TableMapping } from '../check/checked-plan.js';

export function checkPartitionDrift(table: TableMapping, existing: TableCatalog, engine: EngineModule, diagnostics: Diagnostic[]): void {
  const wanted = table.targetDef.partitions;
  if (!wanted?.length || table.targetDef.partitionBy === undefined || !existing.partitioned) return;
  const have = new Set((existing.partitions ?? []).map((p) => p.name));
  const missing = wanted.filter((p) => !have.has(p.name));
  if (!missing.length) return;
  const d = engine.dialect;
  const name = `${table.target.schema ? `${table.target.schema}.` : ''}${table.target.table}`;
  const statements = missing.map((p) => `CREATE TABLE ${d.qualify({ schema: table.target.schema, name: p.name })} PARTITION OF ${d.qualify({ schema: table.target.schema, name: p.parent })} ${p.bound}${p.partitionBy ? ` ${p.partitionBy}` : ''};`);
  diagnostics.push(
    warning(
      'DMS4006',
      `target table ${name} lacks partition(s) ${missing.map((p) => p.name).join(', ')} that the source has: the target refuses rows in their ranges, which go to the rejects table`,
      table.span,
      `add them on the target (${statements.join(' ')}), or set \`prepare = drop_and_create\` to make the table again`,
    ),
  );
}
