/**
 * Reads a MySQL / MariaDB catalog from information_schema. Each database in scope is a schema.
 * Output order is deterministic: tables by schema and name, columns by ordinal, keys by name.
 *
 * The two servers differ in what they print: MariaDB quotes string defaults in COLUMN_DEFAULT
 * ('abc', NULL for "no default" is the text NULL) and spells `current_timestamp()`; MySQL prints
 * string defaults bare, marks expression defaults DEFAULT_GENERATED and spells CURRENT_TIMESTAMP.
 * MariaDB stores JSON as LONGTEXT with an automatic CHECK (json_valid(col)): such a column is
 * reported as json and its check is not.
 */
import type { IntrospectScope } from '../contract.js';
import type {
  Catalog,
  CheckCatalog,
  ColumnCatalog,
  DefaultValue,
  ForeignKeyCatalog,
  IndexCatalog,
  KeyCatalog,
  OtherObjectCatalog,
  ReferentialAction,
  SequenceCatalog,
  TableCatalog,
  ViewDefinition,
} from '../../schema/catalog.js';
import { quoteMysqlIdent } from './mysql-ddl.js';
import type { MysqlSession } from './mysql-session.js';
import { mysqlToLogical, parseMysqlType } from './mysql-types.js';
import { mysqlViewReads } from './mysql-view-sql.js';

/** Databases that are the server's own, never user data (and our control schema). */
export const MYSQL_SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys', '_dmsplan'];

export interface IntrospectContext {
  /** The database named in the URL, if any: then it is the one schema read. */
  readonly urlDatabase: string | undefined;
  readonly serverVersion: string;
}

type Rows = Record<string, unknown>[];

const str = (v: unknown): string => (v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const optStr = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : str(v));
const tableKey = (schema: string, table: string) => `${schema}\u0000${table}`;
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function isMariaDb(serverVersion: string): boolean {
  return /mariadb/i.test(serverVersion);
}

export async function introspectMysql(session: MysqlSession, scope: IntrospectScope, context: IntrospectContext): Promise<Catalog> {
  // The collations also when no schema is in scope yet: a target's columns are checked against them.
  // MariaDB 10.10+ lists a collation shared by character sets once in COLLATIONS (uca1400_ai_ci);
  // the names columns carry (utf8mb4_uca1400_ai_ci) are its FULL_COLLATION_NAMEs here.
  // MariaDB's data-type plugins (inet4, inet6, uuid): a MariaDB target that has one keeps a column of it.
  const [{ schemas, serverSchemas }, collationRows, typeRows, accountRows] = await Promise.all([
    schemasInScope(session, scope, context),
    session.query('SELECT * FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY'),
    session.query("SELECT PLUGIN_NAME FROM information_schema.PLUGINS WHERE PLUGIN_TYPE = 'DATA TYPE' AND PLUGIN_STATUS = 'ACTIVE'"),
    // Every account with a privilege (USAGE at least) that this user may see: a view's DEFINER is kept where it is one.
    session.query('SELECT DISTINCT GRANTEE FROM information_schema.USER_PRIVILEGES').catch(() => [] as Rows),
  ]);
  const empty: Catalog = {
    engine: 'mysql',
    database: context.urlDatabase ?? '',
    serverVersion: context.serverVersion,
    schemas,
    collations: [...new Set(collationRows.map((r) => str(r.FULL_COLLATION_NAME ?? r.COLLATION_NAME)))].sort(byText),
    typeNames: typeRows.map((r) => str(r.PLUGIN_NAME).toLowerCase()).sort(byText),
    accounts: accountRows.map((r) => str(r.GRANTEE)).sort(byText),
    tables: [],
    sequences: [],
    others: [],
  };
  if (schemas.length === 0) return empty;
  const inList = `(${schemas.map(() => '?').join(', ')})`;
  const mariadb = isMariaDb(context.serverVersion);

  const [tables, columns, statistics, foreignKeys, checks, others, partitionClauses, viewRows] = await Promise.all([
    // ENGINES.TRANSACTIONS says whether the table's storage engine takes part in transactions (and so in a snapshot).
    session.query(
      `SELECT t.TABLE_SCHEMA, t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_ROWS, t.DATA_LENGTH, t.TABLE_COMMENT, t.AUTO_INCREMENT, t.ENGINE, e.TRANSACTIONS ` +
        `FROM information_schema.TABLES t LEFT JOIN information_schema.ENGINES e ON e.ENGINE = t.ENGINE WHERE t.TABLE_SCHEMA IN ${inList}`,
      schemas,
    ),
    session.query(
      `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION ` +
        `FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ${inList}`,
      schemas,
    ),
    // SELECT *: MySQL 8 has an EXPRESSION column (functional key parts) that MariaDB lacks.
    session.query(`SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN ${inList}`, schemas),
    session.query(
      `SELECT rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.UPDATE_RULE, rc.DELETE_RULE, kcu.COLUMN_NAME, kcu.ORDINAL_POSITION, kcu.REFERENCED_TABLE_SCHEMA, kcu.REFERENCED_TABLE_NAME, kcu.REFERENCED_COLUMN_NAME ` +
        `FROM information_schema.REFERENTIAL_CONSTRAINTS rc JOIN information_schema.KEY_COLUMN_USAGE kcu ` +
        `ON kcu.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND kcu.TABLE_NAME = rc.TABLE_NAME AND kcu.CONSTRAINT_NAME = rc.CONSTRAINT_NAME ` +
        `WHERE rc.CONSTRAINT_SCHEMA IN ${inList}`,
      schemas,
    ),
    readChecks(session, inList, schemas, mariadb),
    readOthers(session, inList, schemas),
    readPartitionClauses(session, inList, schemas),
    // SELECT *: MariaDB has ALGORITHM here, MySQL does not.
    session.query(`SELECT * FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN ${inList}`, schemas),
  ]);
  const views = new Map(viewRows.map((r) => [tableKey(str(r.TABLE_SCHEMA), str(r.TABLE_NAME)), r]));
  // MySQL's information_schema.VIEWS has no ALGORITHM: SHOW CREATE VIEW prints it.
  for (const [key, r] of views) {
    if ('ALGORITHM' in r || !str(r.VIEW_DEFINITION)) continue;
    const [shown] = await session.query(`SHOW CREATE VIEW ${quoteMysqlIdent(str(r.TABLE_SCHEMA))}.${quoteMysqlIdent(str(r.TABLE_NAME))}`).catch(() => [] as Rows);
    const algorithm = viewAlgorithmOf(str(shown?.['Create View']));
    if (algorithm) views.set(key, { ...r, ALGORITHM: algorithm });
  }
  const isSchema = (name: string) => serverSchemas.has(name);

  // MariaDB's JSON columns: LONGTEXT plus an automatic json_valid() check named after the column.
  const jsonColumns = new Set<string>();
  const userChecks: { schema: string; table: string; check: CheckCatalog }[] = [];
  for (const c of checks) {
    const schema = str(c.SCHEMA_NAME);
    const table = str(c.TABLE_NAME);
    const name = str(c.CONSTRAINT_NAME);
    const clause = str(c.CHECK_CLAUSE);
    const json = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(clause.trim());
    if (json && mariadb && json[1]!.replace(/``/g, '`') === name) {
      jsonColumns.add(`${tableKey(schema, table)}\u0000${name}`);
      continue;
    }
    userChecks.push({ schema, table, check: { name, expression: clause } });
  }

  const columnsByTable = groupBy(columns, (r) => tableKey(str(r.TABLE_SCHEMA), str(r.TABLE_NAME)));
  const statsByTable = groupBy(statistics, (r) => tableKey(str(r.TABLE_SCHEMA), str(r.TABLE_NAME)));
  const fksByTable = groupBy(foreignKeys, (r) => tableKey(str(r.CONSTRAINT_SCHEMA), str(r.TABLE_NAME)));
  const checksByTable = groupBy(userChecks, (c) => tableKey(c.schema, c.table));

  const sequences: SequenceCatalog[] = [];
  const tableCatalogs: TableCatalog[] = [];
  for (const t of tables) {
    const schema = str(t.TABLE_SCHEMA);
    const name = str(t.TABLE_NAME);
    const type = str(t.TABLE_TYPE);
    if (type === 'SEQUENCE') {
      sequences.push({ schema, name, lastValue: undefined });
      continue;
    }
    if (type !== 'BASE TABLE' && type !== 'VIEW' && type !== 'SYSTEM VERSIONED') continue;
    const key = tableKey(schema, name);
    // The AUTO_INCREMENT counter: past the largest row where the top rows were deleted.
    const next = optStr(t.AUTO_INCREMENT);
    const cols = (columnsByTable.get(key) ?? [])
      .sort((a, b) => Number(a.ORDINAL_POSITION) - Number(b.ORDINAL_POSITION))
      .map((r) => readColumn(r, mariadb, jsonColumns.has(`${key}\u0000${str(r.COLUMN_NAME)}`)))
      .map((c) => (c.identity?.kind === 'auto_increment' && next !== undefined && /^\d+$/.test(next) && BigInt(next) > 1n ? { ...c, identity: { ...c.identity, next } } : c));
    const keys = readIndexes(statsByTable.get(key) ?? []);
    const view = type === 'VIEW' ? viewDefinitionOf(views.get(key), schema, isSchema) : undefined;
    tableCatalogs.push({
      ...(view ? { view } : {}),
      schema,
      name,
      kind: type === 'VIEW' ? 'view' : 'table',
      columns: cols,
      primaryKey: keys.primaryKey,
      uniqueKeys: keys.uniqueKeys,
      indexes: keys.indexes,
      foreignKeys: readForeignKeys(fksByTable.get(key) ?? []),
      checks: (checksByTable.get(key) ?? []).map((c) => c.check).sort((a, b) => byText(a.name, b.name)),
      rowEstimate: Number(t.TABLE_ROWS ?? 0) || 0,
      bytesEstimate: Number(t.DATA_LENGTH ?? 0) || undefined,
      comment: optStr(t.TABLE_COMMENT) || undefined,
      ...(partitionClauses.has(key) ? { partitioned: true, partitionClause: partitionClauses.get(key) } : {}),
      ...(type === 'SYSTEM VERSIONED' ? { systemVersioned: true } : {}),
      ...(type !== 'VIEW' && str(t.TRANSACTIONS).toUpperCase() === 'NO' ? { nonTransactionalEngine: str(t.ENGINE) } : {}),
    });
  }
  tableCatalogs.sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
  sequences.sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));
  return { ...empty, tables: tableCatalogs, sequences, others };
}

async function schemasInScope(session: MysqlSession, scope: IntrospectScope, context: IntrospectContext): Promise<{ schemas: string[]; serverSchemas: ReadonlySet<string> }> {
  const rows = await session.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA');
  const existing = rows.map((r) => str(r.SCHEMA_NAME));
  let wanted: readonly string[];
  if (scope.schemas !== undefined) wanted = scope.schemas;
  else if (context.urlDatabase !== undefined) wanted = [context.urlDatabase];
  else wanted = existing.filter((s) => !MYSQL_SYSTEM_SCHEMAS.includes(s.toLowerCase()));
  return { schemas: existing.filter((s) => wanted.includes(s)).sort(byText), serverSchemas: new Set(existing) };
}

/** ALGORITHM=… of a SHOW CREATE VIEW statement (`CREATE ALGORITHM=MERGE DEFINER=… VIEW …`). */
export function viewAlgorithmOf(createView: string): string | undefined {
  return /^CREATE\s+(?:OR\s+REPLACE\s+)?ALGORITHM=(\w+)/i.exec(createView)?.[1]?.toUpperCase();
}

/**
 * A view's definition from its information_schema.VIEWS row: undefined where the server gives no
 * query (VIEW_DEFINITION is empty to a user without SHOW VIEW on it).
 */
function viewDefinitionOf(row: Record<string, unknown> | undefined, schema: string, isSchema: (name: string) => boolean): ViewDefinition | undefined {
  const query = str(row?.VIEW_DEFINITION).trim();
  if (!row || !query) return undefined;
  const check = str(row.CHECK_OPTION).toUpperCase();
  const algorithm = optStr(row.ALGORITHM)?.toUpperCase();
  // DEFINER is printed user@host; a host has no @, a user name may.
  const definer = str(row.DEFINER);
  const at = definer.lastIndexOf('@');
  return {
    query,
    searchPath: '',
    checkOption: check === 'LOCAL' ? 'local' : check === 'CASCADED' ? 'cascaded' : undefined,
    securityBarrier: false,
    ...mysqlViewReads(query, schema, isSchema),
    ...(algorithm ? { algorithm } : {}),
    security: str(row.SECURITY_TYPE).toUpperCase() === 'INVOKER' ? 'invoker' : 'definer',
    ...(at > 0 ? { definer: { user: definer.slice(0, at), host: definer.slice(at + 1) } } : {}),
  };
}

async function readChecks(session: MysqlSession, inList: string, schemas: readonly string[], mariadb: boolean): Promise<Rows> {
  try {
    if (mariadb) {
      // MariaDB's check names are per table (CONSTRAINT_1 in many tables), and the view has TABLE_NAME.
      return await session.query(
        `SELECT CONSTRAINT_SCHEMA AS SCHEMA_NAME, TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN ${inList}`,
        schemas,
      );
    }
    return await session.query(
      `SELECT tc.TABLE_SCHEMA AS SCHEMA_NAME, tc.TABLE_NAME, tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS tc ` +
        `JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME ` +
        `WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND tc.TABLE_SCHEMA IN ${inList}`,
      schemas,
    );
  } catch {
    return []; // servers before check constraints (MySQL < 8.0.16) have no such view
  }
}

/**
 * Each partitioned table's `PARTITION BY …` clause, as SHOW CREATE TABLE prints it (MySQL 8 wraps
 * it in a version comment), keyed by table: a MySQL target makes the same partitions.
 */
async function readPartitionClauses(session: MysqlSession, inList: string, schemas: readonly string[]): Promise<Map<string, string>> {
  const partitioned = await session.query(`SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME FROM information_schema.PARTITIONS WHERE PARTITION_NAME IS NOT NULL AND TABLE_SCHEMA IN ${inList}`, schemas);
  const out = new Map<string, string>();
  for (const r of partitioned) {
    const [schema, name] = [str(r.TABLE_SCHEMA), str(r.TABLE_NAME)];
    const [row] = await session.query(`SHOW CREATE TABLE ${quoteMysqlIdent(schema)}.${quoteMysqlIdent(name)}`);
    const clause = partitionClauseOf(str(row?.['Create Table'] ?? ''));
    if (clause) out.set(tableKey(schema, name), clause);
  }
  return out;
}

/**
 * `PARTITION BY …` to the end of a CREATE TABLE statement, out of its version comment if any, and
 * without the partitions' storage engines: on the target they are the table's (InnoDB).
 */
export function partitionClauseOf(createTable: string): string | undefined {
  const at = createTable.search(/\n\s*(?:\/\*!\d+\s*)?PARTITION BY /);
  if (at < 0) return undefined;
  const whole = createTable.slice(at).trim();
  const clause = whole.startsWith('/*!') ? whole.replace(/^\/\*!\d+\s*/, '').replace(/\s*\*\/\s*$/, '') : whole;
  return clause.replace(/\s+(?:STORAGE\s+)?ENGINE\s*=\s*\w+/gi, '').trim();
}

async function readOthers(session: MysqlSession, inList: string, schemas: readonly string[]): Promise<OtherObjectCatalog[]> {
  const [routines, triggers, events] = await Promise.all([
    session.query(`SELECT ROUTINE_SCHEMA AS s, ROUTINE_NAME AS n, ROUTINE_TYPE AS t FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN ${inList}`, schemas),
    session.query(`SELECT TRIGGER_SCHEMA AS s, TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN ${inList}`, schemas),
    session.query(`SELECT EVENT_SCHEMA AS s, EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN ${inList}`, schemas).catch(() => [] as Rows),
  ]);
  const out: OtherObjectCatalog[] = [
    ...routines.map((r): OtherObjectCatalog => ({ schema: str(r.s), name: str(r.n), kind: str(r.t) === 'PROCEDURE' ? 'procedure' : 'function' })),
    ...triggers.map((r): OtherObjectCatalog => ({ schema: str(r.s), name: str(r.n), kind: 'trigger' })),
    ...events.map((r): OtherObjectCatalog => ({ schema: str(r.s), name: str(r.n), kind: 'event' })),
  ];
  return out.sort((a, b) => byText(a.schema, b.schema) || byText(a.kind, b.kind) || byText(a.name, b.name));
}

function readColumn(r: Record<string, unknown>, mariadb: boolean, mariadbJson: boolean): ColumnCatalog {
  const columnType = str(r.COLUMN_TYPE);
  const parsed = parseMysqlType(columnType);
  const nativeType = mariadbJson ? { name: 'json', params: [], unsigned: false, text: 'json' } : (parsed ?? { name: columnType.toLowerCase(), params: [], unsigned: false, text: columnType });
  // MariaDB keeps a JSON document's text as written; MySQL's binary JSON re-prints it.
  const logical = mariadbJson ? { kind: 'json' as const, binary: false } : mysqlToLogical(nativeType);
  const extra = str(r.EXTRA);
  const generationExpression = optStr(r.GENERATION_EXPRESSION);
  const generated = /generated/i.test(extra) && generationExpression ? { expression: generationExpression, stored: /stored|persistent/i.test(extra) } : undefined;
  return {
    name: str(r.COLUMN_NAME),
    ordinal: Number(r.ORDINAL_POSITION),
    nativeType,
    logical,
    nullable: str(r.IS_NULLABLE) === 'YES',
    default: generated ? undefined : readDefault(r.COLUMN_DEFAULT, extra, nativeType.name, mariadb),
    identity: /auto_increment/i.test(extra) ? { kind: 'auto_increment' } : undefined,
    generated,
    onUpdateCurrentTimestamp: /on update current_timestamp/i.test(extra),
    ...(/\binvisible\b/i.test(extra) ? { invisible: true } : {}),
    collation: optStr(r.COLLATION_NAME),
    charset: optStr(r.CHARACTER_SET_NAME),
    comment: optStr(r.COLUMN_COMMENT) || undefined,
  };
}

const CURRENT_TIMESTAMP = /^(?:current_timestamp|now|localtimestamp|localtime)(?:\((\d*)\))?$/i;
const CURRENT_DATE = /^(?:curdate|current_date)(?:\(\))?$/i;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The value of a quoted literal as MariaDB prints it: quotes doubled, backslash escapes. */
function unquote(text: string): string {
  const body = text.slice(1, -1);
  const escapes: Readonly<Record<string, string>> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a' };
  return body.replace(/''|\\(.)/gs, (m: string, e: string | undefined) => (m === "''" ? "'" : (escapes[e!] ?? e!)));
}

/** COLUMN_DEFAULT → DefaultValue, normalising the two servers' spellings. */
export function readDefault(raw: unknown, extra: string, typeName: string, mariadb: boolean): DefaultValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  const text = str(raw).trim();
  const now = CURRENT_TIMESTAMP.exec(text);
  if (now) return { kind: 'current_timestamp', precision: now[1] ? Number(now[1]) : undefined };
  if (CURRENT_DATE.test(text)) return { kind: 'current_date' };
  const bits = /^b'([01]*)'$/i.exec(text);
  if (bits) return { kind: 'literal', text: bits[1]! };
  if (mariadb) {
    if (text === 'NULL') return undefined;
    if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return { kind: 'literal', text: unquote(text) };
    if (NUMBER.test(text)) return { kind: 'literal', text };
    return { kind: 'expression', sql: text };
  }
  if (/DEFAULT_GENERATED/i.test(extra)) return { kind: 'expression', sql: text };
  // MySQL prints literals bare; a bit default prints as b'…' (handled above).
  void typeName;
  return { kind: 'literal', text: str(raw) };
}

function readIndexes(rows: Rows): { primaryKey: KeyCatalog | undefined; uniqueKeys: KeyCatalog[]; indexes: IndexCatalog[] } {
  const byIndex = groupBy(rows, (r) => str(r.INDEX_NAME));
  let primaryKey: KeyCatalog | undefined;
  const uniqueKeys: KeyCatalog[] = [];
  const indexes: IndexCatalog[] = [];
  for (const name of [...byIndex.keys()].sort(byText)) {
    const parts = byIndex.get(name)!.sort((a, b) => Number(a.SEQ_IN_INDEX) - Number(b.SEQ_IN_INDEX));
    const unique = Number(parts[0]!.NON_UNIQUE) === 0;
    const method = str(parts[0]!.INDEX_TYPE).toLowerCase() || 'btree';
    const indexParts = parts.map((p) => {
      const column = optStr(p.COLUMN_NAME);
      const expression = optStr(p.EXPRESSION);
      // A SPATIAL index reports a SUB_PART (32 on MariaDB) that is not a prefix one could declare.
      const subPart = p.SUB_PART === null || p.SUB_PART === undefined || method === 'spatial' ? undefined : Number(p.SUB_PART);
      return {
        ...(column !== undefined ? { column } : {}),
        ...(column === undefined && expression !== undefined ? { expression } : {}),
        descending: str(p.COLLATION) === 'D',
        ...(subPart !== undefined ? { prefixLength: subPart } : {}),
      };
    });
    const plainColumns = indexParts.every((p) => p.column !== undefined && p.prefixLength === undefined && !p.descending);
    const columns = indexParts.map((p) => p.column ?? '');
    if (name === 'PRIMARY') primaryKey = { name, columns };
    // A unique index over whole columns is a unique key; one over prefixes or expressions is not.
    else if (unique && plainColumns && method === 'btree') uniqueKeys.push({ name, columns });
    else indexes.push({ name, unique, parts: indexParts, where: undefined, method });
  }
  return { primaryKey, uniqueKeys, indexes };
}

function readAction(rule: unknown): ReferentialAction {
  switch (str(rule).toUpperCase()) {
    case 'CASCADE':
      return 'cascade';
    case 'SET NULL':
      return 'set_null';
    case 'SET DEFAULT':
      return 'set_default';
    case 'RESTRICT':
      return 'restrict';
    default:
      return 'no_action';
  }
}

function readForeignKeys(rows: Rows): ForeignKeyCatalog[] {
  const byName = groupBy(rows, (r) => str(r.CONSTRAINT_NAME));
  return [...byName.keys()].sort(byText).map((name) => {
    const parts = byName.get(name)!.sort((a, b) => Number(a.ORDINAL_POSITION) - Number(b.ORDINAL_POSITION));
    const first = parts[0]!;
    return {
      name,
      columns: parts.map((p) => str(p.COLUMN_NAME)),
      referencedSchema: str(first.REFERENCED_TABLE_SCHEMA),
      referencedTable: str(first.REFERENCED_TABLE_NAME),
      referencedColumns: parts.map((p) => str(p.REFERENCED_COLUMN_NAME)),
      onDelete: readAction(first.DELETE_RULE),
      onUpdate: readAction(first.UPDATE_RULE),
    };
  });
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
