/**
 * Reads an Oracle catalog from the ALL_* dictionary views (what the connected user may see). A
 * schema is a user. Without a scope, the schemas are the users Oracle does not maintain itself
 * (ALL_USERS.ORACLE_MAINTAINED = 'N', 12c+) that own a table or view the user can see.
 *
 * The queries (ORACLE_CATALOG_SQL) and the assembly (buildOracleCatalog, pure) are apart so that
 * the assembly is tested with hand-made dictionary rows; no Oracle server runs where dmsplan is
 * tested (docs/architecture.md). Output order is deterministic: tables by schema and name, columns
 * by their internal order, keys by name.
 *
 * Left out: nested, secondary, temporary (session-private rows), dropped (recycle bin) and IOT
 * overflow tables, and the container tables of materialized views (listed as materialized views).
 * Invisible columns are read (they are data); system-generated hidden columns are not. A disabled
 * primary or unique key is no key (the rows may break it); a disabled or NOVALIDATE foreign key is
 * kept and marked loose on the source, so its orphans go to the rejects table. Check constraints are
 * Oracle SQL and are not carried; function-based indexes are not either (their columns are
 * hidden SYS_NC… columns), except descending columns, which Oracle also stores that way.
 */
import type { IntrospectScope } from '../contract.js';
import type { Catalog, ColumnCatalog, DefaultValue, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, OtherObjectCatalog, ReferentialAction, SequenceCatalog, TableCatalog } from '../../schema/catalog.js';
import { oracleToLogical, parseOracleType } from './oracle-types.js';

export type DictionaryRow = Readonly<Record<string, unknown>>;

export interface OracleCatalogRows {
  readonly tables: readonly DictionaryRow[];
  readonly views: readonly DictionaryRow[];
  readonly columns: readonly DictionaryRow[];
  readonly identities: readonly DictionaryRow[];
  readonly constraints: readonly DictionaryRow[];
  readonly constraintColumns: readonly DictionaryRow[];
  readonly indexes: readonly DictionaryRow[];
  readonly indexColumns: readonly DictionaryRow[];
  readonly indexExpressions: readonly DictionaryRow[];
  readonly tableComments: readonly DictionaryRow[];
  readonly columnComments: readonly DictionaryRow[];
  readonly sequences: readonly DictionaryRow[];
  readonly others: readonly DictionaryRow[];
}

/** `OWNER IN (:1, :2, …)` for `count` owners. */
export function ownerList(column: string, count: number): string {
  return `${column} IN (${Array.from({ length: count }, (_, i) => `:${i + 1}`).join(', ')})`;
}

export const ORACLE_SCHEMAS_SQL =
  "SELECT DISTINCT o.OWNER FROM ALL_OBJECTS o JOIN ALL_USERS u ON u.USERNAME = o.OWNER WHERE u.ORACLE_MAINTAINED = 'N' AND o.OBJECT_TYPE IN ('TABLE', 'VIEW') ORDER BY o.OWNER";

/** The dictionary queries, each binding the schema names as :1 … :n. */
export function oracleCatalogSql(owners: number): Readonly<Record<keyof OracleCatalogRows, string>> {
  const o = (column: string) => ownerList(column, owners);
  return {
    tables:
      `SELECT t.OWNER, t.TABLE_NAME, t.NUM_ROWS, t.AVG_ROW_LEN, t.PARTITIONED FROM ALL_TABLES t WHERE ${o('t.OWNER')}` +
      " AND t.NESTED = 'NO' AND t.SECONDARY = 'N' AND t.DROPPED = 'NO' AND t.TEMPORARY = 'N' AND (t.IOT_TYPE IS NULL OR t.IOT_TYPE = 'IOT')" +
      ' AND NOT EXISTS (SELECT 1 FROM ALL_MVIEWS m WHERE m.OWNER = t.OWNER AND m.MVIEW_NAME = t.TABLE_NAME) ORDER BY t.OWNER, t.TABLE_NAME',
    views: `SELECT v.OWNER, v.VIEW_NAME FROM ALL_VIEWS v WHERE ${o('v.OWNER')} ORDER BY v.OWNER, v.VIEW_NAME`,
    columns:
      'SELECT c.OWNER, c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.DATA_TYPE_OWNER, c.DATA_LENGTH, c.DATA_PRECISION, c.DATA_SCALE, c.CHAR_LENGTH, c.CHAR_USED,' +
      ` c.NULLABLE, c.DATA_DEFAULT, c.VIRTUAL_COLUMN, c.HIDDEN_COLUMN FROM ALL_TAB_COLS c WHERE ${o('c.OWNER')} AND c.USER_GENERATED = 'YES'` +
      ' ORDER BY c.OWNER, c.TABLE_NAME, c.INTERNAL_COLUMN_ID',
    identities:
      'SELECT i.OWNER, i.TABLE_NAME, i.COLUMN_NAME, i.GENERATION_TYPE, s.LAST_NUMBER FROM ALL_TAB_IDENTITY_COLS i' +
      ` LEFT JOIN ALL_SEQUENCES s ON s.SEQUENCE_OWNER = i.OWNER AND s.SEQUENCE_NAME = i.SEQUENCE_NAME WHERE ${o('i.OWNER')}`,
    constraints:
      'SELECT c.OWNER, c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, c.R_OWNER, c.R_CONSTRAINT_NAME, c.DELETE_RULE, c.STATUS, c.VALIDATED, c.DEFERRABLE, c.DEFERRED, c.INDEX_OWNER, c.INDEX_NAME' +
      ` FROM ALL_CONSTRAINTS c WHERE ${o('c.OWNER')} AND c.CONSTRAINT_TYPE IN ('P', 'U', 'R') ORDER BY c.OWNER, c.TABLE_NAME, c.CONSTRAINT_NAME`,
    // Referenced keys may belong to another user: all keys the user sees, filtered in buildOracleCatalog.
    constraintColumns: `SELECT cc.OWNER, cc.CONSTRAINT_NAME, cc.COLUMN_NAME, cc.POSITION FROM ALL_CONS_COLUMNS cc WHERE ${o('cc.OWNER')} ORDER BY cc.OWNER, cc.CONSTRAINT_NAME, cc.POSITION`,
    indexes:
      'SELECT i.OWNER, i.INDEX_NAME, i.TABLE_OWNER, i.TABLE_NAME, i.INDEX_TYPE, i.UNIQUENESS FROM ALL_INDEXES i' +
      ` WHERE ${o('i.TABLE_OWNER')} AND i.TABLE_TYPE = 'TABLE' AND i.GENERATED = 'N' ORDER BY i.TABLE_OWNER, i.TABLE_NAME, i.INDEX_NAME`,
    indexColumns: `SELECT ic.INDEX_OWNER, ic.INDEX_NAME, ic.COLUMN_NAME, ic.COLUMN_POSITION, ic.DESCEND FROM ALL_IND_COLUMNS ic WHERE ${o('ic.TABLE_OWNER')} ORDER BY ic.INDEX_OWNER, ic.INDEX_NAME, ic.COLUMN_POSITION`,
    indexExpressions: `SELECT ie.INDEX_OWNER, ie.INDEX_NAME, ie.COLUMN_POSITION, ie.COLUMN_EXPRESSION FROM ALL_IND_EXPRESSIONS ie WHERE ${o('ie.TABLE_OWNER')}`,
    tableComments: `SELECT tc.OWNER, tc.TABLE_NAME, tc.COMMENTS FROM ALL_TAB_COMMENTS tc WHERE ${o('tc.OWNER')} AND tc.COMMENTS IS NOT NULL`,
    columnComments: `SELECT cc.OWNER, cc.TABLE_NAME, cc.COLUMN_NAME, cc.COMMENTS FROM ALL_COL_COMMENTS cc WHERE ${o('cc.OWNER')} AND cc.COMMENTS IS NOT NULL`,
    sequences: `SELECT s.SEQUENCE_OWNER, s.SEQUENCE_NAME, s.LAST_NUMBER FROM ALL_SEQUENCES s WHERE ${o('s.SEQUENCE_OWNER')} AND s.SEQUENCE_NAME NOT LIKE 'ISEQ$$%' ORDER BY s.SEQUENCE_OWNER, s.SEQUENCE_NAME`,
    others:
      `SELECT o.OWNER, o.OBJECT_NAME, o.OBJECT_TYPE FROM ALL_OBJECTS o WHERE ${o('o.OWNER')}` +
      " AND o.OBJECT_TYPE IN ('PROCEDURE', 'FUNCTION', 'PACKAGE', 'TRIGGER', 'TYPE', 'MATERIALIZED VIEW') ORDER BY o.OWNER, o.OBJECT_NAME",
  };
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));
const key = (...parts: readonly string[]) => parts.join('\u0000');
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The type text a column's dictionary row describes (`NUMBER(10,2)`, `VARCHAR2(20 CHAR)`), parsed. */
export function nativeTypeOfColumn(row: DictionaryRow): NativeType {
  const dataType = str(row.DATA_TYPE);
  const upper = dataType.toUpperCase();
  const precision = num(row.DATA_PRECISION);
  const scale = num(row.DATA_SCALE);
  let text: string;
  switch (upper) {
    case 'NUMBER':
      text = precision === undefined ? (scale === undefined ? 'NUMBER' : `NUMBER(*,${scale})`) : `NUMBER(${precision},${scale ?? 0})`;
      break;
    case 'FLOAT':
      text = `FLOAT(${precision ?? 126})`;
      break;
    case 'VARCHAR2':
    case 'CHAR':
      text = `${upper}(${num(row.CHAR_LENGTH) ?? num(row.DATA_LENGTH) ?? 1} ${str(row.CHAR_USED) === 'C' ? 'CHAR' : 'BYTE'})`;
      break;
    case 'NVARCHAR2':
    case 'NCHAR':
      text = `${upper}(${num(row.CHAR_LENGTH) ?? 1})`;
      break;
    case 'RAW':
    case 'UROWID':
      text = `${upper}(${num(row.DATA_LENGTH) ?? 1})`;
      break;
    default:
      text = dataType;
  }
  const owner = str(row.DATA_TYPE_OWNER);
  const parsed = parseOracleType(owner && owner !== 'SYS' && owner !== 'PUBLIC' && owner !== 'MDSYS' ? `${owner}.${dataType}` : text);
  if (parsed) return parsed;
  // An object type, VARRAY or nested table of some user: its owner and name, which nothing reads (DMS3530).
  const name = (owner ? `${owner}.${dataType}` : dataType).toLowerCase();
  return { name, params: [], unsigned: false, text: owner ? `${owner}.${dataType}` : dataType };
}

/** A column's DATA_DEFAULT text (Oracle SQL, as written) as a default value. */
export function oracleDefault(text: string | undefined): DefaultValue | undefined {
  if (text === undefined) return undefined;
  const sql = text.trim();
  if (sql === '' || /^null$/i.test(sql)) return undefined;
  const quoted = /^'((?:[^']|'')*)'$/s.exec(sql);
  // '' is NULL in Oracle: DEFAULT '' is no default at all.
  if (quoted) return quoted[1] === '' ? undefined : { kind: 'literal', text: quoted[1]!.replace(/''/g, "'") };
  const number = /^\(?\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*\)?$/.exec(sql);
  if (number) {
    const n = number[1]!.replace(/^(-?)\./, '$10.').replace(/\.$/, '');
    return { kind: 'literal', text: n };
  }
  if (/^(sysdate|current_date)$/i.test(sql)) return { kind: 'current_timestamp', precision: 0 };
  const now = /^(?:systimestamp|current_timestamp|localtimestamp)(?:\s*\(\s*(\d)\s*\))?$/i.exec(sql);
  if (now) return { kind: 'current_timestamp', precision: now[1] === undefined ? undefined : Number(now[1]) };
  return { kind: 'expression', sql };
}

function deleteRule(rule: string): ReferentialAction {
  switch (rule) {
    case 'CASCADE':
      return 'cascade';
    case 'SET NULL':
      return 'set_null';
    default:
      return 'no_action';
  }
}

/** The dictionary rows (see oracleCatalogSql) as a catalog. Pure. */
export function buildOracleCatalog(rows: OracleCatalogRows, context: { readonly database: string; readonly serverVersion: string; readonly schemas: readonly string[] }): Catalog {
  const columnsOf = new Map<string, ColumnCatalog[]>();
  const identities = new Map(rows.identities.map((r) => [key(str(r.OWNER), str(r.TABLE_NAME), str(r.COLUMN_NAME)), r]));
  const columnComments = new Map(rows.columnComments.map((r) => [key(str(r.OWNER), str(r.TABLE_NAME), str(r.COLUMN_NAME)), str(r.COMMENTS)]));
  for (const r of rows.columns) {
    const table = key(str(r.OWNER), str(r.TABLE_NAME));
    const list = columnsOf.get(table) ?? [];
    const nativeType = nativeTypeOfColumn(r);
    const identity = identities.get(key(str(r.OWNER), str(r.TABLE_NAME), str(r.COLUMN_NAME)));
    const virtual = str(r.VIRTUAL_COLUMN) === 'YES';
    const defaultText = r.DATA_DEFAULT === null || r.DATA_DEFAULT === undefined ? undefined : str(r.DATA_DEFAULT);
    list.push({
      name: str(r.COLUMN_NAME),
      ordinal: list.length + 1,
      nativeType,
      logical: oracleToLogical(nativeType),
      nullable: str(r.NULLABLE) !== 'N',
      default: identity || virtual ? undefined : oracleDefault(defaultText),
      identity: identity ? { kind: str(identity.GENERATION_TYPE) === 'ALWAYS' ? 'always' : 'by_default', ...(identity.LAST_NUMBER !== null && identity.LAST_NUMBER !== undefined ? { next: str(identity.LAST_NUMBER) } : {}) } : undefined,
      generated: virtual ? { expression: (defaultText ?? '').trim(), stored: false } : undefined,
      onUpdateCurrentTimestamp: false,
      ...(str(r.HIDDEN_COLUMN) === 'YES' ? { invisible: true } : {}),
      collation: undefined,
      charset: undefined,
      comment: columnComments.get(key(str(r.OWNER), str(r.TABLE_NAME), str(r.COLUMN_NAME))),
    });
    columnsOf.set(table, list);
  }

  const keyColumns = new Map<string, string[]>();
  for (const r of rows.constraintColumns) {
    const k = key(str(r.OWNER), str(r.CONSTRAINT_NAME));
    keyColumns.set(k, [...(keyColumns.get(k) ?? []), str(r.COLUMN_NAME)]);
  }
  const constraintsByName = new Map(rows.constraints.map((r) => [key(str(r.OWNER), str(r.CONSTRAINT_NAME)), r]));
  const primary = new Map<string, KeyCatalog>();
  const unique = new Map<string, KeyCatalog[]>();
  const foreign = new Map<string, ForeignKeyCatalog[]>();
  for (const r of rows.constraints) {
    const table = key(str(r.OWNER), str(r.TABLE_NAME));
    const name = str(r.CONSTRAINT_NAME);
    const columns = keyColumns.get(key(str(r.OWNER), name)) ?? [];
    const enabled = str(r.STATUS) === 'ENABLED';
    const deferrable = str(r.DEFERRABLE) === 'DEFERRABLE' ? { deferrable: str(r.DEFERRED) === 'DEFERRED' ? ('initially_deferred' as const) : ('initially_immediate' as const) } : {};
    switch (str(r.CONSTRAINT_TYPE)) {
      case 'P':
        if (enabled && columns.length) primary.set(table, { name, columns, ...deferrable });
        break;
      case 'U':
        if (enabled && columns.length) unique.set(table, [...(unique.get(table) ?? []), { name, columns, ...deferrable }]);
        break;
      case 'R': {
        const referenced = constraintsByName.get(key(str(r.R_OWNER), str(r.R_CONSTRAINT_NAME)));
        const referencedColumns = keyColumns.get(key(str(r.R_OWNER), str(r.R_CONSTRAINT_NAME)));
        if (!referenced || !referencedColumns || !columns.length) break;
        const loose = !enabled ? 'the foreign key is disabled on the source' : str(r.VALIDATED) !== 'VALIDATED' ? 'the foreign key is NOVALIDATE on the source (rows from before it may break it)' : undefined;
        foreign.set(table, [
          ...(foreign.get(table) ?? []),
          {
            name,
            columns,
            referencedSchema: str(referenced.OWNER),
            referencedTable: str(referenced.TABLE_NAME),
            referencedColumns,
            onDelete: deleteRule(str(r.DELETE_RULE)),
            onUpdate: 'no_action',
            ...deferrable,
            ...(loose ? { looseOnSource: loose } : {}),
          },
        ]);
        break;
      }
      default:
        break;
    }
  }

  // Indexes that back a key are the key; the others are listed with their columns. A key may use an
  // index of another name (CREATE INDEX, then ADD PRIMARY KEY … USING INDEX): ALL_CONSTRAINTS names it.
  const keyIndexNames = new Set<string>();
  for (const r of rows.constraints) {
    if (str(r.CONSTRAINT_TYPE) === 'R') continue;
    keyIndexNames.add(r.INDEX_NAME ? key(str(r.INDEX_OWNER ?? r.OWNER), str(r.INDEX_NAME)) : key(str(r.OWNER), str(r.CONSTRAINT_NAME)));
  }
  const indexParts = new Map<string, { column: string; position: number; descending: boolean }[]>();
  for (const r of rows.indexColumns) {
    const k = key(str(r.INDEX_OWNER), str(r.INDEX_NAME));
    indexParts.set(k, [...(indexParts.get(k) ?? []), { column: str(r.COLUMN_NAME), position: num(r.COLUMN_POSITION) ?? 0, descending: str(r.DESCEND) === 'DESC' }]);
  }
  const expressions = new Map(rows.indexExpressions.map((r) => [key(str(r.INDEX_OWNER), str(r.INDEX_NAME), str(r.COLUMN_POSITION)), str(r.COLUMN_EXPRESSION).trim()]));
  const indexes = new Map<string, IndexCatalog[]>();
  for (const r of rows.indexes) {
    const indexKey = key(str(r.OWNER), str(r.INDEX_NAME));
    const type = str(r.INDEX_TYPE);
    if (keyIndexNames.has(indexKey) || !/^(NORMAL|BITMAP|FUNCTION-BASED NORMAL)$/.test(type)) continue;
    const table = key(str(r.TABLE_OWNER), str(r.TABLE_NAME));
    const known = new Set((columnsOf.get(table) ?? []).map((c) => c.name));
    const parts: IndexCatalog['parts'][number][] = [];
    for (const p of indexParts.get(indexKey) ?? []) {
      // A descending column is stored as a hidden column whose expression is the quoted column name.
      const expression = expressions.get(key(str(r.OWNER), str(r.INDEX_NAME), String(p.position)));
      const column = known.has(p.column) ? p.column : /^"((?:[^"]|"")+)"$/.exec(expression ?? '')?.[1]?.replace(/""/g, '"');
      if (column === undefined || !known.has(column)) {
        parts.length = 0;
        break;
      }
      parts.push({ column, descending: p.descending });
    }
    if (!parts.length) continue;
    indexes.set(table, [...(indexes.get(table) ?? []), { name: str(r.INDEX_NAME), unique: str(r.UNIQUENESS) === 'UNIQUE', parts, where: undefined, method: 'btree' }]);
  }

  const tableComments = new Map(rows.tableComments.map((r) => [key(str(r.OWNER), str(r.TABLE_NAME)), str(r.COMMENTS)]));
  const tables: TableCatalog[] = [];
  const addTable = (schema: string, name: string, kind: 'table' | 'view', rowEstimate: number, bytesEstimate: number | undefined) => {
    const k = key(schema, name);
    tables.push({
      schema,
      name,
      kind,
      columns: columnsOf.get(k) ?? [],
      primaryKey: primary.get(k),
      uniqueKeys: [...(unique.get(k) ?? [])].sort((a, b) => byText(a.name, b.name)),
      indexes: [...(indexes.get(k) ?? [])].sort((a, b) => byText(a.name, b.name)),
      foreignKeys: [...(foreign.get(k) ?? [])].sort((a, b) => byText(a.name, b.name)),
      checks: [],
      rowEstimate,
      ...(bytesEstimate !== undefined ? { bytesEstimate } : {}),
      comment: tableComments.get(k),
    });
  };
  for (const r of rows.tables) {
    const rowsNow = num(r.NUM_ROWS);
    const avg = num(r.AVG_ROW_LEN);
    addTable(str(r.OWNER), str(r.TABLE_NAME), 'table', rowsNow ?? 0, rowsNow !== undefined && avg !== undefined ? rowsNow * avg : undefined);
  }
  for (const r of rows.views) addTable(str(r.OWNER), str(r.VIEW_NAME), 'view', 0, undefined);
  tables.sort((a, b) => byText(a.schema, b.schema) || byText(a.name, b.name));

  const sequences: SequenceCatalog[] = rows.sequences.map((r) => ({ schema: str(r.SEQUENCE_OWNER), name: str(r.SEQUENCE_NAME), lastValue: r.LAST_NUMBER === null || r.LAST_NUMBER === undefined ? undefined : str(r.LAST_NUMBER) }));
  const others: OtherObjectCatalog[] = rows.others.map((r) => ({ schema: str(r.OWNER), name: str(r.OBJECT_NAME), kind: otherKind(str(r.OBJECT_TYPE)) }));
  return { engine: 'oracle', database: context.database, serverVersion: context.serverVersion, schemas: context.schemas, tables, sequences, others, encoding: 'UTF8' };
}

function otherKind(type: string): OtherObjectCatalog['kind'] {
  switch (type) {
    case 'FUNCTION':
      return 'function';
    case 'TRIGGER':
      return 'trigger';
    case 'TYPE':
      return 'type';
    case 'MATERIALIZED VIEW':
      return 'materialized_view';
    default:
      // PROCEDURE, and a PACKAGE (procedures and functions together)
      return 'procedure';
  }
}

/** Runs the dictionary queries for the schemas in scope (`rows` binds :1 … :n). */
export async function introspectOracle(
  rows: (sql: string, binds: readonly string[]) => Promise<readonly DictionaryRow[]>,
  scope: IntrospectScope,
  context: { readonly database: string; readonly serverVersion: string },
): Promise<Catalog> {
  const schemas = await schemasInScope(rows, scope);
  const empty: OracleCatalogRows = { tables: [], views: [], columns: [], identities: [], constraints: [], constraintColumns: [], indexes: [], indexColumns: [], indexExpressions: [], tableComments: [], columnComments: [], sequences: [], others: [] };
  if (schemas.length === 0) return buildOracleCatalog(empty, { ...context, schemas });
  const sql = oracleCatalogSql(schemas.length);
  const fetched: Record<string, readonly DictionaryRow[]> = {};
  // One after another: the dictionary views are slow, and a pool connection each would cost more.
  for (const name of Object.keys(sql) as (keyof OracleCatalogRows)[]) fetched[name] = await rows(sql[name], schemas);
  return buildOracleCatalog(fetched as unknown as OracleCatalogRows, { ...context, schemas });
}

/**
 * The schemas named by the scope as Oracle has them: a plan's `hr` finds the user `HR` (names in a
 * plan ignore case); without a scope, every user that owns a table or view and that Oracle does not
 * maintain itself.
 */
async function schemasInScope(rows: (sql: string, binds: readonly string[]) => Promise<readonly DictionaryRow[]>, scope: IntrospectScope): Promise<string[]> {
  const all = (await rows(ORACLE_SCHEMAS_SQL, [])).map((r) => str(r.OWNER));
  if (scope.schemas === undefined) return all.filter((s) => s !== '_DMSPLAN').sort(byText);
  const wanted = new Set(scope.schemas);
  const folded = new Set(scope.schemas.map((s) => s.toUpperCase()));
  return all.filter((s) => wanted.has(s) || folded.has(s.toUpperCase())).sort(byText);
}
