/**
 * The SQLite dialect: double-quoted identifiers, literals, filters and the DDL of a target.
 *
 * SQLite has no schemas inside a file (attached databases aside, which we do not use), so
 * `qualify` ignores the schema and `createSchema` is empty; control tables are `_dmsplan_<name>`.
 *
 * SQLite's ALTER TABLE cannot add a primary key, a foreign key or a CHECK to an existing table (it
 * would have to rebuild the table). So `createTable` declares the primary key (whatever
 * `withPrimaryKey` says), the foreign keys and the checks, and `addPrimaryKey` / `addForeignKey`
 * return nothing. Declared foreign keys cost nothing during the load: the target connection runs
 * with `PRAGMA foreign_keys = OFF`, and SQLite resolves the referenced table only when enforcing.
 * Unique keys and indexes are separate CREATE INDEX statements, so they still come after the data.
 */
import { deferrableSql, referentialActionSql } from '../sql-actions.js';
import { compileSqlFilter, renderSqlLiteral, SQL_NUMBER } from '../sql-filter.js';
import type { ControlTableName, Dialect, QualifiedName, TargetColumnDef, TargetTableDef } from '../contract.js';
import type { ExprIR, LiteralValue } from '../../ir/ir.js';
import type { DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType } from '../../schema/catalog.js';
import { SQLITE_CONTROL_PREFIX } from './sqlite-introspect.js';
import { affinityOf, renderSqliteType, sqliteToLogical } from './sqlite-types.js';

export function quoteSqliteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** SQLite has no schemas: the schema part of a name is ignored. */
function qualify(name: QualifiedName): string {
  return quoteSqliteIdent(name.name);
}

/**
 * A string literal. SQLite's tokenizer cannot take a NUL byte inside quotes, so text holding U+0000
 * is built with char(0) pieces.
 */
export function quoteSqliteString(value: string): string {
  const pieces = value.split('\u0000').map((p) => `'${p.replace(/'/g, "''")}'`);
  return pieces.length === 1 ? pieces[0]! : `(${pieces.join(' || char(0) || ')})`;
}

/** Dates and timestamps are text in SQLite, in the same form our writer stores ('YYYY-MM-DD HH:MM:SS'). */
export function renderSqliteLiteral(value: LiteralValue): string {
  // SQLite has no typed literals: dates and timestamps are their text, booleans 1/0.
  return renderSqlLiteral(value, { quoteString: quoteSqliteString, bool: (b) => (b ? '1' : '0'), dateKeyword: undefined, timestampKeyword: undefined });
}

/**
 * SQLite's LIKE ignores ASCII case, unlike PostgreSQL's; a literal pattern is therefore compiled to
 * the case-sensitive GLOB (`%` → `*`, `_` → `?`, `\` escapes the next character, GLOB's own
 * metacharacters bracketed). A pattern that is not a literal keeps LIKE.
 */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      out += '*?['.includes(next) ? `[${next}]` : next;
    } else if (c === '%') out += '*';
    else if (c === '_') out += '?';
    else if (c === '*' || c === '?' || c === '[') out += `[${c}]`;
    else out += c;
  }
  return out;
}

export function compileSqliteFilter(expr: ExprIR): string {
  return compileSqlFilter(expr, {
    literal: renderSqliteLiteral,
    ident: quoteSqliteIdent,
    like: (operand, pattern, negated, compile) => {
      const not = negated ? 'NOT ' : '';
      if (pattern.kind === 'literal' && pattern.value.kind === 'string') return `(${operand} ${not}GLOB ${quoteSqliteString(likeToGlob(pattern.value.value))})`;
      return `(${operand} ${not}LIKE ${compile(pattern)})`;
    },
  });
}

function columnList(columns: readonly string[]): string {
  return columns.map(quoteSqliteIdent).join(', ');
}


function renderDefault(value: DefaultValue, type: NativeType): string | undefined {
  switch (value.kind) {
    case 'literal':
      // A boolean's canonical text: SQLite stores booleans as 1 and 0.
      if ((value.text === 'true' || value.text === 'false') && sqliteToLogical(type).kind === 'bool') return value.text === 'true' ? '1' : '0';
      // Numbers stay numbers where the column's affinity would convert them anyway.
      return SQL_NUMBER.test(value.text) && affinityOf(renderSqliteType(type)) !== 'text' ? value.text : quoteSqliteString(value.text);
    case 'current_timestamp':
      return sqliteToLogical(type).kind === 'date' ? 'CURRENT_DATE' : 'CURRENT_TIMESTAMP';
    case 'current_date':
      return 'CURRENT_DATE';
    case 'sequence':
      return undefined; // the rowid alias takes its place
    case 'expression':
      return `(${value.sql})`;
    default: {
      const never: never = value;
      return never;
    }
  }
}

/**
 * The column that becomes the rowid alias with AUTOINCREMENT: an identity column that is the whole
 * primary key and holds integers. Its declared type must be exactly INTEGER for SQLite to alias
 * the rowid (BIGINT PRIMARY KEY would not), which changes nothing logically (both are int64).
 * Identity on any other column has no SQLite equivalent and is dropped.
 */
function autoincrementColumn(table: TargetTableDef): string | undefined {
  const pk = table.primaryKey;
  if (!pk || pk.columns.length !== 1) return undefined;
  const col = table.columns.find((c) => c.name === pk.columns[0]);
  if (!col || col.identity === undefined || col.generated) return undefined;
  return affinityOf(renderSqliteType(col.type)) === 'integer' ? col.name : undefined;
}

/** The largest number SQLite's counter (an int64) can record. */
const INT64_MAX = 9223372036854775807n;

/**
 * Moves an AUTOINCREMENT table's sqlite_sequence row to `next - 1` at least (it hands out the row's
 * seq + 1 next), never back. The row exists once a row was inserted; an empty table has none yet.
 */
function raiseCounter(table: QualifiedName, next: string | undefined): readonly string[] {
  if (next === undefined || !/^\d+$/.test(next) || BigInt(next) <= 1n || BigInt(next) - 1n > INT64_MAX) return [];
  const seq = (BigInt(next) - 1n).toString();
  const name = quoteSqliteString(table.name);
  return [
    `UPDATE sqlite_sequence SET seq = MAX(seq, ${seq}) WHERE name = ${name}`,
    `INSERT INTO sqlite_sequence (name, seq) SELECT ${name}, ${seq} WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${name})`,
  ];
}

function columnDefinition(col: TargetColumnDef, autoincrement: boolean): string {
  if (autoincrement) return `${quoteSqliteIdent(col.name)} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`;
  const type = renderSqliteType(col.type);
  const parts = type === '' ? [quoteSqliteIdent(col.name)] : [quoteSqliteIdent(col.name), type];
  if (col.collation !== undefined) parts.push(`COLLATE ${quoteSqliteIdent(col.collation)}`);
  if (col.generated) parts.push(`GENERATED ALWAYS AS (${col.generated.expression}) ${col.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  else if (col.default) {
    const def = renderDefault(col.default, col.type);
    if (def !== undefined) parts.push(`DEFAULT ${def}`);
  }
  if (!col.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

function foreignKeyClause(fk: ForeignKeyCatalog): string {
  const name = fk.name ? `CONSTRAINT ${quoteSqliteIdent(fk.name)} ` : '';
  return `${name}FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${quoteSqliteIdent(fk.referencedTable)} (${columnList(fk.referencedColumns)}) ON DELETE ${referentialActionSql(fk.onDelete)} ON UPDATE ${referentialActionSql(fk.onUpdate)}${deferrableSql(fk.deferrable)}`;
}

function createTable(table: TargetTableDef): readonly string[] {
  const auto = autoincrementColumn(table);
  const lines = table.columns.map((c) => columnDefinition(c, c.name === auto));
  if (table.primaryKey && auto === undefined) {
    const name = table.primaryKey.name ? `CONSTRAINT ${quoteSqliteIdent(table.primaryKey.name)} ` : '';
    lines.push(`${name}PRIMARY KEY (${columnList(table.primaryKey.columns)})`);
  }
  for (const check of table.checks) lines.push(`CONSTRAINT ${quoteSqliteIdent(check.name)} CHECK (${check.expression})`);
  for (const fk of table.foreignKeys) lines.push(foreignKeyClause(fk));
  const options = table.tableOptions?.length ? ` ${table.tableOptions.join(', ')}` : '';
  return [`CREATE TABLE ${quoteSqliteIdent(table.name)} (\n  ${lines.join(',\n  ')}\n)${options}`];
}

function indexPart(part: IndexCatalog['parts'][number]): string {
  let body: string;
  if (part.column !== undefined) {
    // A MySQL prefix index: the same prefix as an expression, so a unique one stays as strict.
    body = part.prefixLength !== undefined ? `substr(${quoteSqliteIdent(part.column)}, 1, ${part.prefixLength})` : quoteSqliteIdent(part.column);
    if (part.collation !== undefined) body += ` COLLATE ${quoteSqliteIdent(part.collation)}`;
  } else body = `(${part.expression ?? ''})`;
  return part.descending ? `${body} DESC` : body;
}

function createIndex(table: QualifiedName, index: IndexCatalog): readonly string[] {
  const where = index.where ? ` WHERE ${index.where}` : '';
  return [`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteSqliteIdent(index.name)} ON ${qualify(table)} (${index.parts.map(indexPart).join(', ')})${where}`];
}

export const sqliteDialect: Dialect = {
  quoteIdent: quoteSqliteIdent,
  qualify,
  renderType: renderSqliteType,
  renderLiteral: renderSqliteLiteral,
  placeholder: () => '?',
  compileFilter: compileSqliteFilter,
  createSchema: () => [],
  createTypes: () => [],
  createTable: (table) => createTable(table),
  dropTable: (table) => [`DROP TABLE IF EXISTS ${qualify(table)}`],
  // SQLite has no TRUNCATE; DELETE without WHERE is optimised into one ("truncate optimisation").
  truncateTable: (table) => [`DELETE FROM ${qualify(table)}`],
  truncateTables: (tables) => tables.map((table) => `DELETE FROM ${qualify(table)}`),
  addPrimaryKey: () => [], // declared by createTable: SQLite cannot add one later
  createIndex,
  addUniqueKey: (table: QualifiedName, key: KeyCatalog) => [`CREATE UNIQUE INDEX ${quoteSqliteIdent(key.name)} ON ${qualify(table)} (${columnList(key.columns)})`],
  addForeignKey: () => [], // declared by createTable: SQLite cannot add one later
  // A rowid alias takes max(rowid)+1, and AUTOINCREMENT's sqlite_sequence already records the
  // largest explicit value inserted: only a source counter past the largest row moves it further.
  resetIdentity: (table, column, next, definition) => (definition !== undefined && autoincrementColumn(definition) === column ? raiseCounter(table, next) : []),
  controlTable: (name: ControlTableName) => ({ schema: undefined, name: `${SQLITE_CONTROL_PREFIX}${name}` }),
  createControlSchema: () => [],
};
