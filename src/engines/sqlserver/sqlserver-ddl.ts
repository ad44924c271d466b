/**
 * The SQL Server dialect (T-SQL): [bracket] quoting, literals, filters, and the DDL of a table.
 *
 * SQL Server is a source only in this build (capabilities.canBeTarget is false: `plan` refuses it
 * as a target, DMS3531), so the DDL below is generated and tested as text but never run by apply.
 * It is kept true to T-SQL so that the target side can build on it:
 * - a unique key over nullable columns is a filtered unique index (`WHERE c IS NOT NULL`): a SQL
 *   Server UNIQUE constraint lets one NULL in, where the other engines let any number;
 * - RESTRICT does not exist: it is NO ACTION (checked at the end of the statement, which for one
 *   statement is the same);
 * - CREATE SCHEMA must be alone in its batch, hence EXEC.
 */
import { compileSqlFilter, renderSqlLiteral, SQL_NUMBER } from '../sql-filter.js';
import type { ControlTableName, Dialect, QualifiedName, TargetColumnDef, TargetTableDef } from '../contract.js';
import type { ExprIR, LiteralValue } from '../../ir/ir.js';
import type { DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, ReferentialAction } from '../../schema/catalog.js';
import { renderSqlServerType, sqlServerToLogical } from './sqlserver-types.js';
import { referentialActionSql } from '../sql-actions.js';

export const SQLSERVER_CONTROL_SCHEMA = '_dmsplan';

/** `[name]`, a `]` in it doubled. */
export function quoteSqlServerIdent(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

export function qualifySqlServer(name: QualifiedName): string {
  return name.schema === undefined ? quoteSqlServerIdent(name.name) : `${quoteSqlServerIdent(name.schema)}.${quoteSqlServerIdent(name.name)}`;
}

/** A Unicode string literal: N'…' (a plain '…' is converted to the database's code page, losing what it lacks). */
export function quoteSqlServerString(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}

/**
 * Dates and timestamps as CASTs of ISO text: `'2020-01-02 03:04:05'` read as a datetime depends on
 * the session's language and DATEFORMAT (ydm under French or German), as a date or datetime2 never.
 */
export function renderSqlServerLiteral(value: LiteralValue): string {
  switch (value.kind) {
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value.value) ? `CAST('${value.value}' AS date)` : quoteSqlServerString(value.value);
    case 'timestamp': {
      const text = value.value.replace('T', ' ');
      return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,7})?$/.test(text) ? `CAST('${text}' AS datetime2(7))` : quoteSqlServerString(value.value);
    }
    default:
      return renderSqlLiteral(value, { quoteString: quoteSqlServerString, bool: (b) => (b ? '1' : '0'), dateKeyword: undefined, timestampKeyword: undefined });
  }
}

/**
 * A LIKE pattern of the plan (PostgreSQL's: `\` escapes, `%` and `_` wildcards, case-sensitive) as
 * T-SQL's: `[` is a wildcard there (a character class) and there is no default escape character,
 * so `[` is escaped and ESCAPE '\' is said; the comparison is made under a binary collation, as
 * the default collations ignore case.
 */
export function likePatternForSqlServer(pattern: string): string {
  return pattern.replace(/\[/g, '\\[');
}

const BINARY_COLLATION = 'Latin1_General_100_BIN2';

export function compileSqlServerFilter(expr: ExprIR): string {
  return compileSqlFilter(expr, {
    literal: renderSqlServerLiteral,
    ident: quoteSqlServerIdent,
    like: (operand, pattern, negated, compile) => {
      const not = negated ? 'NOT ' : '';
      const right = pattern.kind === 'literal' && pattern.value.kind === 'string' ? quoteSqlServerString(likePatternForSqlServer(pattern.value.value)) : compile(pattern);
      return `(${operand} COLLATE ${BINARY_COLLATION} ${not}LIKE ${right} ESCAPE N'\\')`;
    },
  });
}

function columnList(columns: readonly string[]): string {
  return columns.map(quoteSqlServerIdent).join(', ');
}

function renderDefault(value: DefaultValue, type: NativeType): string | undefined {
  switch (value.kind) {
    case 'literal': {
      const logical = sqlServerToLogical(type);
      if (logical.kind === 'bool' && (value.text === 'true' || value.text === 'false')) return value.text === 'true' ? '1' : '0';
      if ((logical.kind === 'int' || logical.kind === 'decimal' || logical.kind === 'float') && SQL_NUMBER.test(value.text)) return `(${value.text})`;
      return quoteSqlServerString(value.text);
    }
    case 'current_timestamp':
      return sqlServerToLogical(type).kind === 'timestamptz' ? 'SYSDATETIMEOFFSET()' : 'SYSDATETIME()';
    case 'current_date':
      return 'CAST(SYSDATETIME() AS date)';
    case 'sequence':
      return undefined; // an IDENTITY stands for it
    case 'expression':
      return `(${value.sql})`;
    default: {
      const never: never = value;
      return never;
    }
  }
}

function columnDefinition(table: TargetTableDef, col: TargetColumnDef): string {
  const name = quoteSqlServerIdent(col.name);
  if (col.generated) return `${name} AS (${col.generated.expression})${col.generated.stored ? ' PERSISTED' : ''}`;
  const parts = [name, renderSqlServerType(col.type)];
  if (col.collation !== undefined) parts.push(`COLLATE ${col.collation}`);
  if (col.identity !== undefined) parts.push(`IDENTITY(${identitySeed(col.identityNext)}, 1)`);
  parts.push(col.nullable ? 'NULL' : 'NOT NULL');
  if (col.default && col.identity === undefined) {
    const def = renderDefault(col.default, col.type);
    if (def !== undefined) parts.push(`CONSTRAINT ${quoteSqlServerIdent(`DF_${table.name}_${col.name}`.slice(0, 128))} DEFAULT ${def}`);
  }
  return parts.join(' ');
}

/** The first value an identity hands out: the source's next one, when known and a plain integer. */
function identitySeed(next: string | undefined): string {
  return next !== undefined && /^-?\d+$/.test(next) ? next : '1';
}

function createTable(table: TargetTableDef, withPrimaryKey: boolean): readonly string[] {
  const lines = table.columns.map((c) => columnDefinition(table, c));
  if (withPrimaryKey && table.primaryKey) lines.push(`CONSTRAINT ${quoteSqlServerIdent(table.primaryKey.name)} PRIMARY KEY CLUSTERED (${columnList(table.primaryKey.columns)})`);
  for (const check of table.checks) lines.push(`CONSTRAINT ${quoteSqlServerIdent(check.name)} CHECK (${check.expression})`);
  return [`CREATE TABLE ${qualifySqlServer(table)} (\n  ${lines.join(',\n  ')}\n)`];
}

/** SQL Server has no RESTRICT; NO ACTION checks at the end of the statement, which is the same for one statement. */
function actionSql(action: ReferentialAction): string {
  return action === 'restrict' ? 'NO ACTION' : referentialActionSql(action);
}

function indexColumns(index: IndexCatalog): string | undefined {
  const parts: string[] = [];
  for (const part of index.parts) {
    // No expression indexes in SQL Server (a computed column would be needed), and no prefixes:
    // a prefix index indexes the whole value here.
    if (part.column === undefined) return undefined;
    parts.push(`${quoteSqlServerIdent(part.column)}${part.descending ? ' DESC' : ''}`);
  }
  return parts.join(', ');
}

function createIndex(table: QualifiedName, index: IndexCatalog): readonly string[] {
  const columns = indexColumns(index);
  if (columns === undefined) return [];
  const include = index.include?.length ? ` INCLUDE (${columnList(index.include)})` : '';
  const where = index.where ? ` WHERE ${index.where}` : '';
  return [`CREATE ${index.unique ? 'UNIQUE ' : ''}NONCLUSTERED INDEX ${quoteSqlServerIdent(index.name)} ON ${qualifySqlServer(table)} (${columns})${include}${where}`];
}

/** See the file comment: NULLs are distinct under the other engines' unique keys, not under SQL Server's. */
function addUniqueKey(table: QualifiedName, key: KeyCatalog): readonly string[] {
  if (key.nullsNotDistinct) return [`ALTER TABLE ${qualifySqlServer(table)} ADD CONSTRAINT ${quoteSqlServerIdent(key.name)} UNIQUE (${columnList(key.columns)})`];
  const include = key.include?.length ? ` INCLUDE (${columnList(key.include)})` : '';
  const notNull = key.columns.map((c) => `${quoteSqlServerIdent(c)} IS NOT NULL`).join(' AND ');
  return [`CREATE UNIQUE NONCLUSTERED INDEX ${quoteSqlServerIdent(key.name)} ON ${qualifySqlServer(table)} (${columnList(key.columns)})${include} WHERE ${notNull}`];
}

function addForeignKey(table: QualifiedName, fk: ForeignKeyCatalog, referencedSchema: string | undefined): readonly string[] {
  const referenced = qualifySqlServer({ schema: referencedSchema, name: fk.referencedTable });
  return [
    `ALTER TABLE ${qualifySqlServer(table)} ADD CONSTRAINT ${quoteSqlServerIdent(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${referenced} (${columnList(fk.referencedColumns)}) ON DELETE ${actionSql(fk.onDelete)} ON UPDATE ${actionSql(fk.onUpdate)}`,
  ];
}

/**
 * DBCC CHECKIDENT … RESEED, v makes the next value v + 1 on a table that has had rows, but v
 * itself on one that never had any (sys.identity_columns.last_value is NULL): both cases are written.
 */
function resetIdentity(table: QualifiedName, column: string, next?: string): readonly string[] {
  const name = qualifySqlServer(table);
  const floor = next !== undefined && /^-?\d+$/.test(next) ? `IF @next < ${next} SET @next = ${next}; ` : '';
  return [
    `DECLARE @next decimal(38,0) = (SELECT ISNULL(MAX(${quoteSqlServerIdent(column)}), 0) + 1 FROM ${name}); ${floor}` +
      `IF (SELECT last_value FROM sys.identity_columns WHERE object_id = OBJECT_ID(${quoteSqlServerString(name)}) AND name = ${quoteSqlServerString(column)}) IS NULL ` +
      `DBCC CHECKIDENT (${quoteSqlServerString(name)}, RESEED, @next) ELSE BEGIN SET @next = @next - 1; DBCC CHECKIDENT (${quoteSqlServerString(name)}, RESEED, @next) END`,
  ];
}

function createSchema(schema: string): readonly string[] {
  return [`IF SCHEMA_ID(${quoteSqlServerString(schema)}) IS NULL EXEC(${quoteSqlServerString(`CREATE SCHEMA ${quoteSqlServerIdent(schema)}`)})`];
}

export const sqlServerDialect: Dialect = {
  quoteIdent: quoteSqlServerIdent,
  qualify: qualifySqlServer,
  renderType: renderSqlServerType,
  renderLiteral: renderSqlServerLiteral,
  // mssql names parameters; the driver binds @p1, @p2, … in order.
  placeholder: (index) => `@p${index}`,
  compileFilter: compileSqlServerFilter,
  createSchema,
  createTypes: () => [],
  createTable: (table, options) => createTable(table, options.withPrimaryKey),
  dropTable: (table) => [`DROP TABLE IF EXISTS ${qualifySqlServer(table)}`],
  // TRUNCATE TABLE is refused on a table a foreign key references, even an empty one.
  truncateTable: (table) => [`DELETE FROM ${qualifySqlServer(table)}`],
  truncateTables: (tables) => tables.map((table) => `DELETE FROM ${qualifySqlServer(table)}`),
  addPrimaryKey: (table, key) => [`ALTER TABLE ${qualifySqlServer(table)} ADD CONSTRAINT ${quoteSqlServerIdent(key.name)} PRIMARY KEY CLUSTERED (${columnList(key.columns)})`],
  createIndex,
  addUniqueKey,
  addForeignKey,
  resetIdentity,
  controlTable: (name: ControlTableName) => ({ schema: SQLSERVER_CONTROL_SCHEMA, name }),
  createControlSchema: () => createSchema(SQLSERVER_CONTROL_SCHEMA),
};
