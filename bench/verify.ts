/**
 * What a contestant actually left in its target: row counts and the keys, indexes and foreign
 * keys that exist — so a tool that "succeeds" while skipping part of the job shows it in the table.
 * The `_dmsplan` control schema is not counted.
 */
import { withPg } from './servers.js';

export interface TargetShape {
  readonly customers: number | undefined;
  readonly orders: number | undefined;
  /** Indexes on the two tables, primary and unique ones included. */
  readonly indexes: number;
  readonly foreignKeys: number;
}

export async function readTargetShape(database: string): Promise<TargetShape> {
  return withPg(database, async (c) => {
    const tables = await c.query<{ relname: string; schema: string; oid: number }>(
      `SELECT c.relname, n.nspname AS schema, c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p') AND c.relname IN ('customers', 'orders') AND n.nspname NOT IN ('pg_catalog', 'information_schema', '_dmsplan')`,
    );
    const count = async (name: string): Promise<number | undefined> => {
      const t = tables.rows.find((r) => r.relname === name);
      if (!t) return undefined;
      const r = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${t.schema}"."${t.relname}"`);
      return Number(r.rows[0]?.n ?? 0);
    };
    const oids = tables.rows.map((r) => r.oid);
    const indexes = await c.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_index WHERE indrelid = ANY($1::oid[])', [oids]);
    const fks = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY($1::oid[])`, [oids]);
    return { customers: await count('customers'), orders: await count('orders'), indexes: Number(indexes.rows[0]?.n ?? 0), foreignKeys: Number(fks.rows[0]?.n ?? 0) };
  });
}

/** The source's shape, which every target should reproduce: 5 indexes (2 PKs, 1 unique, 2 plain), 1 FK. */
export const EXPECTED_INDEXES = 5;
export const EXPECTED_FOREIGN_KEYS = 1;

/** What is missing or wrong in a target, in words; empty when the job is complete. */
export function shapeProblems(shape: TargetShape, rows: number, customers: number): readonly string[] {
  const problems: string[] = [];
  if (shape.orders !== rows) problems.push(`orders has ${shape.orders ?? 'no table'} rows, expected ${rows}`);
  if (shape.customers !== customers) problems.push(`customers has ${shape.customers ?? 'no table'} rows, expected ${customers}`);
  if (shape.indexes < EXPECTED_INDEXES) problems.push(`${shape.indexes} of ${EXPECTED_INDEXES} indexes/keys`);
  if (shape.foreignKeys < EXPECTED_FOREIGN_KEYS) problems.push('foreign key missing');
  return problems;
}
