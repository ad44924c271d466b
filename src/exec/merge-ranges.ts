/**
 * Before any row moves: the key ranges of each source of an offset merge, shifted by its offset,
 * must not overlap — otherwise keys could collide and a source's rows could not be told apart in
 * the target. Composite merges cannot collide (distinct tags + each source's own key).
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TableMapping } from '../check/checked-plan.js';
import type { MergeReport } from '../plan/graph.js';
import type { OpenConnection } from './endpoints.js';
import { describeError } from './endpoints.js';


export async function checkMergeKeys(tables: readonly TableMapping[], connections: ReadonlyMap<string, OpenConnection>): Promise<{ reports: MergeReport[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const reports: MergeReport[] = [];
  const byMerge = new Map<string, TableMapping[]>();
  for (const t of tables) if (t.merge) byMerge.set(t.merge.name, [...(byMerge.get(t.merge.name) ?? []), t]);
  for (const [name, members] of byMerge) {
    const strategy = members[0]!.merge!.strategy;
    if (strategy !== 'offset') {
      reports.push({ name, strategy, sources: members.map((m) => ({ source: sourceName(m), keyRange: undefined })), collisions: 0 });
      continue;
    }
    const ranges: { member: TableMapping; lo: bigint; hi: bigint }[] = [];
    for (const m of members) {
      const key = m.merge!.slice.offsetKey;
      const open = connections.get(m.source.endpoint);
      const column = m.columns.find((c) => c.source.kind === 'column' && c.source.name === key?.sourceColumn);
      if (!key || !open || !column || column.source.kind !== 'column') continue;
      const snapshot = await open.connection.snapshot(1);
      try {
        const bounds = await snapshot.keyBounds({ schema: m.source.schema, name: m.source.table }, { name: column.source.name, native: column.source.native, logical: column.source.logical }, undefined, 0);
        if (bounds) ranges.push({ member: m, lo: BigInt(bounds.min) + BigInt(key.offset), hi: BigInt(bounds.max) + BigInt(key.offset) });
      } catch (err) {
        diagnostics.push(error('DMS5004', `merge ${name}: cannot read the key range of ${sourceName(m)}: ${describeError(err, [])}`, m.span));
      } finally {
        await snapshot.close();
      }
    }
    let collisions = 0;
    for (let i = 0; i < ranges.length; i++) {
      for (let j = i + 1; j < ranges.length; j++) {
        const a = ranges[i]!;
        const b = ranges[j]!;
        if (a.lo <= b.hi && b.lo <= a.hi) {
          collisions++;
          diagnostics.push(
            error(
              'DMS3426',
              `merge ${name}: the shifted keys of ${sourceName(a.member)} (${a.lo}..${a.hi}) and ${sourceName(b.member)} (${b.lo}..${b.hi}) overlap, so their keys can collide`,
              b.member.span,
              `give ${sourceName(b.member)} an offset of at least ${a.hi + 1n - (b.lo - BigInt(b.member.merge!.slice.offsetKey!.offset))} (or use strategy = composite with a tag)`,
            ),
          );
        }
      }
    }
    reports.push({ name, strategy, sources: ranges.map((r) => ({ source: sourceName(r.member), keyRange: `${r.lo}..${r.hi}` })), collisions });
  }
  return { reports, diagnostics };
}

function sourceName(m: TableMapping): string {
  return `${m.source.endpoint}.${m.source.schema}.${m.source.table}`;
}
