import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QualifiedName, ReadColumn, SourceChange } from '../../src/engines/contract.js';
import { keyText, withReadBack, type ReadBack } from '../../src/engines/read-back.js';
import type { Value } from '../../src/types/logical.js';

const int: ReadColumn = { name: 'id', native: { name: 'int', params: [], unsigned: false, text: 'int' }, logical: { kind: 'int', bits: 32, unsigned: false } };
const geo: ReadColumn = { name: 'g', native: { name: 'geometry', params: [], unsigned: false, text: 'geometry' }, logical: { kind: 'other', native: 'geometry' } };
const places: QualifiedName = { schema: 's', name: 'places' };
const plain: QualifiedName = { schema: 's', name: 'plain' };

/** A source holding `rows` (id → g) of `places`; `plain` has nothing to read back. */
function sourceOf(rows: ReadonlyMap<string, Value>, reads: string[][] = []): ReadBack {
  return {
    columns: (t) => (t.name === 'places' ? [geo] : []),
    followed: (t) => (t.name === 'places' ? [int, geo] : [int]),
    key: async () => [int],
    read: async (_t, _key, _columns, keys) => {
      reads.push(keys.map((k) => String(k[0])));
      const out = new Map<string, readonly Value[]>();
      for (const [id] of keys) if (rows.has(String(id))) out.set(keyText([id!]), [rows.get(String(id))!]);
      return out;
    },
  };
}

const upsert = (table: QualifiedName, id: string, oldId?: string): SourceChange => ({ kind: 'upsert', table, row: { id, g: null, note: `n${id}` }, oldKey: oldId === undefined ? undefined : { id: oldId, g: null, note: 'old' } });

describe('values read back by key', () => {
  it('fills rows still there, drops rows gone since, deletes the old key of a row moved and gone, leaves other tables and deletes as they are', async () => {
    const reads: string[][] = [];
    const source = sourceOf(new Map([['1', 'POINT(1 2)'], ['3', 'SRID=4326;POINT(0 0)']]), reads);
    const changes: SourceChange[] = [
      upsert(places, '1'),
      upsert(places, '2'),
      upsert(places, '3', '30'),
      upsert(places, '4', '40'),
      upsert(places, '5', '5'),
      { kind: 'delete', table: places, key: { id: '9' } },
      upsert(plain, '7'),
    ];
    expect(await withReadBack(changes, source)).toEqual([
      { ...changes[0], row: { id: '1', g: 'POINT(1 2)', note: 'n1' } },
      { ...changes[2], row: { id: '3', g: 'SRID=4326;POINT(0 0)', note: 'n3' } },
      { kind: 'delete', table: places, key: { id: '40', g: null, note: 'old' } },
      changes[5],
      changes[6],
    ]);
    // One read per table, each key once.
    expect(reads).toEqual([['1', '2', '3', '4', '5']]);
  });

  it('reads back the values a change did not send (unchanged TOASTed values, columns outside the row image), keeps the ones it sent', async () => {
    const text = (name: string): ReadColumn => ({ name, native: { name: 'text', params: [], unsigned: false, text: 'text' }, logical: { kind: 'text', length: undefined, fixed: false } });
    const [body, status] = [text('body'), text('status')];
    const onSource = new Map([['1', { body: 'long body 1', status: 'later' }]]);
    const asked: string[][] = [];
    const source: ReadBack = {
      columns: () => [],
      followed: () => [int, status, body],
      key: async () => [int],
      read: async (_t, _key, columns, keys) => {
        asked.push(columns.map((c) => c.name));
        const out = new Map<string, readonly Value[]>();
        for (const [id] of keys) {
          const row = onSource.get(String(id));
          if (row) out.set(keyText([id!]), columns.map((c) => row[c.name as 'body' | 'status']));
        }
        return out;
      },
    };
    const changes: SourceChange[] = [
      { kind: 'upsert', table: plain, row: { id: '1', status: 'published', body: undefined }, oldKey: undefined },
      { kind: 'upsert', table: plain, row: { id: '2', status: 'published', body: undefined }, oldKey: { id: '20', status: null, body: undefined } },
      { kind: 'upsert', table: plain, row: { id: '3', status: 'full', body: 'sent' }, oldKey: undefined },
    ];
    expect(await withReadBack(changes, source)).toEqual([
      { ...changes[0], row: { id: '1', status: 'published', body: 'long body 1' } },
      { kind: 'delete', table: plain, key: { id: '20', status: null, body: undefined } },
      changes[2],
    ]);
    expect(asked).toEqual([['body']]);
  });

  it('hands back the very changes when no table needs reading back', async () => {
    const changes: SourceChange[] = [upsert(plain, '1'), { kind: 'truncate', tables: [places] }];
    expect(await withReadBack(changes, sourceOf(new Map()))).toBe(changes);
  });

  it('property: every change of another kind or table stays, in order; every upsert read back is filled with the source value or gone', async () => {
    const change = fc.oneof(
      fc.record({ id: fc.integer({ min: 1, max: 8 }).map(String), table: fc.constantFrom(places, plain) }).map(({ id, table }) => upsert(table, id)),
      fc.integer({ min: 1, max: 8 }).map((id): SourceChange => ({ kind: 'delete', table: places, key: { id: String(id) } })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 12 }), fc.uniqueArray(fc.integer({ min: 1, max: 8 }).map(String)), async (changes, present) => {
        const rows = new Map(present.map((id) => [id, `POINT(${id} ${id})`] as const));
        const out = await withReadBack(changes, sourceOf(rows));
        const kept = changes.filter((c) => !(c.kind === 'upsert' && c.table.name === 'places' && !rows.has(String(c.row.id))));
        expect(out.map((c) => (c.kind === 'upsert' ? `${c.table.name}:${String(c.row.id)}` : c.kind))).toEqual(kept.map((c) => (c.kind === 'upsert' ? `${c.table.name}:${String(c.row.id)}` : c.kind)));
        for (const c of out) if (c.kind === 'upsert' && c.table.name === 'places') expect(c.row.g).toBe(rows.get(String(c.row.id)));
      }),
    );
  });
});
