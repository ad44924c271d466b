/**
 * The PostgreSQL dialect (PGlite uses it as it is): quoting, literals, filters and target DDL.
 *
 * Identifiers are always double-quoted, so case, reserved words, spaces and unicode are kept as
 * they are. String literals assume standard_conforming_strings = on (the default since 9.1, and
 * set on every session this engine opens): only the quote is doubled.
 */
import { deferrableSql, referentialActionSql } from '../sql-actions.js';
import { compileSqlFilter, renderSqlLiteral } from '../sql-filter.js';
import type { ControlTableName, Dialect, QualifiedName, TargetColumnDef, TargetTableDef } from '../contract.js';
import type { ExprIR, LiteralValue } from '../../ir/ir.js';
import type { DefaultValue, DomainCatalog, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, RoutineCatalog, SequenceCatalog, TriggerCatalog, ViewDefinition } from '../../schema/catalog.js';
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

/**
 * A function's definition (pg_get_functiondef: `CREATE OR REPLACE FUNCTION schema.name(…)`) naming
 * `schema` instead of the source's. Its body is kept as written: a name it qualifies with the
 * source's schema still names that one.
 */
export function retargetRoutine(routine: RoutineCatalog, schema: string): string {
  const definition = routine.definition ?? '';
  if (schema === routine.schema) return definition;
  const at = definition.indexOf(`${routine.qualifiedName}(`);
  if (at < 0) throw new Error(`bug: the definition of ${routine.qualifiedName} does not name it`);
  return `${definition.slice(0, at)}${qualifyPostgres({ schema, name: routine.name })}${definition.slice(at + routine.qualifiedName.length)}`;
}

/**
 * A trigger's definition (pg_get_triggerdef) on `table`, calling its function in `functionSchema`:
 * both written schema-qualified, whatever the source's search_path left unqualified.
 */
export function retargetTrigger(trigger: TriggerCatalog, table: QualifiedName, functionSchema: string): string {
  let definition = trigger.definition;
  const on = ` ON ${trigger.tableText} `;
  const onAt = definition.indexOf(on);
  if (onAt < 0) throw new Error(`bug: the definition of trigger ${trigger.name} does not name its table`);
  definition = `${definition.slice(0, onAt)} ON ${qualifyPostgres(table)} ${definition.slice(onAt + on.length)}`;
  const fn = qualifyPostgres({ schema: functionSchema, name: trigger.function.name });
  for (const printed of [trigger.function.qualifiedText, trigger.function.nameText]) {
    const call = ` EXECUTE FUNCTION ${printed}(`;
    const at = definition.lastIndexOf(call);
    if (at >= 0) return `${definition.slice(0, at)} EXECUTE FUNCTION ${fn}(${definition.slice(at + call.length)}`;
  }
  throw new Error(`bug: the definition of trigger ${trigger.name} does not name its function`);
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

export function renderPostgresLiteral(value: LiteralValue): string {
  return renderSqlLiteral(value, { quoteString: quotePostgresString, bool: (b) => (b ? 'TRUE' : 'FALSE'), dateKeyword: 'date', timestampKeyword: 'timestamp' });
}

export function compilePostgresFilter(expr: ExprIR): string {
  return compileSqlFilter(expr, { literal: renderPostgresLiteral, ident: quotePostgresIdent });
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);

function currentTimestampFor(type: NativeType, precision: number | undefined): string {
  if (type.name === 'date') return 'CURRENT_DATE';
  if (type.name.startsWith('time ')) return 'CURRENT_TIME';
  const p = precision ?? type.params[0];
  return p !== undefined && p < 6 ? `CURRENT_TIMESTAMP(${p})` : 'CURRENT_TIMESTAMP';
}

function renderDefault(value: DefaultValue, type: NativeType, schema: string | undefined): string | undefined {
  switch (value.kind) {
    case 'literal':
      // An untyped literal takes the column's type ('1' for boolean, '2020-01-01' for date…).
      return quotePostgresString(value.text);
    case 'current_timestamp':
      return currentTimestampFor(type, value.precision);
    case 'current_date':
      return 'CURRENT_DATE';
    case 'sequence':
      // A sequence of its own, created in the table's schema (createTypes); a serial's is an identity.
      return value.shared ? `nextval(${quotePostgresString(qualifyPostgres({ schema, name: value.shared.name }))}::regclass)` : undefined;
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
  if (col.default?.kind === 'sequence' && !col.default.shared) return 'GENERATED BY DEFAULT AS IDENTITY';
  return undefined;
}

function columnDefinition(col: TargetColumnDef, schema: string | undefined): string {
  const type = col.domain ? qualifyPostgres({ schema, name: col.domain.name }) : renderPostgresColumnType(col.type, schema);
  const parts = [quotePostgresIdent(col.name), type];
  if (col.collation) parts.push(`COLLATE ${quotePostgresIdent(col.collation)}`);
  if (col.generated) {
    // PostgreSQL before 18 has stored generated columns only.
    parts.push(`GENERATED ALWAYS AS (${col.generated.expression}) STORED`);
  } else {
    const identity = identityClause(col);
    if (identity) parts.push(identity);
    else if (col.default) {
      const def = renderDefault(col.default, col.type, schema);
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


const POSTGRES_INDEX_METHODS = new Set(['btree', 'hash', 'gin', 'gist', 'brin', 'spgist']);

function indexPart(part: IndexCatalog['parts'][number]): string {
  let body: string;
  if (part.column !== undefined) {
    // A MySQL prefix index becomes an index on the prefix: substr counts characters of text and
    // bytes of bytea, as MySQL's prefixes do (left() takes no bytea).
    body = part.prefixLength !== undefined ? `(substr(${quotePostgresIdent(part.column)}, 1, ${part.prefixLength}))` : quotePostgresIdent(part.column);
    if (part.opclass !== undefined) body += ` ${quotePostgresIdent(part.opclass)}`;
  } else body = `(${part.expression ?? ''})`;
  return part.descending ? `${body} DESC` : body;
}

/** A dollar-quote tag that does not occur in `body`. */
function dollarQuote(body: string): string {
  let tag = '$dmsplan$';
  for (let i = 0; body.includes(tag); i++) tag = `$dmsplan${i}$`;
  return `${tag}${body}${tag}`;
}

/** The domains the table's columns are declared with, once each, with their base types. */
function domainsOf(table: TargetTableDef): readonly { readonly domain: DomainCatalog; readonly base: NativeType }[] {
  const seen = new Set<string>();
  const out: { domain: DomainCatalog; base: NativeType }[] = [];
  for (const col of table.columns) {
    if (!col.domain || seen.has(col.domain.name)) continue;
    seen.add(col.domain.name);
    out.push({ domain: col.domain, base: col.type });
  }
  return out;
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

/**
 * PL/pgSQL that gives one of `sideBySide` index builds of a table its share of the server's
 * max_parallel_maintenance_workers (for this transaction only), rounded down: the builds already
 * run side by side, one per connection, so together they use at most the workers the server allows
 * one maintenance command. Each launching the full count oversubscribes the server's cores (on 2
 * cores, three builds of a 1M-row table: 2.1–2.4 s with the default 2 workers each, 1.6 s with
 * none). Rounding up instead (three builds on 2 workers: one each) won on one machine (four
 * alternating pairs, `numeric(20,0)` keys: 1.47 s against 1.64 s; on `bigint`, no change) and lost
 * on another, a 2-core VM where a worker's start costs more (session 14, alternating pairs of the
 * whole bench job: faster rounded down in 9 of 10 PostgreSQL → PostgreSQL pairs and 4 of 4 MySQL →
 * PostgreSQL pairs, by ~0.4 s; three builds by hand: 1.6–2.0 s against 2.1–2.55 s).
 * Empty for a build that runs alone.
 */
function shareMaintenanceWorkers(sideBySide: number): string {
  if (sideBySide <= 1) return '';
  const k = Math.floor(sideBySide);
  return `PERFORM set_config('max_parallel_maintenance_workers', (current_setting('max_parallel_maintenance_workers')::int / ${k})::text, true); `;
}

/**
 * A key as two statements, each its own transaction: `CREATE UNIQUE INDEX` (a SHARE lock, which
 * other index builds of the table share), then `ADD CONSTRAINT … USING INDEX` (an ACCESS EXCLUSIVE
 * lock for a catalog change, taken once this build has committed). `ADD CONSTRAINT … UNIQUE` would
 * hold the exclusive lock for the whole build and make the others wait; and both statements in one
 * transaction deadlock against a second key doing the same (each holds SHARE and waits for
 * EXCLUSIVE). Both are skipped when `guard` finds the constraint, and the index is created only if
 * missing, so a step cut between the two is simply run again.
 */
function keyOnOwnIndex(qualified: string, name: string, key: KeyCatalog, kind: 'PRIMARY KEY' | 'UNIQUE', guard: string, sideBySide: number, partitioned: boolean): readonly string[] {
  if (partitioned) {
    // `USING INDEX` is refused on a partitioned table: the key is added whole, its index on every
    // partition built under the constraint's lock.
    const whole = `ALTER TABLE ${qualified} ADD CONSTRAINT ${quotePostgresIdent(name)} ${kind} (${columnList(key.columns)})${indexOptions(key)}${deferrableSql(key.deferrable)}`;
    return [`DO ${dollarQuote(` BEGIN IF NOT EXISTS (${guard}) THEN ${shareMaintenanceWorkers(sideBySide)}EXECUTE ${quotePostgresString(whole)}; END IF; END `)}`];
  }
  const index = `CREATE UNIQUE INDEX IF NOT EXISTS ${quotePostgresIdent(name)} ON ${qualified} (${columnList(key.columns)})${indexOptions(key)}`;
  const constraint = `ALTER TABLE ${qualified} ADD CONSTRAINT ${quotePostgresIdent(name)} ${kind} USING INDEX ${quotePostgresIdent(name)}${deferrableSql(key.deferrable)}`;
  return [
    `DO ${dollarQuote(` BEGIN IF NOT EXISTS (${guard}) THEN ${shareMaintenanceWorkers(sideBySide)}EXECUTE ${quotePostgresString(index)}; END IF; END `)}`,
    `DO ${dollarQuote(` BEGIN IF NOT EXISTS (${guard}) THEN EXECUTE ${quotePostgresString(constraint)}; END IF; END `)}`,
  ];
}

/** What follows an index's columns: its INCLUDE columns and NULLS NOT DISTINCT (PostgreSQL 15+). */
function indexOptions(index: { readonly include?: readonly string[]; readonly nullsNotDistinct?: boolean }): string {
  return `${index.include?.length ? ` INCLUDE (${columnList(index.include)})` : ''}${index.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}`;
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

  /**
   * Enum types and domains, created in the table's schema; an existing type of that name is kept.
   * A kept enum gets the labels it lacks (at its end): made by an earlier run, before a source —
   * or another source of a merge — had them, it would refuse every row holding one.
   */
  createTypes(table) {
    const enums = enumTypesOf(table).flatMap((t) => {
      const name = qualifyPostgres({ schema: table.schema, name: t.userTypeName });
      // Each label in a DO block of its own (below): two runs adding one label at once meet in pg_enum's unique index.
      return [`CREATE TYPE ${name} AS ENUM (${t.values.map(quotePostgresString).join(', ')});`, ...t.values.map((v) => `ALTER TYPE ${name} ADD VALUE IF NOT EXISTS ${quotePostgresString(v)};`)];
    });
    const domains = domainsOf(table).map(({ domain, base }) => {
      const clauses = [
        ...(domain.default !== undefined ? [`DEFAULT ${domain.default}`] : []),
        ...(domain.notNull ? ['NOT NULL'] : []),
        ...domain.checks.map((c) => `CONSTRAINT ${quotePostgresIdent(c.name)} CHECK (${c.expression})`),
      ];
      return `CREATE DOMAIN ${qualifyPostgres({ schema: table.schema, name: domain.name })} AS ${renderPostgresColumnType(base, table.schema)}${clauses.map((c) => ` ${c}`).join('')};`;
    });
    const sequences = (table.sequences ?? []).map((q) => {
      const d = q.definition;
      const how = d ? ` AS ${d.dataType} INCREMENT BY ${d.increment} MINVALUE ${d.min} MAXVALUE ${d.max} START WITH ${d.start} CACHE ${d.cache}${d.cycle ? ' CYCLE' : ' NO CYCLE'}` : '';
      return `CREATE SEQUENCE ${qualifyPostgres({ schema: table.schema, name: q.name })}${how};`;
    });
    // Tables that share a type create it side by side: the one that commits second meets the
    // first one's row in pg_type's unique index (unique_violation), not duplicate_object (or
    // duplicate_table, for a sequence).
    return [...enums, ...domains, ...sequences].map((create) => `DO ${dollarQuote(` BEGIN ${create} EXCEPTION WHEN duplicate_object OR duplicate_table OR unique_violation THEN NULL; END `)}`);
  },

  createTable(table, options) {
    const lines = table.columns.map((c) => columnDefinition(c, table.schema));
    if (options.withPrimaryKey && table.primaryKey) {
      lines.push(`CONSTRAINT ${quotePostgresIdent(primaryKeyName(table, table.primaryKey))} PRIMARY KEY (${columnList(table.primaryKey.columns)})${deferrableSql(table.primaryKey.deferrable)}`);
    }
    for (const check of table.checks) lines.push(`CONSTRAINT ${quotePostgresIdent(check.name)} CHECK (${check.expression})`);
    const name = qualifyPostgres(table);
    const out = [`CREATE ${table.unlogged ? 'UNLOGGED ' : ''}TABLE ${name} (\n  ${lines.join(',\n  ')}\n)${table.partitionBy ? `\n${table.partitionBy}` : ''}`];
    // Parents first: a partition that is partitioned itself is made before the partitions under it.
    for (const p of table.partitionBy ? (table.partitions ?? []) : []) {
      const partition = qualifyPostgres({ schema: table.schema, name: p.name });
      out.push(`CREATE TABLE ${partition} PARTITION OF ${qualifyPostgres({ schema: table.schema, name: p.parent })} ${p.bound}${p.partitionBy ? ` ${p.partitionBy}` : ''}`);
    }
    if (table.comment !== undefined) out.push(`COMMENT ON TABLE ${name} IS ${quotePostgresString(table.comment)}`);
    for (const c of table.columns) if (c.comment !== undefined) out.push(`COMMENT ON COLUMN ${name}.${quotePostgresIdent(c.name)} IS ${quotePostgresString(c.comment)}`);
    return out;
  },

  dropTable(table) {
    return [`DROP TABLE IF EXISTS ${qualifyPostgres(table)} CASCADE`];
  },

  createView(view: QualifiedName, definition: ViewDefinition, replace: boolean) {
    const name = qualifyPostgres(view);
    // Over a view of either kind standing there (the source's may have changed kind): each kind
    // has its own DROP, and the other one's fails.
    const regclass = `to_regclass(${quotePostgresString(name)})`;
    const dropEither = `DO ${dollarQuote(` BEGIN IF ${regclass} IS NOT NULL THEN EXECUTE (SELECT CASE relkind WHEN 'm' THEN 'DROP MATERIALIZED VIEW ' WHEN 'v' THEN 'DROP VIEW ' END FROM pg_catalog.pg_class WHERE oid = ${regclass}) || ${quotePostgresString(name)} || ' CASCADE'; END IF; END `)}; `;
    if (definition.materialized) {
      // Made empty (WITH NO DATA) beside the tables, with its indexes; refreshMaterializedView
      // fills it once what it reads is loaded. CREATE has no OR REPLACE form here: whatever stands
      // there goes first, so a resume makes it again, empty, and refreshes it again.
      const indexes = (definition.indexes ?? []).map((i) => `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quotePostgresIdent(i.name)} ON ${name}${i.using}`);
      return [`${dropEither}SET LOCAL search_path TO ${definition.searchPath}; CREATE MATERIALIZED VIEW ${name} AS ${definition.query} WITH NO DATA`, ...indexes];
    }
    const options = definition.securityBarrier ? ' WITH (security_barrier = true)' : '';
    const check = definition.checkOption ? ` WITH ${definition.checkOption.toUpperCase()} CHECK OPTION` : '';
    // One statement string, one implicit transaction: the query's names resolve under the search
    // path it was printed with (SET LOCAL ends with it), and a failure leaves nothing half done.
    // Run again on a resume, it makes the same view: OR REPLACE over the one it made before.
    const create = replace ? `${dropEither}SET LOCAL search_path TO ${definition.searchPath}; CREATE VIEW` : `SET LOCAL search_path TO ${definition.searchPath}; CREATE OR REPLACE VIEW`;
    return [`${create} ${name}${options} AS ${definition.query}${check}`];
  },

  refreshMaterializedView(view: QualifiedName) {
    return [`REFRESH MATERIALIZED VIEW ${qualifyPostgres(view)}`];
  },

  truncateTable(table) {
    return [`TRUNCATE TABLE ${qualifyPostgres(table)}`];
  },

  truncateTables(tables) {
    return tables.length ? [`TRUNCATE TABLE ${tables.map(qualifyPostgres).join(', ')}`] : [];
  },

  enableRowSecurity(table, rowSecurity) {
    const qualified = qualifyPostgres(table);
    const policies = rowSecurity.policies.map((p) => {
      const to = p.roles.length ? p.roles.map(quotePostgresIdent).join(', ') : 'PUBLIC';
      const create = `CREATE POLICY ${quotePostgresIdent(p.name)} ON ${qualified} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command.toUpperCase()} TO ${to}${p.using !== undefined ? ` USING (${p.using})` : ''}${p.check !== undefined ? ` WITH CHECK (${p.check})` : ''}`;
      const guard = `SELECT 1 FROM pg_catalog.pg_policy WHERE polrelid = ${quotePostgresString(qualified)}::regclass AND polname = ${quotePostgresString(p.name)}`;
      return `DO ${dollarQuote(` BEGIN IF NOT EXISTS (${guard}) THEN EXECUTE ${quotePostgresString(create)}; END IF; END `)}`;
    });
    return [
      ...policies,
      ...(rowSecurity.enabled ? [`ALTER TABLE ${qualified} ENABLE ROW LEVEL SECURITY`] : []),
      ...(rowSecurity.forced ? [`ALTER TABLE ${qualified} FORCE ROW LEVEL SECURITY`] : []),
    ];
  },

  /**
   * The unique index first, then the constraint on it: one index build, beside the table's other
   * builds; nothing when the table already has a primary key. See keyOnOwnIndex.
   */
  addPrimaryKey(table, key, sideBySide = 1) {
    const name = primaryKeyName(table, key);
    const qualified = qualifyPostgres(table);
    const guard = `SELECT 1 FROM pg_constraint WHERE conrelid = ${quotePostgresString(qualified)}::regclass AND contype = 'p'`;
    return keyOnOwnIndex(qualified, name, key, 'PRIMARY KEY', guard, sideBySide, table.partitioned === true);
  },

  createIndex(table, index, sideBySide = 1) {
    const qualified = qualifyPostgres(table);
    const where = index.where ? ` WHERE ${index.where}` : '';
    let sql: string;
    if (index.method === 'fulltext') {
      // MySQL FULLTEXT → a GIN index over the words of the columns.
      const text = index.parts.map((p) => (p.column !== undefined ? `coalesce(${quotePostgresIdent(p.column)}::text, '')` : `(${p.expression ?? "''"})`)).join(` || ' ' || `);
      sql = `CREATE INDEX IF NOT EXISTS ${quotePostgresIdent(index.name)} ON ${qualified} USING gin (to_tsvector('simple', ${text}))${where}`;
    } else {
      const method = POSTGRES_INDEX_METHODS.has(index.method) ? index.method : 'btree';
      const using = method === 'btree' ? '' : ` USING ${method}`;
      sql = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quotePostgresIdent(index.name)} ON ${qualified}${using} (${index.parts.map(indexPart).join(', ')})${indexOptions(index)}${where}`;
    }
    return sideBySide > 1 ? [`DO ${dollarQuote(` BEGIN ${shareMaintenanceWorkers(sideBySide)}EXECUTE ${quotePostgresString(sql)}; END `)}`] : [sql];
  },

  /** Like the primary key; nothing when a constraint of that name exists (a resumed run). */
  addUniqueKey(table, key, sideBySide = 1) {
    const qualified = qualifyPostgres(table);
    const guard = `SELECT 1 FROM pg_constraint WHERE conrelid = ${quotePostgresString(qualified)}::regclass AND conname = ${quotePostgresString(key.name)}`;
    return keyOnOwnIndex(qualified, key.name, key, 'UNIQUE', guard, sideBySide, table.partitioned === true);
  },

  dropForeignKey: (table, name) => [`ALTER TABLE ${qualifyPostgres(table)} DROP CONSTRAINT ${quotePostgresIdent(name)}`],

  addForeignKey(table, fk: ForeignKeyCatalog, referencedSchema) {
    const referenced = qualifyPostgres({ schema: referencedSchema ?? table.schema, name: fk.referencedTable });
    return [
      `ALTER TABLE ${qualifyPostgres(table)} ADD CONSTRAINT ${quotePostgresIdent(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${referenced} (${columnList(fk.referencedColumns)})${fk.matchFull ? ' MATCH FULL' : ''} ON DELETE ${referentialActionSql(fk.onDelete)}${fk.onDeleteColumns ? ` (${columnList(fk.onDeleteColumns)})` : ''} ON UPDATE ${referentialActionSql(fk.onUpdate)}${deferrableSql(fk.deferrable)}`,
    ];
  },

  /** Works for identity and serial columns alike; a column with neither is left alone (NULL sequence). */
  resetIdentity(table, column, next) {
    const qualified = qualifyPostgres(table);
    const col = quotePostgresIdent(column);
    const sequence = `pg_get_serial_sequence(${quotePostgresString(qualified)}, ${quotePostgresString(column)})`;
    // From a source counter past 1: the sequence has handed out next - 1 at least (setval's value is then taken).
    if (next !== undefined && /^\d+$/.test(next) && BigInt(next) > 1n) {
      return [`SELECT setval(${sequence}, GREATEST(COALESCE(MAX(${col}), 0), ${BigInt(next) - 1n}), true) FROM ${qualified}`];
    }
    return [`SELECT setval(${sequence}, COALESCE(MAX(${col}), 1), MAX(${col}) IS NOT NULL) FROM ${qualified}`];
  },

  /**
   * The greatest of the source's last value (when planned), the column's largest value and the
   * sequence's own last value, if any of them is known: a sequence that never handed out a number
   * anywhere stays at its start. A descending sequence is set to the source's value only.
   */
  setSequence(table, column, sequence) {
    const name = qualifyPostgres({ schema: table.schema, name: sequence.name });
    const last = sequence.lastValue === undefined ? 'NULL' : `${quotePostgresString(sequence.lastValue)}::bigint`;
    if (sequence.definition?.increment.startsWith('-')) return sequence.lastValue === undefined ? [] : [`SELECT setval(${quotePostgresString(name)}, ${last}, true)`];
    const col = quotePostgresIdent(column);
    const v = `GREATEST(${last}, (SELECT MAX(${col}) FROM ${qualifyPostgres(table)})::bigint, (SELECT CASE WHEN is_called THEN last_value END FROM ${name}))`;
    return [`SELECT setval(${quotePostgresString(name)}, v, true) FROM (SELECT ${v} AS v) AS next WHERE v IS NOT NULL`];
  },

  createRoutine(routine: RoutineCatalog, schema: string) {
    if (routine.definition === undefined) throw new Error(`bug: ${routine.qualifiedName} has no definition to make again`);
    // A SQL function's body is checked against the tables when it is made, and the tables come
    // after it (their defaults and checks call it): not checked here (SET LOCAL ends with the
    // statement string's implicit transaction), it is checked when it runs, as the source's was.
    return [`SET LOCAL check_function_bodies = off; ${retargetRoutine(routine, schema)}`];
  },

  createTrigger(trigger: TriggerCatalog, table: QualifiedName, functionSchema: string) {
    return [`DROP TRIGGER IF EXISTS ${quotePostgresIdent(trigger.name)} ON ${qualifyPostgres(table)}; ${retargetTrigger(trigger, table, functionSchema)}`];
  },

  createSequence(sequence: QualifiedName, source: SequenceCatalog) {
    const name = qualifyPostgres(sequence);
    const d = source.definition;
    const how = d ? ` AS ${d.dataType} INCREMENT BY ${d.increment} MINVALUE ${d.min} MAXVALUE ${d.max} START WITH ${d.start} CACHE ${d.cache}${d.cycle ? ' CYCLE' : ' NO CYCLE'}` : '';
    const out = [`CREATE SEQUENCE IF NOT EXISTS ${name}${how}`];
    if (source.lastValue === undefined) return out;
    const last = `${quotePostgresString(source.lastValue)}::bigint`;
    // Forward only: numbers the target's sequence handed out already are never handed out again.
    const next = d?.increment.startsWith('-')
      ? `LEAST(${last}, (SELECT CASE WHEN is_called THEN last_value END FROM ${name}))`
      : `GREATEST(${last}, (SELECT CASE WHEN is_called THEN last_value END FROM ${name}))`;
    return [...out, `SELECT setval(${quotePostgresString(name)}, ${next}, true)`];
  },

  controlTable(name: ControlTableName) {
    return { schema: POSTGRES_CONTROL_SCHEMA, name };
  },

  createControlSchema() {
    return [`CREATE SCHEMA IF NOT EXISTS ${quotePostgresIdent(POSTGRES_CONTROL_SCHEMA)}`];
  },
};
