/** Shared helpers of the MySQL engine's live tests. */
import { mysqlEngine } from '../../../src/engines/mysql/index.js';
import type { EngineConnection, ReadColumn } from '../../../src/engines/contract.js';
import type { ColumnCatalog, TableCatalog } from '../../../src/schema/catalog.js';

export function connect(url: string, poolSize = 4): Promise<EngineConnection> {
  return mysqlEngine.connect({ url, session: [], tls: undefined, poolSize, applicationName: 'dmsplan-test' });
}

export function readColumns(table: TableCatalog): ReadColumn[] {
  return table.columns.map((c: ColumnCatalog) => ({ name: c.name, native: c.nativeType, logical: c.logical }));
}

export function findTable(tables: readonly TableCatalog[], name: string): TableCatalog {
  const t = tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
}
