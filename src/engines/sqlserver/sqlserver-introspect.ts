/**
 * Reads a SQL Server database's schema into the neutral catalog from the sys.* views: the queries
 * (text) and the assembly of their rows (pure, so tests build a catalog from hand-written rows).
 *
 * Schemas: dbo and those users created (schema_id 1, or 5–16383: not sys, INFORMATION_SCHEMA,
 * guest nor the db_* role schemas), without dmsplan's own `_dmsplan`. Types: a column of an alias
 * type (CREATE TYPE … FROM nvarchar(20)) and sysname is its base type; hierarchyid, geography and
 * geometry keep their names; a CLR user type keeps its own, which the types module does not know,
 * so the plan refuses the column (DMS3530). Row estimates come from sys.partitions (heap or
 * clustered index). Columnstore, XML, spatial and full-text indexes are not read.
 */
import type { Catalog, ColumnCatalog, DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, OtherObjectCatalog, ReferentialAction, TableCatalog } from '../../schema/catalog.js';
import { SQLSERVER_CONTROL_SCHEMA } from './sqlserver-ddl.js';
import { parseSqlServerType, sqlServerToLogical } from './sqlserver-types.js';

const USER_SCHEMAS = `(s.schema_id = 1 OR (s.schema_id > 4 AND s.schema_id < 16384)) AND s.name <> N'${SQLSERVER_CONTROL_SCHEMA}'`;
const USER_TABLES = `t.is_ms_shipped = 0 AND ${USER_SCHEMAS}`;

export const SCHEMAS_SQL = `SELECT s.name AS schema_name FROM sys.schemas s WHERE ${USER_SCHEMAS} ORDER BY s.name`;

export const COLUMNS_SQL = `SELECT s.name AS schema_name, t.name AS table_name, c.column_id, c.name AS column_name,
  CASE WHEN ty.is_assembly_type = 1 THEN ty.name ELSE TYPE_NAME(c.system_type_id) END AS type_name,
  c.max_length, c.precision, c.scale, c.is_nullable, c.is_identity, c.collation_name,
  CONVERT(varchar(50), ic.seed_value) AS seed_value, CONVERT(varchar(50), ic.increment_value) AS increment_value, CONVERT(varchar(50), ic.last_value) AS last_value,
  dc.definition AS default_definition, cc.definition AS computed_definition, cc.is_persisted
FROM sys.tables t
JOIN sys.schemas s ON s.schema_id = t.schema_id
JOIN sys.columns c ON c.object_id = t.object_id
JOIN sys.types ty ON ty.user_type_id = c.user_type_id
LEFT JOIN sys.identity_columns ic ON ic.object_id = c.object_id AND ic.column_id = c.column_id
LEFT JOIN sys.default_constraints dc ON dc.parent_object_id = c.object_id AND dc.parent_column_id = c.column_id
LEFT JOIN sys.computed_columns cc ON cc.object_id = c.object_id AND cc.column_id = c.column_id
WHERE ${USER_TABLES}
ORDER BY s.name, t.name, c.column_id`;

export const INDEXES_SQL = `SELECT s.name AS schema_name, t.name AS table_name, i.name AS index_name, i.is_primary_key, i.is_unique_constraint, i.is_unique, i.filter_definition,
  ic.key_ordinal, ic.is_included_column, ic.is_descending_key, c.name AS column_name
FROM sys.indexes i
JOIN sys.tables t ON t.object_id = i.object_id
JOIN sys.schemas s ON s.schema_id = t.schema_id
JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE ${USER_TABLES} AND i.type IN (1, 2) AND i.is_hypothetical = 0 AND i.name IS NOT NULL
ORDER BY s.name, t.name, i.name, ic.is_included_column, ic.key_ordinal, ic.index_column_id`;

export const FOREIGN_KEYS_SQL = `SELECT s.name AS schema_name, t.name AS table_name, fk.name AS fk_name, pc.name AS column_name,
  rs.name AS ref_schema, rt.name AS ref_table, rc.name AS ref_column, fk.delete_referential_action_desc AS on_delete, fk.update_referential_action_desc AS on_update
FROM sys.foreign_keys fk
JOIN sys.foreign_key_columns fkc ON fkc.constraint_object_id = fk.object_id
JOIN sys.tables t ON t.object_id = fk.parent_object_id
JOIN sys.schemas s ON s.schema_id = t.schema_id
JOIN sys.columns pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
JOIN sys.tables rt ON rt.object_id = fk.referenced_object_id
JOIN sys.schemas rs ON rs.schema_id = rt.schema_id
JOIN sys.columns rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
WHERE ${USER_TABLES}
ORDER BY s.name, t.name, fk.name, fkc.constraint_column_id`;

export const CHECKS_SQL = `SELECT s.name AS schema_name, t.name AS table_name, cc.name AS check_name, cc.definition
FROM sys.check_constraints cc JOIN sys.tables t ON t.object_id = cc.parent_object_id JOIN sys.schemas s ON s.schema_id = t.schema_id
WHERE ${USER_TABLES} ORDER BY s.name, t.name, cc.name`;

export const ROW_ESTIMATES_SQL = `SELECT s.name AS schema_name, t.name AS table_name, SUM(p.rows) AS row_estimate
FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id JOIN sys.partitions p ON p.object_id = t.object_id AND p.index_id IN (0, 1)
WHERE ${USER_TABLES} GROUP BY s.name, t.name`;

export const OTHERS_SQL = `SELECT s.name AS schema_name, o.name AS object_name, o.type AS object_type
FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id
WHERE o.is_ms_shipped = 0 AND ${USER_SCHEMAS} AND o.type IN ('V', 'P', 'FN', 'IF', 'TF', 'TR', 'SO')
ORDER BY s.name, o.name`;

export type Rows = readonly Readonly<Record<string, unknown>>[];

export interface CatalogRows {
  readonly schemas: Rows;
  readonly columns: Rows;
  readonly indexes: Rows;
  readonly foreignKeys: Rows;
  readonly checks: Rows;
  readonly rowEstimates: Rows;
  readonly others: Rows;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => Number(v ?? 0);
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const tableKey = (schema: unknown, table: unknown): string => `${str(schema)}\u0000${str(table)}`;

/**
 * The native type of a sys.columns row. max_length is in bytes (-1 = max): nchar/nvarchar hold
 * half as many UTF-16 code units. A name this build does not know is kept as it is, to be refused.
 */
export function nativeTypeOf(row: Readonly<Record<string, unknown>>): NativeType {
  const name = str(row.type_name).toLowerCase();
  const maxLength = num(row.max_length);
  let text: string;
  switch (name) {
    case 'char':
    case 'varchar':
    case 'binary':
    case 'varbinary':
      text = `${name}(${maxLength === -1 ? 'max' : maxLength})`;
      break;
    case 'nchar':
    case 'nvarchar':
      text = `${name}(${maxLength === -1 ? 'max' : maxLength / 2})`;
      break;
    case 'decimal':
    case 'numeric':
      text = `${name}(${num(row.precision)},${num(row.scale)})`;
      break;
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      text = `${name}(${num(row.scale)})`;
      break;
    default:
      text = name;
  }
  return parseSqlServerType(text) ?? { name, params: [], unsigned: false, text: name };
}

/** A default as sys.default_constraints prints it: `((0))`, `(N'x')`, `(getdate())`. */
export function defaultOf(definition: string): DefaultValue {
  let d = definition.trim();
  while (d.startsWith('(') && d.endsWith(')') && balanced(d.slice(1, -1))) d = d.slice(1, -1).trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(d)) return { kind: 'literal', text: d.replace(/^\+/, '') };
  const str = /^N?'((?:[^']|'')*)'$/s.exec(d);
  if (str) return { kind: 'literal', text: str[1]!.replace(/''/g, "'") };
  if (/^(getdate|sysdatetime|current_timestamp)(\(\))?$/i.test(d)) return { kind: 'current_timestamp', precision: undefined };
  return { kind: 'expression', sql: d };
}

function balanced(s: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}

function actionOf(desc: unknown): ReferentialAction {
  switch (str(desc).toUpperCase()) {
    case 'CASCADE':
      return 'cascade';
    case 'SET_NULL':
      return 'set_null';
    case 'SET_DEFAULT':
      return 'set_default';
    default:
      return 'no_action';
  }
}

function columnOf(row: Readonly<Record<string, unknown>>): ColumnCatalog {
  const nativeType = nativeTypeOf(row);
  const identity = bool(row.is_identity);
  const lastValue = row.last_value === null || row.last_value === undefined ? undefined : str(row.last_value);
  const increment = str(row.increment_value) || '1';
  // The value the identity hands out next: after the last one, or the seed when none was handed out.
  const next = identity ? (lastValue !== undefined ? (BigInt(lastValue) + BigInt(increment)).toString() : str(row.seed_value) || '1') : undefined;
  const computed = row.computed_definition === null || row.computed_definition === undefined ? undefined : str(row.computed_definition);
  return {
    name: str(row.column_name),
    ordinal: num(row.column_id),
    nativeType,
    logical: sqlServerToLogical(nativeType),
    nullable: bool(row.is_nullable),
    default: row.default_definition === null || row.default_definition === undefined ? undefined : defaultOf(str(row.default_definition)),
    identity: identity ? { kind: 'by_default', ...(next !== undefined ? { next } : {}) } : undefined,
    generated: computed !== undefined ? { expression: computed, stored: bool(row.is_persisted) } : undefined,
    onUpdateCurrentTimestamp: false,
    collation: row.collation_name === null || row.collation_name === undefined ? undefined : str(row.collation_name),
    charset: undefined,
    comment: undefined,
  };
}

interface IndexAcc {
  name: string;
  primary: boolean;
  constraint: boolean;
  unique: boolean;
  filter: string | undefined;
  keys: { column: string; descending: boolean }[];
  include: string[];
}

export function assembleCatalog(rows: CatalogRows, database: string, serverVersion: string, scope: readonly string[] | undefined): Catalog {
  const inScope = (schema: string): boolean => scope === undefined || scope.includes(schema);
  const columns = new Map<string, { schema: string; name: string; columns: ColumnCatalog[] }>();
  for (const row of rows.columns) {
    if (!inScope(str(row.schema_name))) continue;
    const key = tableKey(row.schema_name, row.table_name);
    let t = columns.get(key);
    if (!t) columns.set(key, (t = { schema: str(row.schema_name), name: str(row.table_name), columns: [] }));
    t.columns.push(columnOf(row));
  }
  const indexes = new Map<string, Map<string, IndexAcc>>();
  for (const row of rows.indexes) {
    const key = tableKey(row.schema_name, row.table_name);
    let byName = indexes.get(key);
    if (!byName) indexes.set(key, (byName = new Map()));
    const name = str(row.index_name);
    let acc = byName.get(name);
    if (!acc) {
      const filter = row.filter_definition === null || row.filter_definition === undefined ? undefined : str(row.filter_definition);
      byName.set(name, (acc = { name, primary: bool(row.is_primary_key), constraint: bool(row.is_unique_constraint), unique: bool(row.is_unique), filter, keys: [], include: [] }));
    }
    if (bool(row.is_included_column)) acc.include.push(str(row.column_name));
    else acc.keys.push({ column: str(row.column_name), descending: bool(row.is_descending_key) });
  }
  const foreignKeys = new Map<string, Map<string, { fk: Omit<ForeignKeyCatalog, 'columns' | 'referencedColumns'>; columns: string[]; referenced: string[] }>>();
  for (const row of rows.foreignKeys) {
    const key = tableKey(row.schema_name, row.table_name);
    let byName = foreignKeys.get(key);
    if (!byName) foreignKeys.set(key, (byName = new Map()));
    const name = str(row.fk_name);
    let acc = byName.get(name);
    if (!acc) {
      acc = { fk: { name, referencedSchema: str(row.ref_schema), referencedTable: str(row.ref_table), onDelete: actionOf(row.on_delete), onUpdate: actionOf(row.on_update) }, columns: [], referenced: [] };
      byName.set(name, acc);
    }
    acc.columns.push(str(row.column_name));
    acc.referenced.push(str(row.ref_column));
  }
  const checks = new Map<string, { name: string; expression: string }[]>();
  for (const row of rows.checks) {
    const key = tableKey(row.schema_name, row.table_name);
    const list = checks.get(key) ?? [];
    list.push({ name: str(row.check_name), expression: str(row.definition) });
    checks.set(key, list);
  }
  const estimates = new Map(rows.rowEstimates.map((r) => [tableKey(r.schema_name, r.table_name), num(r.row_estimate)]));

  const tables: TableCatalog[] = [];
  for (const [key, t] of [...columns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const all = [...(indexes.get(key)?.values() ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
    const pk = all.find((i) => i.primary);
    const uniqueKeys: KeyCatalog[] = [];
    const plain: IndexCatalog[] = [];
    for (const i of all) {
      if (i.primary) continue;
      // A filtered unique index holds for some rows only: an index with its WHERE, not a key.
      // SQL Server's unique keys let one NULL in, not several: NULLS NOT DISTINCT, where a column may be NULL.
      const nullable = i.keys.some((k) => t.columns.find((c) => c.name === k.column)?.nullable === true);
      if (i.unique && i.filter === undefined) uniqueKeys.push({ name: i.name, columns: i.keys.map((k) => k.column), ...(i.include.length ? { include: i.include } : {}), ...(nullable ? { nullsNotDistinct: true } : {}) });
      else plain.push({ name: i.name, unique: i.unique, parts: i.keys.map((k) => ({ column: k.column, descending: k.descending })), where: i.filter, method: 'btree', ...(i.include.length ? { include: i.include } : {}) });
    }
    tables.push({
      schema: t.schema,
      name: t.name,
      kind: 'table',
      columns: t.columns,
      primaryKey: pk ? { name: pk.name, columns: pk.keys.map((k) => k.column), ...(pk.include.length ? { include: pk.include } : {}) } : undefined,
      uniqueKeys,
      indexes: plain,
      foreignKeys: [...(foreignKeys.get(key)?.values() ?? [])].map((f) => ({ ...f.fk, columns: f.columns, referencedColumns: f.referenced })),
      checks: checks.get(key) ?? [],
      rowEstimate: estimates.get(key) ?? 0,
      comment: undefined,
    });
  }
  const others: OtherObjectCatalog[] = rows.others
    .filter((r) => inScope(str(r.schema_name)))
    .map((r) => ({ schema: str(r.schema_name), name: str(r.object_name), kind: otherKind(str(r.object_type).trim()) }));
  return {
    engine: 'sqlserver',
    database,
    serverVersion,
    schemas: rows.schemas.map((r) => str(r.schema_name)).filter(inScope),
    tables,
    sequences: [],
    others,
  };
}

function otherKind(type: string): OtherObjectCatalog['kind'] {
  switch (type) {
    case 'V':
      return 'view';
    case 'P':
      return 'procedure';
    case 'TR':
      return 'trigger';
    case 'SO':
      return 'sequence';
    default:
      return 'function';
  }
}
