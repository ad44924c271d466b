/**
 * The PostgreSQL dialect (PGlite uses it as it is): quoting, literals, filters and target DDL.
 *
 * Identifiers are always double-quoted, so case, reserved words, spaces and unicode are kept as
 * they are. String literals assume standard_conforming_strings = on (the default since 9.1, and
 * set on every session this engine opens): only the quote is doubled.
 */
import type { ControlTableName, Dialect, QualifiedName, TargetColumnDef, TargetTableDef } from '../contract.js';
import type { ExprIR, LiteralValue } from '../../ir/ir.js';
import type { DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, ReferentialAction } from '../../schema/catalog.js';
import { renderPostgresType } from './postgres-types.js';

export const POSTGRES_CONTROL_SCHEMA = '_dmsplan';

/** PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 = 63 bytes (silently, with a NOTICE). */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

export function identifierTooLong(name: string): boolean {
  return Buffer.byteLength(name, 'utf8') > POSTGRES_MAX_IDENTIFIER_BYTES;
}

export function quotePostgresIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quotePostgresString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function qualifyPostgres(name: QualifiedName): string {
  return name.schema === undefined || name.schema === '' ? quotePostgresIdent(name.name) : `${quotePostgresIdent(name.schema)}.${quotePostgresIdent(name.name)}`;
}

/** Whether a native type is a user enum (created by createTypes, referred to by name). */
function isEnum(t: NativeType): t is NativeType & { readonly userTypeName: string; readonly values: readonly string[] } {
  return t.values !== undefined && t.userTypeName !== undefined;
}

/** A type as DDL writes it; an enum is qualified with `schema` when given (where createTypes made it). */
export function renderPostgresColumnType(type: NativeType, schema: string | undefined): string {
  if (type.element) return `${renderPostgresColumnType(type.element, schema)}[]`;
  if (isEnum(type)) return qualifyPostgres({ schema, name: type.userTypeName });
  // Parsed types print from their parts; anything else (a user type) is written as introspected.
  return /^[a-z0-9 (),]+$/.test(type.text) ? renderPostgresType(type) : type.text;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

export function renderPostgresLiteral(value: LiteralValue): string {
  switch (value.kind) {
    case 'null':
      return 'NULL';
    case 'bool':
      return value.value ? 'TRUE' : 'FALSE';
    case 'number':
      return NUMBER.test(value.text) ? value.text : quotePostgresString(value.text);
    case 'string':
      return quotePostgresString(value.value);
    case 'date':
      return DATE.test(value.value) ? `date ${quotePostgresString(value.value)}` : quotePostgresString(value.value);
    case 'timestamp':
      return TIMESTAMP.test(value.value) ? `timestamp ${quotePostgresString(value.value.replace('T', ' '))}` : quotePostgresString(value.value);
    default: {
      const never: never = value;
      return never;
    }
  }
}

export function compilePostgresFilter(expr: ExprIR): string {
  const c = compilePostgresFilter;
  switch (expr.kind) {
    case 'literal':
      return renderPostgresLiteral(expr.value);
    case 'column':
      return quotePostgresIdent(expr.name);
    case 'not':
      return `(NOT ${c(expr.operand)})`;
    case 'logical':
      return `(${c(expr.left)} ${expr.op === 'and' ? 'AND' : 'OR'} ${c(expr.right)})`;
    case 'compare':
      return `(${c(expr.left)} ${expr.op === '!=' ? '<>' : expr.op} ${c(expr.right)})`;
    case 'is_null':
      return `(${c(expr.operand)} IS ${expr.negated ? 'NOT ' : ''}NULL)`;
    case 'in':
      return `(${c(expr.operand)} ${expr.negated ? 'NOT ' : ''}IN (${expr.list.map(c).join(', ')}))`;
    case 'between':
      return `(${c(expr.operand)} ${expr.negated ? 'NOT ' : ''}BETWEEN ${c(expr.low)} AND ${c(expr.high)})`;
    case 'like':
      return `(${c(expr.operand)} ${expr.negated ? 'NOT ' : ''}LIKE ${c(expr.pattern)})`;
    default: {
      const never: never = expr;
      return never;
    }
  }
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);

function currentTimestampFor(type: NativeType, precision: number | undefined): string {
  if (type.name === 'date') return 'CURRENT_DATE';
  if (type.name.startsWith('time ')) return 'CURRENT_TIME';
  const p = precision ?? type.params[0];
  return p !== undefined && p < 6 ? `CURRENT_TIMESTAMP(${p})` : 'CURRENT_TIMESTAMP';
}

function renderDefault(value: DefaultValue, type: NativeType): string | undefined {
  switch (value.kind) {
    case 'literal':
      // An untyped literal takes the column's type ('1' for boolean, '2020-01-01' for date…).
      return quotePostgresString(value.text);
    case 'current_timestamp':
      return currentTimestampFor(type, value.precision);
    case 'current_date':
      return 'CURRENT_DATE';
    case 'sequence':
      return undefined; // an identity stands for it (see identityClause)
    case 'expression':
      return `(${value.sql})`;
    default: {
      const never: never = value;
      return never;
    }
  }
}

/** Identity only exists on integer columns; a serial default becomes BY DEFAULT identity too. */
function identityClause(col: TargetColumnDef): string | undefined {
  if (!INTEGER_TYPES.has(col.type.name)) return undefined;
  if (col.identity === 'always') return 'GENERATED ALWAYS AS IDENTITY';
  if (col.identity === 'by_default' || col.identity === 'auto_increment') return 'GENERATED BY DEFAULT AS IDENTITY';
  if (col.default?.kind === 'sequence') return 'GENERATED BY DEFAULT AS IDENTITY';
  return undefined;
}

function columnDefinition(col: TargetColumnDef, schema: string | undefined): string {
  const parts = [quotePostgresIdent(col.name), renderPostgresColumnType(col.type, schema)];
  if (col.generated) {
    // PostgreSQL before 18 has stored generated columns only.
    parts.push(`GENERATED ALWAYS AS (${col.generated.expression}) STORED`);
  } else {
    const identity = identityClause(col);
    if (identity) parts.push(identity);
    else if (col.default) {
      const def = renderDefault(col.default, col.type);
      if (def !== undefined) parts.push(`DEFAULT ${def}`);
    }
  }
  if (!col.nullable) parts.push('NOT NULL');
  return parts.join(' ');
}

function columnList(columns: readonly string[]): string {
  return columns.map(quotePostgresIdent).join(', ');
}

/** MySQL calls every primary key PRIMARY; PostgreSQL constraint (index) names are per schema. */
function primaryKeyName(table: QualifiedName, key: KeyCatalog): string {
  return key.name === '' || key.name.toUpperCase() === 'PRIMARY' ? `${table.name}_pkey` : key.name;
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
      return 'SET DEFAULT';
    default: {
      const never: never = action;
      return never;
    }
  }
}

const POSTGRES_INDEX_METHODS = new Set(['btree', 'hash', 'gin', 'gist', 'brin', 'spgist']);

function indexPart(part: IndexCatalog['parts'][number]): string {
  let body: string;
  if (part.column !== undefined) {
    // A MySQL prefix index becomes an index on the prefix.
    body = part.prefixLength !== undefined ? `(left(${quotePostgresIdent(part.column)}, ${part.prefixLength}))` : quotePostgresIdent(part.column);
  } else body = `(${part.expression ?? ''})`;
  return part.descending ? `${body} DESC` : body;
}

/** A dollar-quote tag that does not occur in `body`. */
function dollarQuote(body: string): string {
  let tag = '$dmsplan$';
  for (let i = 0; body.includes(tag); i++) tag = `$dmsplan${i}$`;
  return `${tag}${body}${tag}`;
}

function enumTypesOf(table: TargetTableDef): readonly (NativeType & { readonly userTypeName: string; readonly values: readonly string[] })[] {
  const seen = new Set<string>();
  const out: (NativeType & { readonly userTypeName: string; readonly values: readonly string[] })[] = [];
  for (const col of table.columns) {
    let t: NativeType = col.type;
    while (t.element) t = t.element;
    if (isEnum(t) && !seen.has(t.userTypeName)) {
      seen.add(t.userTypeName);
      out.push(t);
    }
  }
  return out;
}

export const postgresDialect: Dialect = {
  quoteIdent: quotePostgresIdent,
  qualify: qualifyPostgres,
  renderType: (type) => renderPostgresColumnType(type, undefined),
  renderLiteral: renderPostgresLiteral,
  placeholder: (index) => `$${index}`,
  compileFilter: compilePostgresFilter,

  createSchema(schema) {
    return [`CREATE SCHEMA IF NOT EXISTS ${quotePostgresIdent(schema)}`];
  },

  /** Enum types, created in the table's schema; an existing type of that name is kept. */
  createTypes(table) {
    return enumTypesOf(table).map((t) => {
      const create = `CREATE TYPE ${qualifyPostgres({ schema: table.schema, name: t.userTypeName })} AS ENUM (${t.values.map(quotePostgresString).join(', ')});`;
      return `DO ${dollarQuote(` BEGIN ${create} EXCEPTION WHEN duplicate_object THEN NULL; END `)}`;
    });
  },

  createTable(table, options) {
    const lines = table.columns.map((c) => columnDefinition(c, table.schema));
    if (options.withPrimaryKey && table.primaryKey) {
      lines.push(`CONSTRAINT ${quotePostgresIdent(primaryKeyName(table, table.primaryKey))} PRIMARY KEY (${columnList(table.primaryKey.columns)})`);
    }
    for (const check of table.checks) lines.push(`CONSTRAINT ${quotePostgresIdent(check.name)} CHECK (${check.expression})`);
    const name = qualifyPostgres(table);
    const out = [`CREATE TABLE ${name} (\n  ${lines.join(',\n  ')}\n)`];
    if (table.comment !== undefined) out.push(`COMMENT ON TABLE ${name} IS ${quotePostgresString(table.comment)}`);
    for (const c of table.columns) if (c.comment !== undefined) out.push(`COMMENT ON COLUMN ${name}.${quotePostgresIdent(c.name)} IS ${quotePostgresString(c.comment)}`);
    return out;
  },

  dropTable(table) {
    return [`DROP TABLE IF EXISTS ${qualifyPostgres(table)} CASCADE`];
  },

  truncateTable(table) {
    return [`TRUNCATE TABLE ${qualifyPostgres(table)}`];
  },

  /**
   * The unique index first, then the constraint on it (one index build, and the index can be built
   * on its own connection); nothing when the table already has a primary key.
   */
  addPrimaryKey(table, key) {
    const name = primaryKeyName(table, key);
    const qualified = qualifyPostgres(table);
    const index = `CREATE UNIQUE INDEX ${quotePostgresIdent(name)} ON ${qualified} (${columnList(key.columns)})`;
    const constraint = `ALTER TABLE ${qualified} ADD CONSTRAINT ${quotePostgresIdent(name)} PRIMARY KEY USING INDEX ${quotePostgresIdent(name)}`;
    const body = ` BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ${quotePostgresString(qualified)}::regclass AND contype = 'p') THEN EXECUTE ${quotePostgresString(index)}; EXECUTE ${quotePostgresString(constraint)}; END IF; END `;
    return [`DO ${dollarQuote(body)}`];
  },

  createIndex(table, index) {
    const qualified = qualifyPostgres(table);
    const where = index.where ? ` WHERE ${index.where}` : '';
    if (index.method === 'fulltext') {
      // MySQL FULLTEXT → a GIN index over the words of the columns.
      const text = index.parts.map((p) => (p.column !== undefined ? `coalesce(${quotePostgresIdent(p.column)}::text, '')` : `(${p.expression ?? "''"})`)).join(` || ' ' || `);
      return [`CREATE INDEX IF NOT EXISTS ${quotePostgresIdent(index.name)} ON ${qualified} USING gin (to_tsvector('simple', ${text}))${where}`];
    }
    const method = POSTGRES_INDEX_METHODS.has(index.method) ? index.method : 'btree';
    const using = method === 'btree' ? '' : ` USING ${method}`;
    return [`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quotePostgresIdent(index.name)} ON ${qualified}${using} (${index.parts.map(indexPart).join(', ')})${where}`];
  },

  addUniqueKey(table, key) {
    return [`ALTER TABLE ${qualifyPostgres(table)} ADD CONSTRAINT ${quotePostgresIdent(key.name)} UNIQUE (${columnList(key.columns)})`];
  },

  addForeignKey(table, fk: ForeignKeyCatalog, referencedSchema) {
    const referenced = qualifyPostgres({ schema: referencedSchema ?? table.schema, name: fk.referencedTable });
    return [
      `ALTER TABLE ${qualifyPostgres(table)} ADD CONSTRAINT ${quotePostgresIdent(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${referenced} (${columnList(fk.referencedColumns)}) ON DELETE ${referentialAction(fk.onDelete)} ON UPDATE ${referentialAction(fk.onUpdate)}`,
    ];
  },

  /** Works for identity and serial columns alike; a column with neither is left alone (NULL sequence). */
  resetIdentity(table, column) {
    const qualified = qualifyPostgres(table);
    const col = quotePostgresIdent(column);
    return [
      `SELECT setval(pg_get_serial_sequence(${quotePostgresString(qualified)}, ${quotePostgresString(column)}), COALESCE(MAX(${col}), 1), MAX(${col}) IS NOT NULL) FROM ${qualified}`,
    ];
  },

  controlTable(name: ControlTableName) {
    return { schema: POSTGRES_CONTROL_SCHEMA, name };
  },

  createControlSchema() {
    return [`CREATE SCHEMA IF NOT EXISTS ${quotePostgresIdent(POSTGRES_CONTROL_SCHEMA)}`];
  },
};
