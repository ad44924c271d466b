/**
 * The MySQL / MariaDB dialect: identifier quoting, literals, filters and the DDL of a target.
 *
 * Statements assume the session's sql_mode has no NO_BACKSLASH_ESCAPES (every session this engine
 * opens makes sure of it), so string literals escape backslashes and control bytes.
 */
import { compileSqlFilter, renderSqlLiteral } from '../sql-filter.js';
import type { ControlTableName, Dialect, QualifiedName, TargetColumnDef, TargetTableDef } from '../contract.js';
import type { ExprIR, LiteralValue } from '../../ir/ir.js';
import type { DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, ReferentialAction, ViewDefinition } from '../../schema/catalog.js';
import { mysqlToLogical, quoteMysqlString, renderMysqlType } from './mysql-types.js';
import { mysqlTableWidthProblem } from './mysql-row-size.js';
import { qualifyMysqlViewCalls, retargetMysqlViewQuery } from './mysql-view-sql.js';

/** Database holding the control tables (`_dmsplan`.`runs`, …). */
export const MYSQL_CONTROL_SCHEMA = '_dmsplan';

/**
 * Every table and database we create is utf8mb4 with the binary collation: values that differ
 * only in case or accents are distinct in PostgreSQL, SQLite and SQL Server's usual setups, and a
 * case-insensitive collation would turn them into unique-key violations on the target. utf8mb4_bin
 * exists on MySQL 5.7+, 8.x and every MariaDB. Its one difference from a byte comparison: trailing
 * spaces are ignored ('a' = 'a '), so a text column from another dialect names the NO PAD binary
 * collation where the server has one (capabilities.exactTextCollations), and a column from MySQL
 * keeps its own.
 */
export const MYSQL_TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export function quoteMysqlIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

function qualify(name: QualifiedName): string {
  return name.schema === undefined || name.schema === '' ? quoteMysqlIdent(name.name) : `${quoteMysqlIdent(name.schema)}.${quoteMysqlIdent(name.name)}`;
}

export function renderMysqlLiteral(value: LiteralValue): string {
  return renderSqlLiteral(value, { quoteString: quoteMysqlString, bool: (b) => (b ? 'TRUE' : 'FALSE'), dateKeyword: 'DATE', timestampKeyword: 'TIMESTAMP' });
}

export function compileMysqlFilter(expr: ExprIR): string {
  return compileSqlFilter(expr, { literal: renderMysqlLiteral, ident: quoteMysqlIdent });
}

/** TEXT, BLOB, JSON and spatial columns take a literal default only as an expression (MySQL 8). */
function needsExpressionDefault(type: NativeType): boolean {
  return /text$|blob$|^json$|^geometry|^point$|polygon$|linestring$|^multi/.test(type.name);
}

function fractionalDigits(type: NativeType): number {
  return type.name === 'datetime' || type.name === 'timestamp' || type.name === 'time' ? (type.params[0] ?? 0) : 0;
}

function currentTimestamp(type: NativeType, precision: number | undefined): string {
  // MySQL insists that the precision of CURRENT_TIMESTAMP matches the column's.
  const p = type.name === 'datetime' || type.name === 'timestamp' ? fractionalDigits(type) : (precision ?? 0);
  return p > 0 ? `CURRENT_TIMESTAMP(${p})` : 'CURRENT_TIMESTAMP';
}

function renderDefault(value: DefaultValue, type: NativeType): string | undefined {
  switch (value.kind) {
    case 'literal': {
      if (type.name === 'bit' && /^[01]+$/.test(value.text)) return `b'${value.text}'`;
      // A boolean's canonical text; MySQL's boolean is tinyint(1), whose default is a number.
      if ((value.text === 'true' || value.text === 'false') && mysqlToLogical(type).kind === 'bool') return value.text === 'true' ? '1' : '0';
      const literal = quoteMysqlString(value.text);
      return needsExpressionDefault(type) ? `(${literal})` : literal;
    }
    case 'current_timestamp':
      return type.name === 'datetime' || type.name === 'timestamp' ? currentTimestamp(type, value.precision) : `(${currentTimestamp(type, value.precision)})`;
    case 'current_date':
      return '(CURRENT_DATE)';
    case 'sequence':
      return undefined; // AUTO_INCREMENT stands for it
    case 'expression':
      return `(${value.sql})`;
    default: {
      const never: never = value;
      return never;
    }
  }
}

function columnDefinition(col: TargetColumnDef): string {
  const parts = [quoteMysqlIdent(col.name), renderMysqlType(col.type)];
  // COLLATE alone also sets the column's character set (latin1_swedish_ci → latin1). Only character
  // types take one (MySQL 8 refuses it on JSON, for one).
  if (col.collation && CHARACTER_TYPES.has(col.type.name)) parts.push(`COLLATE ${quoteMysqlIdent(col.collation)}`);
  if (col.generated) parts.push(`GENERATED ALWAYS AS (${col.generated.expression}) ${col.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  // A generated column takes no NOT NULL/DEFAULT on MariaDB.
  if (!col.generated) {
    parts.push(col.nullable ? 'NULL' : 'NOT NULL');
    const def = col.default && !col.identity ? renderDefault(col.default, col.type) : undefined;
    if (def !== undefined) parts.push(`DEFAULT ${def}`);
    if (col.onUpdateCurrentTimestamp) parts.push(`ON UPDATE ${currentTimestamp(col.type, undefined)}`);
    if (col.identity) parts.push('AUTO_INCREMENT');
  }
  if (col.invisible) parts.push('INVISIBLE');
  if (col.comment) parts.push(`COMMENT ${quoteMysqlString(col.comment)}`);
  return parts.join(' ');
}

const CHARACTER_TYPES: ReadonlySet<string> = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);

function keyColumns(columns: readonly string[]): string {
  return columns.map(quoteMysqlIdent).join(', ');
}

function indexPart(part: IndexCatalog['parts'][number]): string {
  const body = part.column !== undefined ? `${quoteMysqlIdent(part.column)}${part.prefixLength !== undefined ? `(${part.prefixLength})` : ''}` : `(${part.expression ?? ''})`;
  return part.descending ? `${body} DESC` : body;
}

function referentialAction(action: ReferentialAction): string {
  switch (action) {
    case 'no_action':
      return 'NO ACTION';
    case 'restrict':
      return 'RESTRICT';
    case 'cascade':
      return 'CASCADE';
    case 'set_null':
      return 'SET NULL';
    case 'set_default':
      // InnoDB rejects SET DEFAULT; NO ACTION is what it would enforce for the rows we load.
      return 'NO ACTION';
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * Runs `statement` only when `condition` (a SQL boolean) holds — MySQL has no `IF NOT EXISTS` for
 * keys, and takes no subquery in ALTER TABLE, so the decision goes through a prepared statement.
 */
function conditionally(condition: string, statement: string): readonly string[] {
  return [
    `SET @dmsplan_sql = IF(${condition}, ${quoteMysqlString(statement)}, 'DO 0')`,
    'PREPARE dmsplan_stmt FROM @dmsplan_sql',
    'EXECUTE dmsplan_stmt',
    'DEALLOCATE PREPARE dmsplan_stmt',
  ];
}

function schemaCondition(table: QualifiedName): string {
  return table.schema ? quoteMysqlString(table.schema) : 'DATABASE()';
}

/**
 * MySQL and MariaDB names hold characters of the Basic Multilingual Plane only (utf8mb3: an emoji is
 * error 1300) and may not end with a space (errors 1102, 1103, 1166, 1280): PostgreSQL's and
 * SQLite's may.
 */
export function mysqlIdentifierProblem(name: string): string | undefined {
  if (/[\u{10000}-\u{10FFFF}]/u.test(name)) return 'has a character outside the Basic Multilingual Plane (an emoji, …), which MySQL names cannot hold';
  if (name.endsWith(' ')) return 'ends with a space, which MySQL names cannot';
  return undefined;
}

export const mysqlDialect: Dialect = {
  quoteIdent: quoteMysqlIdent,
  qualify,
  renderType: (type) => renderMysqlType(type),
  renderLiteral: renderMysqlLiteral,
  placeholder: () => '?',
  compileFilter: compileMysqlFilter,
  tableWidthProblem: mysqlTableWidthProblem,
  identifierProblem: mysqlIdentifierProblem,
  // MySQL deletes trailing spaces from ENUM and SET labels when it creates the table, and a value
  // 'x ' then reads back as 'x'.
  enumLabelProblem: (label) => (/ +$/.test(label) ? 'ends with a space, which MySQL deletes from ENUM and SET labels' : undefined),

  createSchema(schema) {
    return [`CREATE DATABASE IF NOT EXISTS ${quoteMysqlIdent(schema)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`];
  },

  createTypes() {
    return []; // ENUM and SET are inline column types
  },

  /**
   * The primary key is always part of CREATE TABLE, whatever `withPrimaryKey` says: InnoDB stores
   * rows clustered by it, so adding it after the load rebuilds the whole table (twice the work),
   * and an AUTO_INCREMENT column must be part of a key from the start. `addPrimaryKey` then finds
   * the key present and does nothing.
   */
  createTable(table: TargetTableDef) {
    const lines = table.columns.map(columnDefinition);
    if (table.primaryKey) lines.push(`PRIMARY KEY (${keyColumns(table.primaryKey.columns)})`);
    const identity = table.columns.find((c) => c.identity);
    if (identity && table.primaryKey?.columns[0] !== identity.name) lines.push(`KEY (${quoteMysqlIdent(identity.name)})`);
    for (const check of table.checks) lines.push(`CONSTRAINT ${quoteMysqlIdent(check.name)} CHECK (${check.expression})`);
    const comment = table.comment ? ` COMMENT=${quoteMysqlString(table.comment)}` : '';
    const partitions = table.partitionBy ? `\n${table.partitionBy}` : '';
    return [`CREATE TABLE ${qualify(table)} (\n  ${lines.join(',\n  ')}\n) ${MYSQL_TABLE_OPTIONS}${comment}${partitions}`];
  },

  dropTable(table) {
    return [`DROP TABLE IF EXISTS ${qualify(table)}`];
  },

  /**
   * CREATE OR REPLACE: views reading this one are not dropped with it (MySQL resolves their names
   * when they are queried), and run again on a resume it makes the same view. DEFINER is written
   * only where the definition has one (the checker leaves it out where the target lacks the account).
   */
  createView(view: QualifiedName, definition: ViewDefinition) {
    const algorithm = definition.algorithm ? ` ALGORITHM=${definition.algorithm}` : '';
    const definer = definition.definer ? ` DEFINER=${quoteMysqlIdent(definition.definer.user)}@${quoteMysqlIdent(definition.definer.host)}` : '';
    const security = definition.security ? ` SQL SECURITY ${definition.security.toUpperCase()}` : '';
    const check = definition.checkOption ? ` WITH ${definition.checkOption.toUpperCase()} CHECK OPTION` : '';
    const query = view.schema ? qualifyMysqlViewCalls(definition.query, view.schema) : definition.query;
    return [`CREATE OR REPLACE${algorithm}${definer}${security} VIEW ${qualify(view)} AS ${query}${check}`];
  },

  /** Calls of the view's own functions are qualified too: the target prints them so once made (see createView). */
  retargetView(definition: ViewDefinition, where: (schema: string, name: string) => string | undefined, viewSchema: string | undefined): ViewDefinition {
    const query = retargetMysqlViewQuery(definition.query, definition, where);
    return { ...definition, query: viewSchema ? qualifyMysqlViewCalls(query, viewSchema) : query };
  },

  truncateTable(table) {
    // InnoDB refuses TRUNCATE of a table other tables reference unless FK checks are off.
    return ['SET SESSION foreign_key_checks = 0', `TRUNCATE TABLE ${qualify(table)}`, 'SET SESSION foreign_key_checks = 1'];
  },

  truncateTables(tables) {
    return tables.length ? ['SET SESSION foreign_key_checks = 0', ...tables.map((t) => `TRUNCATE TABLE ${qualify(t)}`), 'SET SESSION foreign_key_checks = 1'] : [];
  },

  addPrimaryKey(table, key: KeyCatalog) {
    const exists = `(SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = ${schemaCondition(table)} AND TABLE_NAME = ${quoteMysqlString(table.name)} AND CONSTRAINT_TYPE = 'PRIMARY KEY') = 0`;
    return conditionally(exists, `ALTER TABLE ${qualify(table)} ADD PRIMARY KEY (${keyColumns(key.columns)})`);
  },

  createIndex(table, index: IndexCatalog) {
    const kind = index.method === 'fulltext' ? 'FULLTEXT ' : index.method === 'spatial' ? 'SPATIAL ' : index.unique ? 'UNIQUE ' : '';
    const using = index.method === 'hash' ? ' USING HASH' : '';
    return [`CREATE ${kind}INDEX ${quoteMysqlIdent(index.name)} ON ${qualify(table)} (${index.parts.map(indexPart).join(', ')})${using}`];
  },

  addUniqueKey(table, key: KeyCatalog) {
    return [`ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteMysqlIdent(key.name)} UNIQUE (${keyColumns(key.columns)})`];
  },

  dropForeignKey: (table, name) => [`ALTER TABLE ${qualify(table)} DROP FOREIGN KEY ${quoteMysqlIdent(name)}`],

  addForeignKey(table, fk: ForeignKeyCatalog, referencedSchema) {
    const referenced = qualify({ schema: referencedSchema ?? table.schema, name: fk.referencedTable });
    return [
      `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteMysqlIdent(fk.name)} FOREIGN KEY (${keyColumns(fk.columns)}) REFERENCES ${referenced} (${keyColumns(fk.referencedColumns)}) ON DELETE ${referentialAction(fk.onDelete)} ON UPDATE ${referentialAction(fk.onUpdate)}`,
    ];
  },

  addForeignKeyUnchecked(table, fk: ForeignKeyCatalog, referencedSchema) {
    // The connection's execute turns the checks back on if the ALTER fails.
    return ['SET SESSION foreign_key_checks = 0', ...this.addForeignKey(table, fk, referencedSchema), 'SET SESSION foreign_key_checks = 1'];
  },

  resetIdentity(table, column, next) {
    // ALTER TABLE … AUTO_INCREMENT takes a constant only: compute it, then run it prepared.
    const largest = `(SELECT COALESCE(MAX(${quoteMysqlIdent(column)}), 0) + 1 FROM ${qualify(table)})`;
    return [
      `SET @dmsplan_next = ${next !== undefined && /^\d+$/.test(next) ? `GREATEST(${largest}, ${next})` : largest}`,
      `SET @dmsplan_sql = CONCAT(${quoteMysqlString(`ALTER TABLE ${qualify(table)} AUTO_INCREMENT = `)}, @dmsplan_next)`,
      'PREPARE dmsplan_stmt FROM @dmsplan_sql',
      'EXECUTE dmsplan_stmt',
      'DEALLOCATE PREPARE dmsplan_stmt',
    ];
  },

  controlTable(name: ControlTableName) {
    return { schema: MYSQL_CONTROL_SCHEMA, name };
  },

  createControlSchema() {
    return [`CREATE DATABASE IF NOT EXISTS ${quoteMysqlIdent(MYSQL_CONTROL_SCHEMA)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`];
  },
};
