/**
 * mapMergeKeys on a source the key map already partly holds (a resumed run, rows added since).
 * It asked the target, 500 keys at a time, which of them were mapped: PostgreSQL answered each
 * IN list by scanning the merge's whole map through the new-key index (the table not analyzed
 * yet), about two seconds a batch — over half an hour to resume a 600,000-key merge. The source's
 * map is now read once, page by page, as the copy reads it.
 */
import { describe, expect, it } from 'vitest';
import type { TableMapping } from '../../src/check/checked-plan.js';
import type { EngineConnection, SourceSnapshot } from '../../src/engines/contract.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { ControlSchema } from '../../src/exec/control-schema.js';
import { mapMergeKeys } from '../../src/exec/key-map.js';
import type { Row } from '../../src/types/logical.js';

const int = postgresEngine.types.parseNative('integer')!;
const member = {
  id: 'merge orders: eu.shop.orders -> dw.crm.orders',
  source: { endpoint: 'eu', schema: 'shop', table: 'orders', rowEstimate: 5000 },
  target: { endpoint: 'dw', schema: 'crm', table: 'orders' },
  columns: [{ target: 'source_id', source: { kind: 'column', name: 'id', native: int, logical: { kind: 'int', bits: 32, unsigned: false } } }],
  where: undefined,
  sourceKey: ['id'],
  merge: { name: 'orders', index: 0, sources: 1, strategy: 'surrogate', onConflict: 'reject', slice: { tags: [], offsetKey: undefined } },
} as unknown as TableMapping;

/** A target whose key map holds source keys 1..mapped as new keys 1..mapped; it records every statement. */
function fakeTarget(mapped: number) {
  const statements: string[] = [];
  const inserted: string[] = [];
  const query = async (sql: string, params: readonly (string | number | null)[] = []) => {
    statements.push(sql);
    if (sql.includes('COUNT(*)')) return [{ n: mapped }];
    if (sql.includes('MAX(new_key)')) return [{ k: mapped }];
    if (sql.includes('ORDER BY new_key')) {
      const after = Number(params[3]);
      const limit = Number(/LIMIT (\d+)/.exec(sql)![1]);
      const page = [];
      for (let k = after + 1; k <= Math.min(mapped, after + limit); k++) page.push({ source_key: String(k), new_key: String(k) });
      return page;
    }
    if (sql.startsWith('INSERT')) {
      for (let i = 3; i < params.length; i += 6) inserted.push(String(params[i]));
      return [];
    }
    throw new Error(`unexpected statement: ${sql}`);
  };
  const conn = { query, transaction: async <T>(fn: (tx: unknown) => Promise<T>) => fn({ query }), execute: async () => {} } as unknown as EngineConnection;
  return { conn, statements, inserted };
}

function sourceOf(keys: number): SourceSnapshot {
  return {
    async *read() {
      const rows: Row[] = [];
      for (let k = 1; k <= keys; k++) rows.push([String(k)]);
      yield rows;
    },
  } as unknown as SourceSnapshot;
}

describe('mapping the keys of a partly mapped source', () => {
  it('reads its map once instead of asking about every batch, and maps only the keys it lacks', async () => {
    const target = fakeTarget(4000);
    const report = await mapMergeKeys({
      members: [member],
      withSource: (async (_m: TableMapping, work: (s: SourceSnapshot, lane: number) => Promise<unknown>) => work(sourceOf(5000), 0)) as never,
      target: target.conn,
      control: new ControlSchema(postgresEngine.dialect),
      runId: 'run',
      cancelled: () => false,
    });
    expect(report).toEqual([{ source: 'eu.shop.orders', mapped: 5000, added: 1000 }]);
    expect(target.inserted).toEqual(Array.from({ length: 1000 }, (_, i) => String(4001 + i)));
    expect(target.statements.filter((s) => / IN \(/.test(s))).toEqual([]);
  });
});
