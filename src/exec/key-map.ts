/**
 * Surrogate merges at apply time. `mapMergeKeys` gives every source row of a merge a new key before
 * any copy: sources in `from` order, each source's keys in key order, numbered after the largest key
 * already in the map — so a first run numbers 1..N, a resumed run (or a source with rows added
 * since) continues exactly where the map stands, and a key once mapped never changes. Each batch of
 * new keys commits on its own: an interrupted mapping resumes after its last batch.
 *
 * `withKeyMaps` wraps a member's row program: its new key column takes the row's key from the map,
 * and each foreign key rewritten through a parent merge takes the parent's new key of its value; a
 * value the parent's map does not hold (an orphan) makes the row a rejection.
 */
import type { TableMapping } from '../check/checked-plan.js';
import type { EngineConnection, ReadColumn } from '../engines/contract.js';
import type { Row, Value } from '../types/logical.js';
import type { KeyMapLookup } from '../check/checked-plan.js';
import { sourceTableName } from '../check/checked-plan.js';
import type { ControlSchema, KeyMapScope } from './control-schema.js';
import { CancelledError } from './copy-table.js';
import { assignKeys, KeyMapIndex, sourceKeyText } from './key-map-index.js';
import type { WithSource } from './merge-overlaps.js';
import { describeValue, type RowProgram, type RowRejection } from './row-program.js';

/** Keys inserted per statement (and per transaction): within every engine's parameter limit. */
const BATCH = 500;
/** Key map rows read per query while loading a source's map for the copy. */
const PAGE = 50_000;

export interface MapKeysContext {
  readonly members: readonly TableMapping[];
  readonly withSource: WithSource;
  readonly target: EngineConnection;
  readonly control: ControlSchema;
  readonly runId: string;
  readonly cancelled: () => boolean;
}

/** Maps every member's keys, in member order; returns per source how many keys were new. */
export async function mapMergeKeys(ctx: MapKeysContext): Promise<{ readonly source: string; readonly mapped: number; readonly added: number }[]> {
  const report = [];
  for (const member of ctx.members) {
    const merge: KeyMapScope = { table: `${member.target.schema ? `${member.target.schema}.` : ''}${member.target.table}`, merge: member.merge!.name };
    const source = sourceTableName(member);
    const keyColumns: ReadColumn[] = member.sourceKey.map((name) => {
      const c = member.columns.find((m) => m.source.kind === 'column' && m.source.name === name);
      if (!c || c.source.kind !== 'column') throw new Error(`bug: key column ${name} of ${member.id} is not mapped`);
      return { name, native: c.source.native, logical: c.source.logical };
    });
    // A source with no key mapped yet needs no look-up of what is mapped: the common, fast case.
    // One partly mapped (a resumed run, rows added since) has its map read once, page by page in
    // new-key order, as the copy reads it: asked batch by batch, PostgreSQL answered each IN list
    // by scanning the merge's whole map (the new-key index, on a table not analyzed yet) — seconds
    // a batch, half an hour to resume 600,000 keys.
    const known = (await ctx.control.mappedKeys(ctx.target, merge, source)) > 0 ? await loadKeyMap(ctx.target, ctx.control, merge, source) : undefined;
    let largest = await ctx.control.largestNewKey(ctx.target, merge);
    let mapped = 0;
    let added = 0;
    let pending: string[] = [];
    const flush = async () => {
      const keys = pending;
      pending = [];
      const fresh = known ? keys.filter((k) => known.get(k) === undefined) : keys;
      const assigned = assignKeys(fresh, largest);
      await ctx.control.recordKeys(ctx.target, merge, source, assigned.entries, ctx.runId);
      largest = assigned.largest;
      added += fresh.length;
    };
    await ctx.withSource(member, async (snapshot, lane) => {
      const request = { table: { schema: member.source.schema, name: member.source.table }, columns: keyColumns, where: member.where, range: undefined, orderBy: member.sourceKey, batchRows: 5000 };
      for await (const batch of snapshot.read(request, lane)) {
        if (ctx.cancelled()) throw new CancelledError();
        for (const row of batch) {
          pending.push(sourceKeyText(row));
          mapped++;
          if (pending.length >= BATCH) await flush();
        }
      }
      if (pending.length) await flush();
    });
    report.push({ source, mapped, added });
  }
  return report;
}

/** A source's key map in memory, read page by page in new-key order. */
export async function loadKeyMap(target: EngineConnection, control: ControlSchema, merge: KeyMapScope, source: string): Promise<KeyMapIndex> {
  const index = new KeyMapIndex();
  let after = 0n;
  for (;;) {
    const page = await control.keyMapPage(target, merge, source, after, PAGE);
    for (const e of page) index.add(e.sourceKey, e.newKey);
    if (page.length < PAGE) return index;
    after = page[page.length - 1]!.newKey;
  }
}

/** Whether a member's rows need key maps (a new key, or a foreign key rewritten through a parent's). */
export function usesKeyMaps(table: TableMapping): boolean {
  return table.columns.some((c) => c.keyMap !== undefined);
}

/**
 * Wraps `program` so that key-map columns get their new keys. `load` returns the map of one
 * (merge, source) — each map is loaded once per copy.
 */
export async function withKeyMaps(program: RowProgram, table: TableMapping, load: (map: KeyMapScope, source: string) => Promise<KeyMapIndex>): Promise<RowProgram> {
  const lookups: { out: number; at: number; column: string; keyMap: KeyMapLookup; index: KeyMapIndex }[] = [];
  for (const [out, c] of table.columns.entries()) {
    if (!c.keyMap) continue;
    const index = await load({ table: c.keyMap.table, merge: c.keyMap.merge }, c.keyMap.source);
    const at = c.keyMap.lookup === 'column' && c.source.kind === 'column' ? program.read.findIndex((r) => r.name === (c.source as { name: string }).name) : -1;
    if (c.keyMap.lookup === 'column' && at < 0) throw new Error(`bug: the rewritten column ${c.target} is not read for ${table.id}`);
    lookups.push({ out, at, column: c.target, keyMap: c.keyMap, index });
  }
  if (lookups.length === 0) return program;
  return {
    ...program,
    run(row: readonly Value[]): Row | RowRejection {
      const keys: (string | null)[] = [];
      for (const l of lookups) {
        if (l.keyMap.lookup === 'row_key') {
          const text = sourceKeyText(program.keyIndexes.map((i) => row[i] ?? null));
          const key = l.index.get(text);
          // Cannot happen within one snapshot: every row read was mapped first.
          if (key === undefined) return { column: l.column, value: text, reason: `source key ${text} has no new key in the key map of merge ${l.keyMap.merge}; run apply again to map it` };
          keys.push(key);
        } else {
          const v = row[l.at] ?? null;
          if (v === null) {
            keys.push(null);
            continue;
          }
          const text = sourceKeyText([v]);
          const key = l.index.get(text);
          if (key === undefined) {
            return { column: l.column, value: describeValue(v), reason: `${l.column} ${text} is not a key of ${l.keyMap.source} in merge ${l.keyMap.merge} (an orphan): it has no new key to point to` };
          }
          keys.push(key);
        }
      }
      const out = program.run(row);
      if (!Array.isArray(out)) return out;
      for (const [i, l] of lookups.entries()) out[l.out] = keys[i]!;
      return out;
    },
  };
}
