/**
 * Independent readers for comparing source and target value by value: the drivers used directly,
 * every value turned into text, so a test does not trust dmsplan's own readers.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';
import Database from 'better-sqlite3';

export type TextRow = (string | null)[];

const pgTextTypes = {
  getTypeParser: (_oid: number, format?: string) => (format === 'binary' ? (v: Buffer) => v.toString('hex') : (v: string) => v),
};

export async function postgresRows(url: string, schema: string, table: string, orderBy: readonly string[]): Promise<{ columns: string[]; rows: TextRow[] }> {
  const c = new pg.Client({ connectionString: url, types: pgTextTypes as never });
  await c.connect();
  try {
    await c.query(`SET TimeZone = 'UTC'`);
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const r = await c.query({ text: `SELECT * FROM ${q(schema)}.${q(table)} ORDER BY ${orderBy.map(q).join(', ')}`, rowMode: 'array' });
    return { columns: r.fields.map((f) => f.name), rows: r.rows as TextRow[] };
  } finally {
    await c.end();
  }
}

export async function postgresTables(url: string, schema: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1`, [schema]);
    return r.rows.map((x: { table_name: string }) => x.table_name);
  } finally {
    await c.end();
  }
}

export async function postgresConstraintCount(url: string, schema: string, type: 'PRIMARY KEY' | 'FOREIGN KEY'): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::int AS n FROM information_schema.table_constraints WHERE table_schema = $1 AND constraint_type = $2`, [schema, type]);
    return (r.rows[0] as { n: number }).n;
  } finally {
    await c.end();
  }
}

export async function mysqlRows(url: string, table: string, orderBy: readonly string[]): Promise<{ columns: string[]; rows: TextRow[] }> {
  const c = await mysql.createConnection({ uri: url, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true, timezone: 'Z' });
  try {
    const q = (s: string) => `\`${s.replace(/`/g, '``')}\``;
    const [rows, fields] = await c.query({ sql: `SELECT * FROM ${q(table)} ORDER BY ${orderBy.map(q).join(', ')}`, rowsAsArray: true });
    return { columns: (fields as { name: string }[]).map((f) => f.name), rows: (rows as unknown[][]).map((r) => r.map((v) => (v === null ? null : String(v)))) };
  } finally {
    await c.end();
  }
}

export function sqliteRows(file: string, table: string, orderBy: readonly string[]): { columns: string[]; rows: TextRow[] } {
  const db = new Database(file, { readonly: true });
  try {
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const stmt = db.prepare(`SELECT * FROM ${q(table)} ORDER BY ${orderBy.map(q).join(', ')}`).raw(true);
    const columns = stmt.columns().map((c) => c.name);
    const rows = (stmt.all() as unknown[][]).map((r) => r.map((v) => (v === null ? null : Buffer.isBuffer(v) ? v.toString('hex') : String(v))));
    return { columns, rows };
  } finally {
    db.close();
  }
}

/** Text forms that mean the same value in two engines: '0.99' vs '0.990', '2009-01-01 00:00:00' vs '2009-01-01T00:00:00'. */
export function sameValue(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  const num = /^-?\d+(\.\d+)?$/;
  if (num.test(a) && num.test(b)) return Number(a) === Number(b) && a.replace(/\.?0+$/, '') === b.replace(/\.?0+$/, '');
  const ts = (s: string) => s.replace('T', ' ').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '').replace(/(\+00(:00)?|Z)$/, '');
  return ts(a) === ts(b);
}

/**
 * A content digest of a whole PostgreSQL table computed by the server itself (independent of
 * dmsplan): row count and an md5 over every row's text, in a fixed order.
 */
export async function postgresTableDigest(url: string, table: string): Promise<{ n: string; digest: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::text AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM ${table} t`);
    return r.rows[0] as { n: string; digest: string };
  } finally {
    await c.end();
  }
}
