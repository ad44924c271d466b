/**
 * Puts the data set into the source databases (MariaDB and PostgreSQL, both `dmsplan_bench_src`),
 * reusing what is already there when it holds the requested row counts.
 */
import { mysqlDatasetSql, postgresDatasetSql } from './dataset.js';
import { SOURCE_DB, mysqlCountRows, pgCountRows, pgDatabaseExists, recreateMysqlDatabase, recreatePgDatabase, withMysql, withPg } from './servers.js';

export interface GenerateRequest {
  readonly rows: number;
  readonly customers: number;
  readonly regenerate: boolean;
  readonly log: (line: string) => void;
}

export async function ensureMysqlSource(req: GenerateRequest): Promise<void> {
  if (!req.regenerate && (await mysqlCountRows(SOURCE_DB, 'orders')) === req.rows && (await mysqlCountRows(SOURCE_DB, 'customers')) === req.customers) {
    req.log(`MariaDB ${SOURCE_DB}: already holds ${req.rows} orders, reused`);
    return;
  }
  const started = performance.now();
  await recreateMysqlDatabase(SOURCE_DB);
  await withMysql(SOURCE_DB, async (c) => {
    for (const sql of mysqlDatasetSql(req.rows, req.customers)) await c.query(sql);
  });
  req.log(`MariaDB ${SOURCE_DB}: generated ${req.rows} orders + ${req.customers} customers in ${seconds(started)} s`);
}

export async function ensurePostgresSource(req: GenerateRequest): Promise<void> {
  if (!req.regenerate && (await pgDatabaseExists(SOURCE_DB)) && (await pgCountRows(SOURCE_DB, 'orders')) === req.rows && (await pgCountRows(SOURCE_DB, 'customers')) === req.customers) {
    req.log(`PostgreSQL ${SOURCE_DB}: already holds ${req.rows} orders, reused`);
    return;
  }
  const started = performance.now();
  await recreatePgDatabase(SOURCE_DB);
  await withPg(SOURCE_DB, async (c) => {
    for (const sql of postgresDatasetSql(req.rows, req.customers)) await c.query(sql);
  });
  req.log(`PostgreSQL ${SOURCE_DB}: generated ${req.rows} orders + ${req.customers} customers in ${seconds(started)} s`);
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
