/**
 * The Oracle dialect: identifier quoting, literals and filters (what a source needs), and the DDL a
 * target would run. Oracle as a target is refused by `plan` (DMS3551) until its writer, control
 * schema and run lock exist; the DDL here is generated and tested as SQL text only.
 *
 * Names are always double-quoted, so they keep their case exactly: an unquoted name folds to upper
 * case, and `"Customer"` and `CUSTOMER` are two tables.
 */
import { compileSqlFilter, renderSqlLiteral } from '../sql-filter.js';
import type { ControlTableName, Dialect, QualifiedName, TargetColumnDef, TargetTableDef } from '../contract.js';
import type { ExprIR, LiteralValue } from '../../ir/ir.js';
import type { DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, ReferentialAction } from '../../schema/catalog.js';
import { renderOracleType } from './oracle-types.js';

/** The schema (an Oracle user) holding the control tables. */
export const ORACLE_CONTROL_SCHEMA = '_DMSPLAN';

export function quoteOracleIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function qualify(name: QualifiedName): string {
  return name.schema === undefined || name.schema === '' ? quoteOracleIdent(name.name) : `${quoteOracleIdent(name.schema)}.${quoteOracleIdent(name.name)}`;
}

/**
 * A string literal. Oracle takes no backslash escapes; only the quote doubles. An empty string is
 * NULL in Oracle ('' IS NULL is true): a filter comparing with '' matches nothing, as on the server.
 */
export function quoteOracleString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function renderOracleLiteral(value: LiteralValue): string {
  // BOOLEAN is 23ai only; 1 and 0 compare with the NUMBER(1) flags older schemas use.
  return renderSqlLiteral(value, { quoteString: quoteOracleString, bool: (b) => (b ? '1' : '0'), dateKeyword: 'DATE', timestampKeyword: 'TIMESTAMP' });
}

export function compileOracleFilter(expr: ExprIR): string {
  return compileSqlFilter(expr, { literal: renderOracleLiteral, ident: quoteOracleIdent });
}

function renderDefault(value: DefaultValue): string | undefined {
  switch (value.kind) {
    case 'literal':
      return /^-?\d+(\.\d+)?$/.test(value.text) ? value.text : quoteOracleString(value.text);
    case 'current_timestamp':
      return value.precision === undefined ? 'SYSTIMESTAMP' : `SYSTIMESTAMP(${value.precision})`;
    case 'current_date':
      return 'TRUNC(SYSDATE)';
    case 'sequence':
      return undefined; // the identity column stands for it
    case 'expression':
      return undefined; // another dialect's SQL: not carried
    default: {
      const never: never = value;
      return never;
    }
  }
}

function columnDefinition(col: TargetColumnDef): string {
  const parts = [quoteOracleIdent(col.name), renderOracleType(col.type)];
  if (col.identity) {
    const start = col.identityNext !== undefined && /^\d+$/.test(col.identityNext) ? ` (START WITH ${col.identityNext})` : '';
    parts.push(`GENERATED ${col.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${start}`);
  } else {
    const def = col.default ? renderDefault(col.default) : undefined;
    if (def !== undefined) parts.push(`DEFAULT ${def}`);
  }
  if (!col.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

function keyColumns(columns: readonly string[]): string {
  return columns.map(quoteOracleIdent).join(', ');
}

/** Oracle has ON DELETE CASCADE and SET NULL only, and no ON UPDATE at all (check reports DMS3553). */
function onDelete(action: ReferentialAction): string {
  switch (action) {
    case 'cascade':
      return ' ON DELETE CASCADE';
    case 'set_null':
      return ' ON DELETE SET NULL';
    case 'no_action':
    case 'restrict':
    case 'set_default':
      return '';
    default: {
      const never: never = action;
      return never;
    }
  }
}

/**
 * Runs `statement` unless it fails with one of `codes` (ORA-00955 name already used, ORA-02260 a
 * table has one primary key, …): Oracle before 23ai has no IF [NOT] EXISTS.
 */
export function ignoringErrors(statement: string, codes: readonly number[]): string {
  const handlers = codes.map((c) => `SQLCODE = -${c}`).join(' OR ');
  return `BEGIN\n  EXECUTE IMMEDIATE ${quoteOracleString(statement)};\nEXCEPTION\n  WHEN OTHERS THEN\n    IF NOT (${handlers}) THEN RAISE; END IF;\nEND;`;
}

const NAME_USED = 955;
const NO_SUCH_TABLE = 942;
const ONE_PRIMARY_KEY = 2260;
const USER_EXISTS = 1920;

export const oracleDialect: Dialect = {
  quoteIdent: quoteOracleIdent,
  qualify,
  renderType: (type) => renderOracleType(type),
  renderLiteral: renderOracleLiteral,
  placeholder: (index) => `:${index}`,
  compileFilter: compileOracleFilter,

  createSchema(schema) {
    // A schema is a user; creating one needs CREATE USER, and it gets no password (a schema-only account, 18c+).
    return [ignoringErrors(`CREATE USER ${quoteOracleIdent(schema)} NO AUTHENTICATION`, [USER_EXISTS])];
  },

  createTypes() {
    return [];
  },

  createTable(table: TargetTableDef, options) {
    const lines = table.columns.map(columnDefinition);
    if (options.withPrimaryKey && table.primaryKey) lines.push(`CONSTRAINT ${quoteOracleIdent(table.primaryKey.name)} PRIMARY KEY (${keyColumns(table.primaryKey.columns)})`);
    return [`CREATE TABLE ${qualify(table)} (\n  ${lines.join(',\n  ')}\n)`];
  },

  dropTable(table) {
    return [ignoringErrors(`DROP TABLE ${qualify(table)} CASCADE CONSTRAINTS PURGE`, [NO_SUCH_TABLE])];
  },

  truncateTable(table) {
    return [`TRUNCATE TABLE ${qualify(table)}`];
  },

  // A followed TRUNCATE of several tables (unused while Oracle is no target): one DELETE each.
  truncateTables: (tables) => tables.map((t) => `DELETE FROM ${qualify(t)}`),

  addPrimaryKey(table, key: KeyCatalog) {
    return [ignoringErrors(`ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteOracleIdent(key.name)} PRIMARY KEY (${keyColumns(key.columns)})`, [ONE_PRIMARY_KEY])];
  },

  createIndex(table, index: IndexCatalog) {
    const parts = index.parts.map((p) => `${p.column !== undefined ? quoteOracleIdent(p.column) : `(${p.expression ?? ''})`}${p.descending ? ' DESC' : ''}`);
    const schema = table.schema ? `${quoteOracleIdent(table.schema)}.` : '';
    return [ignoringErrors(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${schema}${quoteOracleIdent(index.name)} ON ${qualify(table)} (${parts.join(', ')})`, [NAME_USED])];
  },

  addUniqueKey(table, key: KeyCatalog) {
    return [ignoringErrors(`ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteOracleIdent(key.name)} UNIQUE (${keyColumns(key.columns)})`, [NAME_USED, 2261])];
  },

  addForeignKey(table, fk: ForeignKeyCatalog, referencedSchema) {
    const referenced = qualify({ schema: referencedSchema ?? table.schema, name: fk.referencedTable });
    return [
      ignoringErrors(
        `ALTER TABLE ${qualify(table)} ADD CONSTRAINT ${quoteOracleIdent(fk.name)} FOREIGN KEY (${keyColumns(fk.columns)}) REFERENCES ${referenced} (${keyColumns(fk.referencedColumns)})${onDelete(fk.onDelete)}`,
        [NAME_USED, 2275],
      ),
    ];
  },

  resetIdentity(table, column, next) {
    // START WITH LIMIT VALUE moves the identity past the largest value in the column (12c+).
    const statements = [`ALTER TABLE ${qualify(table)} MODIFY (${quoteOracleIdent(column)} GENERATED BY DEFAULT AS IDENTITY (START WITH LIMIT VALUE))`];
    if (next !== undefined && /^\d+$/.test(next)) {
      statements.push(
        `DECLARE\n  largest NUMBER;\nBEGIN\n  SELECT NVL(MAX(${quoteOracleIdent(column)}), 0) INTO largest FROM ${qualify(table)};\n  IF largest < ${next} - 1 THEN\n    EXECUTE IMMEDIATE 'ALTER TABLE ${qualify(table).replace(/'/g, "''")} MODIFY (${quoteOracleIdent(column).replace(/'/g, "''")} GENERATED BY DEFAULT AS IDENTITY (START WITH ${next}))';\n  END IF;\nEND;`,
      );
    }
    return statements;
  },

  controlTable(name: ControlTableName) {
    return { schema: ORACLE_CONTROL_SCHEMA, name: name.toUpperCase() };
  },

  createControlSchema() {
    return this.createSchema(ORACLE_CONTROL_SCHEMA);
  },
};
