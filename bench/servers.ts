/**
 * The two local servers the benchmark uses, and the few admin statements it needs on them:
 * (re)creating throw-away databases, sizes, row counts, versions.
 */
import pg from 'pg';
import mysql from 'mysql2/promise';

export const PG_HOST_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const MYSQL_HOST_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/** Every database the benchmark creates starts with this, so a leftover is easy to spot and drop. */
export const BENCH_DB_PREFIX = 'dmsplan_bench_';
export const SOURCE_DB = `${BENCH_DB_PREFIX}src`;

export function pgUrl(database: string): string {
  return `${PG_HOST_URL}/${database}`;
}

export function mysqlUrl(database: string): string {
  return `${MYSQL_HOST_URL}/${database}`;
}

export async function withPg<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function withMysql<T>(database: string | undefined, fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: database ? mysqlUrl(database) : `${MYSQL_HOST_URL}/`, multipleStatements: true });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

function assertBenchName(name: string): void {
  if (!name.startsWith(BENCH_DB_PREFIX) || !/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to touch database ${name}: not a ${BENCH_DB_PREFIX}* name`);
}

/** Drops (terminating its sessions) and creates an empty PostgreSQL database. */
export async function recreatePgDatabase(name: string): Promise<void> {
  assertBenchName(name);
  await withPg('postgres', async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
}

export async function dropPgDatabase(name: string): Promise<void> {
  assertBenchName(name);
  await withPg('postgres', (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function recreateMysqlDatabase(name: string): Promise<void> {
  assertBenchName(name);
  await withMysql(undefined, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
}

export async function pgDatabaseExists(name: string): Promise<boolean> {
  return withPg('postgres', async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

/** Rows of `table` in whichever schema holds it (pgloader puts tables in a schema named after the MySQL database). */
export async function pgCountRows(database: string, table: string): Promise<number | undefined> {
  return withPg(database, async (c) => {
    const where = await c.query<{ schemaname: string }>(`SELECT schemaname FROM pg_tables WHERE tablename = $1 AND schemaname NOT IN ('pg_catalog', 'information_schema', '_dmsplan') ORDER BY schemaname = 'public' DESC LIMIT 1`, [table]);
    const schema = where.rows[0]?.schemaname;
    if (schema === undefined) return undefined;
    const counted = await c.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`);
    return Number(counted.rows[0]?.n ?? 0);
  });
}

export async function mysqlCountRows(database: string, table: string): Promise<number | undefined> {
  return withMysql(undefined, async (c) => {
    try {
      const [rows] = await c.query(`SELECT count(*) AS n FROM \`${database}\`.\`${table}\``);
      return Number((rows as { n: number }[])[0]?.n ?? 0);
    } catch {
      return undefined;
    }
  });
}

/** Bytes of the source tables as the server accounts them: pg_total_relation_size (heap, TOAST, indexes). */
export async function pgSourceBytes(database: string, tables: readonly string[]): Promise<number> {
  return withPg(database, async (c) => {
    const r = await c.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(format('public.%I', t)::regclass))::text AS bytes FROM unnest($1::text[]) AS t`, [tables]);
    return Number(r.rows[0]?.bytes ?? 0);
  });
}

/** Bytes of the source tables: information_schema data_length + index_length (after ANALYZE TABLE). */
export async function mysqlSourceBytes(database: string, tables: readonly string[]): Promise<number> {
  return withMysql(undefined, async (c) => {
    const [rows] = await c.query(`SELECT sum(data_length + index_length) AS bytes FROM information_schema.tables WHERE table_schema = ? AND table_name IN (?)`, [database, tables]);
    return Number((rows as { bytes: string }[])[0]?.bytes ?? 0);
  });
}

export async function pgServerVersion(): Promise<string> {
  return withPg('postgres', async (c) => String((await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?'));
}

export async function mysqlServerVersion(): Promise<string> {
  return withMysql(undefined, async (c) => {
    const [rows] = await c.query('SELECT version() AS v');
    return String((rows as { v: string }[])[0]?.v ?? '?');
  });
}
