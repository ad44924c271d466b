/**
 * Reads a SQLite file's schema into the neutral catalog: tables and views from sqlite_master,
 * columns from `pragma table_xinfo` (which also lists generated columns), keys and indexes from
 * `pragma index_list/index_xinfo`, foreign keys from `pragma foreign_key_list`, and what only the
 * CREATE text holds (constraint names, CHECKs, AUTOINCREMENT, generated expressions) from
 * sqlite-create-sql. SQLite has one schema per file for our purposes: 'main'.
 *
 * Identity: a rowid alias (a single INTEGER PRIMARY KEY column of a rowid table) is assigned
 * max(rowid)+1 when inserted without a value, which is what an identity BY DEFAULT does; with
 * AUTOINCREMENT, values are never reused (sqlite_sequence), which is MySQL's auto_increment; its
 * counter (the table's sqlite_sequence row, past the largest row where the top rows were deleted) is
 * read as the identity's `next`, so the target hands out none of those numbers again.
 *
 * Order is deterministic: tables by name, columns by position, indexes and keys by name.
 */
import type { Catalog, CheckCatalog, Deferrable, ColumnCatalog, DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, OtherObjectCatalog, ReferentialAction, TableCatalog } from '../../schema/catalog.js';
import { indexPartTexts, parseCreateTable, partialIndexPredicate, type CreateTableFacts } from './sqlite-create-sql.js';
import type { SqliteDatabase } from './sqlite-driver.js';
import { parseSqliteType, sqliteToLogical } from './sqlite-types.js';

export const SQLITE_SCHEMA = 'main';
/** Control tables (`_dmsplan_runs`, …) are ours, not the user's. */
export const SQLITE_CONTROL_PREFIX = '_dmsplan_';

interface MasterRow {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string | null;
}

interface XInfoRow {
  readonly cid: number;
  readonly name: string;
  readonly type: string;
  readonly notnull: number;
  readonly dflt_value: string | null;
  readonly pk: number;
  readonly hidden: number;
}

interface IndexListRow {
  readonly name: string;
  readonly unique: number;
  readonly origin: string;
  readonly partial: number;
}

interface IndexXInfoRow {
  readonly seqno: number;
  readonly cid: number;
  readonly name: string | null;
  readonly desc: number;
  readonly coll: string | null;
  readonly key: number;
}

interface ForeignKeyRow {
  readonly id: number;
  readonly seq: number;
  readonly table: string;
  readonly from: string;
  readonly to: string | null;
  readonly on_update: string;
  readonly on_delete: string;
}

export function introspectSqlite(db: SqliteDatabase, database: string, serverVersion: string): Catalog {
  const master = db
    .prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND substr(name, 1, ${SQLITE_CONTROL_PREFIX.length}) <> ? ORDER BY name`)
    .all(SQLITE_CONTROL_PREFIX) as MasterRow[];
  const hasStat1 = master.length > 0 && db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`).get() !== undefined;
  const tables: TableCatalog[] = [];
  const others: OtherObjectCatalog[] = [];
  const tableRows = master.filter((r) => r.type === 'table' || r.type === 'view');
  const pkOf = new Map<string, readonly string[]>();
  const counters = autoincrementCounters(db);
  for (const row of tableRows) {
    if (row.type === 'table' && /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(row.sql ?? '')) {
      continue; // virtual tables (FTS, R-Tree) keep their data in shadow tables; not migratable as such
    }
    tables.push(readTable(db, row, hasStat1, counters));
  }
  for (const t of tables) if (t.primaryKey) pkOf.set(t.name, t.primaryKey.columns);
  // A foreign key written without columns references the parent's primary key.
  const resolved = tables.map((t) => ({
    ...t,
    foreignKeys: t.foreignKeys.map((fk) => (fk.referencedColumns.length ? fk : { ...fk, referencedColumns: pkOf.get(fk.referencedTable) ?? [] })),
  }));
  for (const row of master) {
    if (row.type === 'trigger') others.push({ schema: SQLITE_SCHEMA, name: row.name, kind: 'trigger' });
  }
  // The collations this connection has (BINARY, NOCASE, RTRIM; an application's own are registered
  // by the application and are missing here): a target column keeps its collation only if listed.
  const collations = (db.prepare('SELECT name FROM pragma_collation_list').all() as { name: string }[]).map((r) => r.name).sort(compareText);
  return { engine: 'sqlite', database, serverVersion, schemas: [SQLITE_SCHEMA], tables: resolved, sequences: [], others, collations };
}

/** A rowid alias: AUTOINCREMENT never reuses a number (its counter is `next`); without it, max(rowid)+1. */
function identityOf(autoincrement: boolean, next: string | undefined): ColumnCatalog['identity'] {
  if (!autoincrement) return { kind: 'by_default' };
  return next === undefined ? { kind: 'auto_increment' } : { kind: 'auto_increment', next };
}

/**
 * Each AUTOINCREMENT table's next number (its sqlite_sequence row + 1), as text: the counter is an
 * int64, which a JavaScript number cannot always hold. The table exists once a table with
 * AUTOINCREMENT was created; a table that never had a row has no row in it.
 */
function autoincrementCounters(db: SqliteDatabase): ReadonlyMap<string, string> {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`).get() !== undefined;
  if (!exists) return new Map();
  const rows = db.prepare(`SELECT name, CAST(seq AS TEXT) AS seq FROM sqlite_sequence WHERE typeof(seq) = 'integer'`).all() as { name: string; seq: string }[];
  const counters = new Map<string, string>();
  for (const r of rows) {
    if (!/^\d+$/.test(r.seq)) continue;
    const next = BigInt(r.seq) + 1n;
    // Like MySQL's counter, only one past 1 says anything the largest row would not.
    if (next > 1n) counters.set(r.name.toLowerCase(), next.toString());
  }
  return counters;
}

function readTable(db: SqliteDatabase, row: MasterRow, hasStat1: boolean, counters: ReadonlyMap<string, string>): TableCatalog {
  const isView = row.type === 'view';
  const facts: CreateTableFacts = !isView && row.sql ? parseCreateTable(row.sql) : { columns: [], constraints: [], withoutRowid: false, strict: false };
  const tableOptions = [...(facts.withoutRowid ? ['WITHOUT ROWID'] : []), ...(facts.strict ? ['STRICT'] : [])];
  const info = (db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(row.name) as XInfoRow[]).filter((c) => c.hidden !== 1);
  const pkColumns = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const rowidAlias = !isView && !facts.withoutRowid && pkColumns.length === 1 && info.find((c) => c.name === pkColumns[0])?.type.toUpperCase() === 'INTEGER';
  const columnFacts = new Map(facts.columns.map((c) => [c.name.toLowerCase(), c]));

  const columns: ColumnCatalog[] = info.map((c, i) => {
    const fact = columnFacts.get(c.name.toLowerCase());
    const nativeType = parseSqliteType(c.type) ?? { name: c.type.toLowerCase(), params: [], unsigned: false, text: c.type };
    const isAlias = rowidAlias && c.name === pkColumns[0];
    const generated = c.hidden === 2 || c.hidden === 3 ? { expression: fact?.generated?.expression ?? '', stored: c.hidden === 3 } : undefined;
    return {
      name: c.name,
      ordinal: i + 1,
      nativeType,
      logical: sqliteToLogical(nativeType),
      // A rowid alias can never be NULL; other SQLite key columns can unless declared NOT NULL.
      nullable: c.notnull === 0 && !isAlias && !(facts.withoutRowid && c.pk > 0),
      default: generated ? undefined : parseDefault(c.dflt_value),
      identity: isAlias ? identityOf(fact?.autoincrement === true, counters.get(row.name.toLowerCase())) : undefined,
      generated,
      onUpdateCurrentTimestamp: false,
      collation: fact?.collation === undefined ? undefined : builtinCollation(fact.collation),
      charset: undefined,
      comment: undefined,
    };
  });

  const primaryKey: KeyCatalog | undefined = pkColumns.length
    ? { name: facts.constraints.find((k) => k.kind === 'primary_key')?.name ?? columnFacts.get(pkColumns[0]!.toLowerCase())?.primaryKeyName ?? `pk_${row.name}`, columns: pkColumns }
    : undefined;
  const { uniqueKeys, indexes } = isView ? { uniqueKeys: [], indexes: [] } : readIndexes(db, row.name, facts);
  return {
    schema: SQLITE_SCHEMA,
    name: row.name,
    kind: isView ? 'view' : 'table',
    columns,
    primaryKey,
    uniqueKeys,
    indexes,
    foreignKeys: isView ? [] : readForeignKeys(db, row.name, facts, columns),
    checks: readChecks(row.name, facts),
    rowEstimate: isView ? 0 : rowEstimate(db, row.name, hasStat1),
    comment: undefined,
    ...(tableOptions.length ? { tableOptions } : {}),
  };
}

function readIndexes(db: SqliteDatabase, table: string, facts: CreateTableFacts): { uniqueKeys: KeyCatalog[]; indexes: IndexCatalog[] } {
  const uniqueKeys: KeyCatalog[] = [];
  const indexes: IndexCatalog[] = [];
  const list = db.prepare('SELECT * FROM pragma_index_list(?)').all(table) as IndexListRow[];
  const sqlOf = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`);
  for (const ix of list) {
    if (ix.origin === 'pk') continue;
    const parts = (db.prepare('SELECT * FROM pragma_index_xinfo(?)').all(ix.name) as IndexXInfoRow[]).filter((p) => p.key === 1).sort((a, b) => a.seqno - b.seqno);
    // A part compared under another collation than its column's (`email COLLATE NOCASE`): a unique
    // one holds 'X' or 'x', not both, which a unique key on the column would not say.
    const ownCollation = (p: IndexXInfoRow) => builtinCollation(facts.columns.find((c) => c.name.toLowerCase() === (p.name ?? '').toLowerCase())?.collation ?? 'BINARY');
    const collationOf = (p: IndexXInfoRow) => (p.cid >= 0 && p.coll !== null && builtinCollation(p.coll) !== ownCollation(p) ? builtinCollation(p.coll) : undefined);
    // A unique index on plain columns is a unique key whether declared UNIQUE (origin 'u') or
    // created as CREATE UNIQUE INDEX (what addUniqueKey writes); partial or expression ones, and
    // ones with another collation, are indexes.
    const plainColumns = parts.every((p) => p.cid >= 0 && collationOf(p) === undefined) && ix.partial === 0;
    if (ix.unique === 1 && plainColumns) {
      const columns = parts.map((p) => p.name ?? '');
      uniqueKeys.push({ name: ix.origin === 'u' ? uniqueConstraintName(table, columns, facts) : ix.name, columns });
      continue;
    }
    const sql = (sqlOf.get(ix.name) as { sql: string | null } | undefined)?.sql ?? '';
    const texts = indexPartTexts(sql);
    indexes.push({
      name: ix.name,
      unique: ix.unique === 1,
      parts: parts.map((p, i) =>
        p.cid === -2 ? { expression: texts[i] ?? '', descending: p.desc === 1 } : { column: p.cid === -1 ? 'rowid' : (p.name ?? ''), descending: p.desc === 1, ...withCollation(collationOf(p)) },
      ),
      where: ix.partial === 1 ? partialIndexPredicate(sql) : undefined,
      method: 'btree',
    });
  }
  uniqueKeys.sort((a, b) => compareText(a.name, b.name));
  indexes.sort((a, b) => compareText(a.name, b.name));
  return { uniqueKeys, indexes };
}

/** Automatic indexes are named sqlite_autoindex_T_N, a reserved name: take the constraint's own or make one. */
function uniqueConstraintName(table: string, columns: readonly string[], facts: CreateTableFacts): string {
  const same = (a: readonly string[]) => a.length === columns.length && a.every((c, i) => c.toLowerCase() === columns[i]!.toLowerCase());
  const named = facts.constraints.find((k) => k.kind === 'unique' && k.name !== undefined && same(k.columns))?.name;
  const columnLevel = columns.length === 1 ? facts.columns.find((c) => c.name.toLowerCase() === columns[0]!.toLowerCase())?.uniqueName : undefined;
  return named ?? columnLevel ?? `${table}_${columns.join('_')}_key`;
}

function readForeignKeys(db: SqliteDatabase, table: string, facts: CreateTableFacts, columns: readonly ColumnCatalog[]): ForeignKeyCatalog[] {
  const rows = db.prepare('SELECT * FROM pragma_foreign_key_list(?)').all(table) as ForeignKeyRow[];
  const byId = new Map<number, ForeignKeyRow[]>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const fks: ForeignKeyCatalog[] = [];
  for (const group of byId.values()) {
    group.sort((a, b) => a.seq - b.seq);
    const first = group[0]!;
    const from = group.map((r) => r.from);
    const to = group.every((r) => r.to !== null) ? group.map((r) => r.to as string) : [];
    const deferrable = foreignKeyDeferrable(from, facts);
    fks.push({
      ...(deferrable ? { deferrable } : {}),
      name: foreignKeyName(table, from, facts),
      columns: from,
      referencedSchema: SQLITE_SCHEMA,
      referencedTable: first.table,
      referencedColumns: to,
      onDelete: referentialAction(first.on_delete),
      onUpdate: referentialAction(first.on_update),
    });
  }
  const position = (fk: ForeignKeyCatalog) => columns.find((c) => c.name === fk.columns[0])?.ordinal ?? 0;
  return fks.sort((a, b) => position(a) - position(b) || compareText(a.name, b.name));
}

function foreignKeyName(table: string, columns: readonly string[], facts: CreateTableFacts): string {
  const same = (a: readonly string[]) => a.length === columns.length && a.every((c, i) => c.toLowerCase() === columns[i]!.toLowerCase());
  const named = facts.constraints.find((k) => k.kind === 'foreign_key' && k.name !== undefined && same(k.columns))?.name;
  const columnLevel = columns.length === 1 ? facts.columns.find((c) => c.name.toLowerCase() === columns[0]!.toLowerCase())?.foreignKeyName : undefined;
  return named ?? columnLevel ?? `fk_${table}_${columns.join('_')}`;
}

/** DEFERRABLE is only in the CREATE text: the foreign key declared on the same columns. */
function foreignKeyDeferrable(columns: readonly string[], facts: CreateTableFacts): Deferrable | undefined {
  const same = (a: readonly string[]) => a.length === columns.length && a.every((c, i) => c.toLowerCase() === columns[i]!.toLowerCase());
  const declared = facts.constraints.find((k) => k.kind === 'foreign_key' && same(k.columns));
  if (declared) return declared.deferrable;
  return columns.length === 1 ? facts.columns.find((c) => c.name.toLowerCase() === columns[0]!.toLowerCase())?.foreignKeyDeferrable : undefined;
}

function referentialAction(text: string): ReferentialAction {
  switch (text.toUpperCase()) {
    case 'RESTRICT':
      return 'restrict';
    case 'CASCADE':
      return 'cascade';
    case 'SET NULL':
      return 'set_null';
    case 'SET DEFAULT':
      return 'set_default';
    default:
      return 'no_action';
  }
}

function readChecks(table: string, facts: CreateTableFacts): CheckCatalog[] {
  const checks: CheckCatalog[] = [];
  let n = 0;
  const nameOf = (given: string | undefined) => given ?? `${table}_check${++n === 1 ? '' : n}`;
  for (const c of facts.columns) for (const k of c.checks) checks.push({ name: nameOf(k.name), expression: k.expression });
  for (const k of facts.constraints) if (k.kind === 'check' && k.expression !== undefined) checks.push({ name: nameOf(k.name), expression: k.expression });
  return checks;
}

/**
 * `pragma table_xinfo` gives a default as SQL text: a literal ('x', 12, -1.5, X'00', TRUE, NULL),
 * a keyword (CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME) or a parenthesised expression.
 */
export function parseDefault(text: string | null): DefaultValue | undefined {
  if (text === null) return undefined;
  const t = text.trim();
  const upper = t.toUpperCase();
  if (upper === 'NULL') return undefined;
  if (upper === 'CURRENT_TIMESTAMP') return { kind: 'current_timestamp', precision: undefined };
  if (upper === 'CURRENT_DATE') return { kind: 'current_date' };
  if (upper === 'TRUE') return { kind: 'literal', text: '1' };
  if (upper === 'FALSE') return { kind: 'literal', text: '0' };
  if (/^'(?:[^']|'')*'$/s.test(t)) return { kind: 'literal', text: t.slice(1, -1).replace(/''/g, "'") };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return { kind: 'literal', text: t.replace(/^\+/, '') };
  // SQLite keeps `DEFAULT (expr)` without its parentheses in the pragma; some versions keep them.
  const inner = (/^\((.*)\)$/s.exec(t)?.[1] ?? t).trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(inner)) return { kind: 'literal', text: inner.replace(/^\+/, '') };
  if (/^datetime\s*\(\s*'now'\s*\)$/i.test(inner)) return { kind: 'current_timestamp', precision: undefined };
  if (/^date\s*\(\s*'now'\s*\)$/i.test(inner)) return { kind: 'current_date' };
  return { kind: 'expression', sql: t };
}

/** sqlite_stat1 (after ANALYZE) holds the row count as the first number of `stat`; otherwise count. */
function rowEstimate(db: SqliteDatabase, table: string, hasStat1: boolean): number {
  if (hasStat1) {
    const stat = db.prepare('SELECT stat FROM sqlite_stat1 WHERE tbl = ? ORDER BY idx IS NOT NULL, idx LIMIT 1').get(table) as { stat: string } | undefined;
    const n = stat ? Number.parseInt(stat.stat, 10) : Number.NaN;
    if (Number.isFinite(n)) return n;
  }
  const row = db.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`).get() as { n: number };
  return row.n;
}

function withCollation(collation: string | undefined): { readonly collation?: string } {
  return collation === undefined ? {} : { collation };
}

/** SQLite's collation names ignore case: the built-in ones are spelt as pragma collation_list lists them. */
function builtinCollation(name: string): string {
  const upper = name.toUpperCase();
  return upper === 'BINARY' || upper === 'NOCASE' || upper === 'RTRIM' ? upper : name;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
