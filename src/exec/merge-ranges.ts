/**
 * Before any row moves: the key ranges of each source of an offset merge, shifted by its offset,
 * and the keys that collide where two ranges overlap (counted exactly, with examples). With
 * `on_conflict = reject` an overlap refuses the plan; with keep_first / keep_last / rejects_table
 * it is a warning, and `apply` resolves each colliding key (merge-conflicts.ts). Composite merges
 * cannot collide (distinct tags + each source's own key), nor can surrogate ones (new keys).
 */
import { error, warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { TableMapping } from '../check/checked-plan.js';
import { sourceTableName } from '../check/checked-plan.js';
import type { ConflictPolicy } from '../ir/ir.js';
import type { MergeReport } from '../plan/graph.js';
import type { OpenConnection } from './endpoints.js';
import { describeError } from './endpoints.js';
import { readMergeOverlaps, type WithSource } from './merge-overlaps.js';

const EXAMPLES = 5;

export async function checkMergeKeys(tables: readonly TableMapping[], connections: ReadonlyMap<string, OpenConnection>): Promise<{ reports: MergeReport[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const reports: MergeReport[] = [];
  const byMerge = new Map<string, TableMapping[]>();
  for (const t of tables) if (t.merge) byMerge.set(t.merge.name, [...(byMerge.get(t.merge.name) ?? []), t]);
  for (const [name, members] of byMerge) {
    const { strategy, onConflict } = members[0]!.merge!;
    const base = { name, strategy, onConflict, overlaps: 0, collisions: 0, examples: [] };
    if (strategy !== 'offset') {
      reports.push({ ...base, sources: members.map((m) => ({ source: sourceTableName(m), keyRange: undefined })) });
      continue;
    }
    // Fresh one-lane snapshots: plan writes nothing and holds nothing open between sources.
    const withSource: WithSource = async (member, work) => {
      const open = connections.get(member.source.endpoint);
      if (!open) throw new Error(`no connection to ${member.source.endpoint}`);
      const snapshot = await open.connection.snapshot(1);
      try {
        return await work(snapshot, 0);
      } finally {
        await snapshot.close();
      }
    };
    let overlaps;
    try {
      overlaps = await readMergeOverlaps(members, withSource);
    } catch (err) {
      diagnostics.push(error('DMS5004', `merge ${name}: cannot read the keys of its sources: ${describeError(err, [])}`, members[0]!.span));
      continue;
    }
    const { ranges, collisions } = overlaps;
    let pairs = 0;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = ranges[i];
        const b = ranges[j];
        if (!a || !b || a.lo > b.hi || b.lo > a.hi) continue;
        pairs++;
        const shared = [...collisions].filter(([, holders]) => holders.includes(i) && holders.includes(j)).map(([k]) => k);
        const shown = shared.length === 0 ? 'no key collides today, but new rows could' : `${shared.length} key(s) collide, e.g. ${smallest(shared, EXAMPLES).join(', ')}`;
        const [ma, mb] = [members[i]!, members[j]!];
        const what = `merge ${name}: the shifted keys of ${sourceTableName(ma)} (${a.lo}..${a.hi}) and ${sourceTableName(mb)} (${b.lo}..${b.hi}) overlap: ${shown}`;
        if (onConflict === 'reject') {
          const offset = BigInt(mb.merge!.slice.offsetKey!.offset);
          diagnostics.push(error('DMS3426', what, mb.span, `give ${sourceTableName(mb)} an offset of at least ${a.hi + 1n - (b.lo - offset)}, set on_conflict = keep_first | keep_last | rejects_table, or use strategy = composite with a tag`));
        } else if (shared.length) {
          diagnostics.push(warning('DMS3429', `${what}; on_conflict = ${onConflict}: ${resolution(onConflict, ma, mb)}`, mb.span));
        }
      }
    }
    reports.push({
      ...base,
      sources: members.map((m, i) => ({ source: sourceTableName(m), keyRange: ranges[i] ? `${ranges[i]!.lo}..${ranges[i]!.hi}` : undefined })),
      overlaps: pairs,
      collisions: collisions.size,
      examples: smallest([...collisions.keys()], EXAMPLES),
    });
  }
  return { reports, diagnostics };
}

/** What `apply` will do with the keys two sources share. */
function resolution(policy: Exclude<ConflictPolicy, 'reject'>, a: TableMapping, b: TableMapping): string {
  switch (policy) {
    case 'keep_first':
      return `the rows of ${sourceTableName(a)} are loaded, those of ${sourceTableName(b)} go to the rejects table`;
    case 'keep_last':
      return `the rows of ${sourceTableName(b)} are loaded, those of ${sourceTableName(a)} go to the rejects table`;
    case 'rejects_table':
      return 'neither row is loaded; both go to the rejects table';
    default: {
      const never: never = policy;
      return never;
    }
  }
}

/** The `n` smallest integer keys, ascending. */
function smallest(keys: readonly string[], n: number): string[] {
  return [...keys].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : BigInt(x) > BigInt(y) ? 1 : 0)).slice(0, n);
}

