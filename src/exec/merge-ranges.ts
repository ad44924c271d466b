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
import type { ReadColumn } from '../engines/contract.js';


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
    const ranges: { member: TableMapping; lo: bigint; hi: bigint; offset: bigint; column: ReadColumn; open: OpenConnection }[] = [];
    for (const m of members) {
      const key = m.merge!.slice.offsetKey;
      const open = connections.get(m.source.endpoint);
      const column = m.columns.find((c) => c.source.kind === 'column' && c.source.name === key?.sourceColumn);
      if (!key || !open || !column || column.source.kind !== 'column') continue;
      const snapshot = await open.connection.snapshot(1);
      try {
        const bounds = await snapshot.keyBounds({ schema: m.source.schema, name: m.source.table }, { name: column.source.name, native: column.source.native, logical: column.source.logical }, undefined, 0);
        const read: ReadColumn = { name: column.source.name, native: column.source.native, logical: column.source.logical };
        if (bounds) ranges.push({ member: m, lo: BigInt(bounds.min) + BigInt(key.offset), hi: BigInt(bounds.max) + BigInt(key.offset), offset: BigInt(key.offset), column: read, open });
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
          const lo = a.lo > b.lo ? a.lo : b.lo;
          const hi = a.hi < b.hi ? a.hi : b.hi;
          const found = await collidingKeys(a, b, lo, hi);
          collisions += found.count;
          const shown = found.count === 0 ? 'no key collides today, but new rows could' : `${found.capped ? 'at least ' : ''}${found.count} key(s) collide, e.g. ${found.examples.join(', ')}`;
          diagnostics.push(
            error(
              'DMS3426',
              `merge ${name}: the shifted keys of ${sourceName(a.member)} (${a.lo}..${a.hi}) and ${sourceName(b.member)} (${b.lo}..${b.hi}) overlap: ${shown}`,
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

/** Keys read per source while counting collisions: enough to report, bounded in memory. */
const MAX_KEYS = 1_000_000;

type KeyRange = { readonly lo: bigint; readonly offset: bigint; readonly column: ReadColumn; readonly open: OpenConnection; readonly member: TableMapping };

/** The shifted keys two sources share within [lo, hi]: how many, and the first few. */
async function collidingKeys(a: KeyRange, b: KeyRange, lo: bigint, hi: bigint): Promise<{ count: number; examples: string[]; capped: boolean }> {
  const first = await keysIn(a, lo, hi);
  let count = 0;
  const examples: string[] = [];
  let capped = first.capped;
  for await (const key of streamKeys(b, lo, hi)) {
    if (key === undefined) {
      capped = true;
      break;
    }
    if (first.keys.has(key)) {
      count++;
      if (examples.length < 5) examples.push(key);
    }
  }
  return { count, examples, capped };
}

async function keysIn(r: KeyRange, lo: bigint, hi: bigint): Promise<{ keys: Set<string>; capped: boolean }> {
  const keys = new Set<string>();
  for await (const key of streamKeys(r, lo, hi)) {
    if (key === undefined) return { keys, capped: true };
    keys.add(key);
  }
  return { keys, capped: false };
}

/** Shifted keys of one source in [lo, hi] (shifted space); yields undefined once MAX_KEYS were read. */
async function* streamKeys(r: KeyRange, lo: bigint, hi: bigint): AsyncGenerator<string | undefined> {
  const snapshot = await r.open.connection.snapshot(1);
  let n = 0;
  try {
    const request = {
      table: { schema: r.member.source.schema, name: r.member.source.table },
      columns: [r.column],
      where: undefined,
      range: { column: r.column, after: String(lo - r.offset - 1n), upTo: String(hi - r.offset) },
      orderBy: [],
      batchRows: 10_000,
    };
    for await (const batch of snapshot.read(request, 0)) {
      for (const row of batch) {
        if (++n > MAX_KEYS) {
          yield undefined;
          return;
        }
        yield String(BigInt(String(row[0])) + r.offset);
      }
    }
  } finally {
    await snapshot.close();
  }
}

function sourceName(m: TableMapping): string {
  return `${m.source.endpoint}.${m.source.schema}.${m.source.table}`;
}
