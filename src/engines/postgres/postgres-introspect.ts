/**
 * Introspection from pg_catalog, shared by PostgreSQL and PGlite: a handful of queries for the
 * whole scope (relations, columns, enums, constraints, indexes, sequences, other objects), never
 * one per table. Every value is selected as text so any driver's row parsing gives the same result.
 */
import { atMost, INTROSPECTION_QUERIES_AT_ONCE } from '../at-most.js';
import type { Catalog, CheckCatalog, ColumnCatalog, DefaultValue, Deferrable, DomainCatalog, ForeignKeyCatalog, IndexCatalog, KeyCatalog, NativeType, OtherObjectCatalog, PartitionCatalog, PolicyCatalog, ReferentialAction, RoutineCatalog, SequenceCatalog, TableCatalog, TriggerCatalog, ViewDefinition } from '../../schema/catalog.js';
import type { EngineName } from '../../ir/ir.js';
import { enumNative, parsePostgresType, postgresToLogical } from './postgres-types.js';

export type CatalogQuery = (sql: string, params?: readonly unknown[]) => Promise<readonly Record<string, unknown>[]>;

/** Schemas never read: the system's and our own control schema. */
export const SYSTEM_SCHEMAS = ['pg_catalog', 'information_schema', 'pg_toast', '_dmsplan'] as const;

const SCHEMAS_SQL = `
SELECT n.nspname AS name FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', '_dmsplan')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  AND ($1::text[] IS NULL OR n.nspname = ANY($1::text[]))`;

const RELATIONS_SQL = `
-- Every partitioned table with the plain tables under it, at any depth (pg_inherits, which every
-- version with partitioning has; pg_partition_tree is PostgreSQL 12+).
WITH RECURSIVE partitions(root, leaf) AS (
  SELECT i.inhparent, i.inhrelid FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class r ON r.oid = i.inhparent WHERE r.relkind = 'p'
  UNION ALL
  SELECT p.root, i.inhrelid FROM partitions p JOIN pg_catalog.pg_inherits i ON i.inhparent = p.leaf
)
SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       -- Never analysed (reltuples -1, e.g. just loaded): a rough estimate from the size, ~100 bytes a row.
       -- A partitioned table holds no rows itself: its plain partitions' (at any depth) are counted
       -- (ANALYZE gives a partitioned one the count of the rows under it, which are counted already).
       CASE WHEN c.relkind = 'p' THEN (SELECT sum(CASE WHEN l.reltuples < 0 THEN pg_relation_size(l.oid) / 100 ELSE l.reltuples END)::float8 FROM partitions p JOIN pg_catalog.pg_class l ON l.oid = p.leaf WHERE p.root = c.oid AND l.relkind = 'r')
            WHEN c.reltuples < 0 AND c.relkind IN ('r', 'm') THEN (pg_relation_size(c.oid) / 100)::float8 ELSE c.reltuples::float8 END::text AS tuples,
       -- The heap with its TOAST: what a chunk of rows reads.
       CASE WHEN c.relkind IN ('r', 'm') THEN pg_table_size(c.oid)::text
            WHEN c.relkind = 'p' THEN (SELECT sum(pg_table_size(l.oid)) FROM partitions p JOIN pg_catalog.pg_class l ON l.oid = p.leaf WHERE p.root = c.oid AND l.relkind = 'r')::text END AS bytes,
       obj_description(c.oid, 'pg_class') AS comment, c.relpersistence::text AS persistence,
       -- Row-level security: whether it is on, and the policies (names) it applies.
       c.relrowsecurity::text AS rls, c.relforcerowsecurity::text AS rls_forced, row_security_active(c.oid)::text AS rls_active, (SELECT string_agg(p.polname, ', ' ORDER BY p.polname) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid) AS policies,
       -- Table inheritance (partitions are in pg_inherits too, and are left out on both sides).
       (SELECT string_agg(pn.nspname || '.' || p.relname, ', ' ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
        WHERE i.inhrelid = c.oid AND p.relkind <> 'p') AS inh_parents,
       (SELECT string_agg(kn.nspname || '.' || k.relname, ', ' ORDER BY kn.nspname, k.relname) FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class k ON k.oid = i.inhrelid JOIN pg_catalog.pg_namespace kn ON kn.oid = k.relnamespace
        WHERE i.inhparent = c.oid AND c.relkind <> 'p') AS inh_children
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition AND n.nspname = ANY($1::text[])`;

const COLUMNS_SQL = `
SELECT a.attrelid::text AS rel, a.attnum::text AS num, a.attname AS name,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) ELSE format_type(a.atttypid, a.atttypmod) END AS type,
       a.attnotnull::text AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity,
       a.attgenerated::text AS generated, CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
       col_description(a.attrelid, a.attnum) AS comment, a.atttypid::text AS typid, t.typtype::text AS typtype,
       t.typname AS typname, t.typelem::text AS elemid, et.typtype::text AS elemtyptype, et.typname AS elemtypname,
       (SELECT e.extname FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_extension e ON e.oid = dep.refobjid
         WHERE dep.classid = 'pg_catalog.pg_type'::regclass AND dep.objid = t.oid AND dep.refclassid = 'pg_catalog.pg_extension'::regclass AND dep.deptype = 'e') AS typext,
       -- A domain: where it lives, what its base type is, and its own constraints.
       tn.nspname AS typschema, bt.typtype::text AS basetyptype, t.typnotnull::text AS domnotnull, t.typdefault AS domdefault,
       CASE WHEN t.typtype = 'd' THEN (SELECT json_agg(json_build_object('name', dc.conname, 'def', pg_get_constraintdef(dc.oid)) ORDER BY dc.conname)
         FROM pg_catalog.pg_constraint dc WHERE dc.contypid = t.oid AND dc.contype = 'c')::text END AS domchecks
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd'
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname = ANY($1::text[])
ORDER BY a.attrelid, a.attnum`;

const ENUMS_SQL = `
SELECT e.enumtypid::text AS typid, e.enumlabel AS label
FROM pg_catalog.pg_enum e ORDER BY e.enumtypid, e.enumsortorder`;

const CONSTRAINTS_SQL = `
SELECT co.conrelid::text AS rel, co.conname AS name, co.contype::text AS type,
       array_to_string(co.conkey, ',') AS cols, array_to_string(co.confkey, ',') AS refcols,
       co.confrelid::text AS refrel, rn.nspname AS refschema, rc.relname AS reftable,
       co.confupdtype::text AS onupdate, co.confdeltype::text AS ondelete, pg_get_constraintdef(co.oid) AS def,
       co.condeferrable::text AS deferrable, co.condeferred::text AS deferred, co.confmatchtype::text AS matchtype,
       -- A key's index: its INCLUDE columns follow the key's in indkey; NULLS NOT DISTINCT is PostgreSQL
       -- 15+ (read through to_jsonb, which has no such field on older servers).
       x.indnkeyatts::text AS idxnkeys, array_to_string(x.indkey::int2[], ',') AS idxkeys, to_jsonb(x) ->> 'indnullsnotdistinct' AS nnd,
       -- ON DELETE SET NULL (b): the columns it sets, PostgreSQL 15+ (to_jsonb again: older servers lack the field).
       (SELECT string_agg(n, ',') FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(to_jsonb(co) -> 'confdelsetcols') = 'array' THEN to_jsonb(co) -> 'confdelsetcols' ELSE '[]' END) AS n) AS delsetcols
FROM pg_catalog.pg_constraint co
LEFT JOIN pg_catalog.pg_index x ON x.indexrelid = co.conindid AND co.contype IN ('p', 'u')
JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = co.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND n.nspname = ANY($1::text[])`;

const INDEXES_SQL = `
SELECT i.indrelid::text AS rel, ic.relname AS name, i.indisunique::text AS isunique, am.amname AS method,
       pg_get_expr(i.indpred, i.indrelid) AS pred, array_to_string(i.indkey::int2[], ',') AS keys,
       array_to_string(i.indoption::int2[], ',') AS options, i.indnkeyatts::text AS nkeys, to_jsonb(i) ->> 'indnullsnotdistinct' AS nnd,
       -- Each key column's operator class where it is not its type's default ('' where it is).
       array_to_string(ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname END FROM unnest(i.indclass::oid[]) WITH ORDINALITY AS k(oid, n)
         JOIN pg_catalog.pg_opclass oc ON oc.oid = k.oid ORDER BY k.n), ',') AS opclasses,
       to_json(ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k))::text AS defs
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))`;

const PARTITIONS_SQL = `
-- Each partitioned table of the schemas with the partitions under it, at any depth, parents first:
-- its key (pg_get_partkeydef) and each partition's bound, as the server prints them.
WITH RECURSIVE tree(root, rel, depth) AS (
  SELECT c.oid, c.oid, 0 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'p' AND NOT c.relispartition AND n.nspname = ANY($1::text[])
  UNION ALL
  SELECT t.root, i.inhrelid, t.depth + 1 FROM tree t JOIN pg_catalog.pg_inherits i ON i.inhparent = t.rel
)
SELECT t.root::text AS root, t.depth AS depth, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       p.relname AS parent, rn.nspname AS root_schema,
       CASE WHEN t.depth > 0 THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by
FROM tree t
JOIN pg_catalog.pg_class c ON c.oid = t.rel JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_class r ON r.oid = t.root JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND t.depth > 0
LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
ORDER BY t.root, t.depth, c.relname`;

const POLICIES_SQL = `
SELECT p.polrelid::text AS rel, p.polname AS name, p.polpermissive::text AS permissive, p.polcmd::text AS cmd,
       (SELECT json_agg(r.rolname ORDER BY r.rolname) FROM pg_catalog.pg_roles r WHERE r.oid = ANY(p.polroles)) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[])
ORDER BY p.polname`;

const SEQUENCES_SQL = `
SELECT s.schemaname AS schema, s.sequencename AS name, s.last_value::text AS last, s.data_type::text AS type,
       s.start_value::text AS start, s.increment_by::text AS step, s.min_value::text AS min, s.max_value::text AS max,
       s.cycle::text AS cycle, s.cache_size::text AS cache, o.tab AS owner_table, o.col AS owner_column
FROM pg_catalog.pg_sequences s
-- The column it belongs to: serial (an automatic dependency) or identity (an internal one).
LEFT JOIN LATERAL (
  SELECT t.relname AS tab, a.attname AS col FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
  JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = (quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename))::regclass
    AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
  LIMIT 1
) o ON true
WHERE s.schemaname = ANY($1::text[])`;

/**
 * Views: the query as the server prints it under this session's search_path (kept with it, so
 * that it runs again the same), the options, and what the query reads — relations with the columns
 * (the rewrite rule's dependencies name each column) and the database's own functions.
 */
const VIEWS_SQL = `
SELECT c.oid::text AS oid, pg_catalog.pg_get_viewdef(c.oid, true) AS query, current_setting('search_path') AS search_path,
       c.relkind = 'm' AS materialized, c.relispopulated AS populated,
       (SELECT json_agg(json_build_object('name', ic.relname, 'unique', x.indisunique,
                 'using', substr(pg_catalog.pg_get_indexdef(x.indexrelid), length('CREATE ' || CASE WHEN x.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(ic.relname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname)) + 1))
                 ORDER BY ic.relname)
          FROM pg_catalog.pg_index x JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid) AS indexes,
       (SELECT substr(o, 14) FROM unnest(c.reloptions) o WHERE o LIKE 'check_option=%') AS check_option,
       coalesce((SELECT substr(o, 18) FROM unnest(c.reloptions) o WHERE o LIKE 'security_barrier=%'), 'false') AS security_barrier,
       (SELECT json_agg(json_build_object('schema', rn.nspname, 'name', r.relname, 'columns', coalesce(
                 (SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = r.oid AND a.attnum IN (SELECT d2.refobjsubid FROM pg_catalog.pg_depend d2 JOIN pg_catalog.pg_rewrite w2 ON w2.oid = d2.objid
                                                            WHERE d2.classid = 'pg_catalog.pg_rewrite'::regclass AND w2.ev_class = c.oid AND d2.refobjid = r.oid)), '[]'::json))
                 ORDER BY rn.nspname, r.relname)
          FROM pg_catalog.pg_class r JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
         WHERE r.oid IN (SELECT d.refobjid FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid
                          WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
                            AND w.ev_class = c.oid AND d.refobjid <> c.oid)) AS reads,
       (SELECT json_agg(DISTINCT pn.nspname || '.' || p.proname)
          FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite w ON w.oid = d.objid
          JOIN pg_catalog.pg_proc p ON p.oid = d.refobjid JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
         WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_proc'::regclass AND w.ev_class = c.oid
           AND pn.nspname NOT IN ('pg_catalog', 'information_schema')
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')) AS functions
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[])`;

/**
 * The database's own functions and procedures (no extension's), with their definitions: between
 * PostgreSQL engines they are made on the target. Aggregates and window functions are listed
 * (pg_get_functiondef prints neither).
 */
const ROUTINES_SQL = `
SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS kind,
       pg_catalog.pg_get_function_identity_arguments(p.oid) AS args,
       quote_ident(n.nspname) || '.' || quote_ident(p.proname) AS qualified,
       CASE WHEN p.prokind IN ('f', 'p') THEN pg_catalog.pg_get_functiondef(p.oid) END AS definition,
       l.lanname AS language
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`;

/** Triggers the user made (not the server's for foreign keys), with their definitions and functions. */
const TRIGGERS_SQL = `
SELECT n.nspname AS schema, t.tgname AS name, c.oid::text AS table_oid, pg_catalog.pg_get_triggerdef(t.oid) AS definition,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS table_text, fn.nspname AS function_schema, f.proname AS function_name,
       quote_ident(fn.nspname) || '.' || quote_ident(f.proname) AS function_qualified, quote_ident(f.proname) AS function_bare
FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
WHERE NOT t.tgisinternal AND n.nspname = ANY($1::text[])`;

const ROUTINE_KINDS: Readonly<Record<string, RoutineCatalog['kind']>> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };

function str(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function opt(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

function bool(v: unknown): boolean {
  return v === true || v === 't' || v === 'true';
}

/** Plain code-unit order: deterministic whatever the database's collation. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function action(code: string): ReferentialAction {
  switch (code) {
    case 'r':
      return 'restrict';
    case 'c':
      return 'cascade';
    case 'n':
      return 'set_null';
    case 'd':
      return 'set_default';
    default:
      return 'no_action';
  }
}

const LITERAL = /^'((?:[^']|'')*)'(?:::[a-z_][a-z0-9_ ."]*(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)*$/i;
const NUMERIC_LITERAL = /^\(?(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\)?(?:::[a-z ]+)?$/i;
const NOW = /^(?:now\(\)|CURRENT_TIMESTAMP|LOCALTIMESTAMP|statement_timestamp\(\)|transaction_timestamp\(\))(?:\((\d)\))?(?:::[a-z ]+(?:\(\d\))?[a-z ]*)?$/i;

/** A column default as pg_get_expr prints it, classified. */
export function parsePostgresDefault(sql: string): DefaultValue | undefined {
  const s = sql.trim();
  if (/^NULL(::.*)?$/i.test(s)) return undefined;
  const seq = /^nextval\('((?:[^']|'')+)'(?:::regclass)?\)$/i.exec(s);
  if (seq) return { kind: 'sequence', sequence: seq[1]!.replace(/''/g, "'") };
  const now = NOW.exec(s);
  if (now) return { kind: 'current_timestamp', precision: now[1] === undefined ? undefined : Number(now[1]) };
  if (/^CURRENT_DATE$/i.test(s)) return { kind: 'current_date' };
  const lit = LITERAL.exec(s);
  if (lit) return { kind: 'literal', text: lit[1]!.replace(/''/g, "'") };
  const num = NUMERIC_LITERAL.exec(s);
  if (num) return { kind: 'literal', text: num[1]! };
  if (/^(true|false)$/i.test(s)) return { kind: 'literal', text: s.toLowerCase() };
  return { kind: 'expression', sql: s };
}

function nativeOfColumn(r: Record<string, unknown>, enums: ReadonlyMap<string, readonly string[]>): NativeType {
  const typeText = str(r.type);
  if (str(r.typtype) === 'e') return enumNative(str(r.typname), enums.get(str(r.typid)) ?? []);
  if (str(r.elemtyptype) === 'e') {
    const element = enumNative(str(r.elemtypname), enums.get(str(r.elemid)) ?? []);
    return { name: `${element.name}[]`, params: [], unsigned: false, text: `${element.text}[]`, element };
  }
  return parsePostgresType(typeText) ?? { name: typeText, params: [], unsigned: false, text: typeText };
}

/**
 * The domain a column is declared with, when its base is a plain type this engine knows (a domain
 * over an enum or another domain is read as its base type, as before, and said by DMS3445). A
 * domain over an array is listed only (DomainCatalog.listedOnly): the column is created as the
 * array, and the plan says which of its rules are left behind.
 */
function domainOfColumn(r: Record<string, unknown>, base: NativeType): { domain?: DomainCatalog } {
  if (str(r.typtype) !== 'd' || str(r.basetyptype) !== 'b') return {};
  const overArray = base.element !== undefined;
  if (!overArray && parsePostgresType(base.text) === undefined) return {};
  const checks = (JSON.parse(opt(r.domchecks) ?? '[]') as { name: string; def: string }[]).map((c) => {
    const m = /^CHECK \(([\s\S]*)\)(?: NOT VALID)?$/.exec(c.def);
    return { name: c.name, expression: m ? m[1]! : c.def };
  });
  return { domain: { schema: str(r.typschema), name: str(r.typname), notNull: bool(r.domnotnull), default: opt(r.domdefault), checks, ...(overArray ? { listedOnly: true } : {}) } };
}

interface Relation {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: string;
  readonly tuples: number;
  readonly bytes: number | undefined;
  readonly comment: string | undefined;
  readonly inheritance: TableCatalog['inheritance'];
  readonly rowSecurity: TableCatalog['rowSecurity'];
  readonly unlogged: boolean;
}

/** Row-level security that is on, or policies written for it; neither → undefined. */
function rowSecurityOf(r: Record<string, unknown>, definitions: readonly PolicyCatalog[] | undefined): TableCatalog['rowSecurity'] {
  const policies = opt(r.policies)?.split(', ') ?? [];
  if (!bool(r.rls) && !policies.length) return undefined;
  return {
    enabled: bool(r.rls),
    policies,
    ...(bool(r.rls_active) ? { hidesRows: true } : {}),
    ...(bool(r.rls_forced) ? { forced: true } : {}),
    ...(definitions?.length ? { definitions } : {}),
  };
}

const POLICY_COMMANDS: Readonly<Record<string, PolicyCatalog['command']>> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

/** Each table's policies (by oid), as CREATE POLICY takes them. */
function policiesByTable(rows: readonly Record<string, unknown>[]): Map<string, PolicyCatalog[]> {
  const out = new Map<string, PolicyCatalog[]>();
  for (const r of rows) {
    const roles = r.roles === null || r.roles === undefined ? [] : ((typeof r.roles === 'string' ? JSON.parse(r.roles) : r.roles) as string[]);
    const using = opt(r.using_expr);
    const check = opt(r.check_expr);
    const policy: PolicyCatalog = {
      name: str(r.name),
      permissive: bool(r.permissive),
      command: POLICY_COMMANDS[str(r.cmd)] ?? 'all',
      roles,
      ...(using !== undefined ? { using } : {}),
      ...(check !== undefined ? { check } : {}),
    };
    out.set(str(r.rel), [...(out.get(str(r.rel)) ?? []), policy]);
  }
  return out;
}

/** `a.b, c.d` (string_agg) → the list; none on either side → undefined. */
/** `schema.name`, `"Odd.Name"` … as regclass prints a name: its unquoted parts. */
function splitQualifiedName(text: string): string[] {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^."]+)/g;
  for (const m of text.matchAll(re)) parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  return parts;
}

function sequenceOf(r: Record<string, unknown>): SequenceCatalog {
  const ownerTable = opt(r.owner_table);
  const ownerColumn = opt(r.owner_column);
  return {
    schema: str(r.schema),
    name: str(r.name),
    lastValue: opt(r.last),
    definition: { dataType: str(r.type), start: str(r.start), increment: str(r.step), min: str(r.min), max: str(r.max), cycle: bool(r.cycle), cache: str(r.cache) },
    ...(ownerTable !== undefined && ownerColumn !== undefined ? { ownedBy: { table: ownerTable, column: ownerColumn } } : {}),
  };
}

function viewDefinitionOf(r: Record<string, unknown>): ViewDefinition {
  const json = <T>(v: unknown): T[] => (v === null || v === undefined ? [] : ((typeof v === 'string' ? JSON.parse(v) : v) as T[]));
  const check = opt(r.check_option);
  return {
    query: str(r.query).trim().replace(/;$/, ''),
    searchPath: str(r.search_path),
    checkOption: check === 'local' || check === 'cascaded' ? check : undefined,
    securityBarrier: str(r.security_barrier) === 'true',
    reads: json<{ schema: string; name: string; columns: string[] }>(r.reads).map((x) => ({ schema: x.schema, name: x.name, columns: x.columns })),
    functions: json<string>(r.functions).sort(),
    ...(bool(r.materialized)
      ? { materialized: true, populated: bool(r.populated), indexes: json<{ name: string; unique: boolean; using: string }>(r.indexes).map((x) => ({ name: x.name, unique: x.unique, using: x.using })) }
      : {}),
  };
}

/**
 * Per partitioned table (by oid): its `PARTITION BY` and its partitions, when every partition is a
 * plain or partitioned table in the table's own schema — what a PostgreSQL target can make again
 * beside it. Otherwise nothing, and the table is copied as one plain table (DMS3436).
 */
function partitioningOf(rows: readonly Record<string, unknown>[]): Map<string, Pick<TableCatalog, 'partitionClause' | 'partitions' | 'partitioningNotKept'>> {
  const byRoot = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) byRoot.set(str(r.root), [...(byRoot.get(str(r.root)) ?? []), r]);
  const out = new Map<string, Pick<TableCatalog, 'partitionClause' | 'partitions' | 'partitioningNotKept'>>();
  for (const [root, list] of byRoot) {
    const [top, ...under] = list;
    if (!top || opt(top.partition_by) === undefined) continue;
    const foreign = under.find((r) => str(r.kind) !== 'r' && str(r.kind) !== 'p');
    const elsewhere = under.find((r) => str(r.schema) !== str(r.root_schema));
    const unkept = foreign ? `its partition ${str(foreign.schema)}.${str(foreign.name)} is a foreign table` : elsewhere ? `its partition ${str(elsewhere.schema)}.${str(elsewhere.name)} is in another schema` : undefined;
    if (unkept !== undefined) {
      out.set(root, { partitioningNotKept: unkept });
      continue;
    }
    const partitions: PartitionCatalog[] = under.map((r) => {
      const by = opt(r.partition_by);
      return { name: str(r.name), parent: str(r.parent), bound: str(r.bound), ...(by !== undefined ? { partitionBy: `PARTITION BY ${by}` } : {}) };
    });
    out.set(root, { partitionClause: `PARTITION BY ${str(top.partition_by)}`, partitions });
  }
  return out;
}

function inheritanceOf(r: Record<string, unknown>): TableCatalog['inheritance'] {
  const list = (v: unknown): string[] => (v === null || v === undefined || v === '' ? [] : String(v).split(', '));
  const parents = list(r.inh_parents);
  const children = list(r.inh_children);
  return parents.length || children.length ? { parents, children } : undefined;
}

export async function introspectPostgres(anyQuery: CatalogQuery, engine: EngineName, schemasWanted: readonly string[] | undefined): Promise<Catalog> {
  const gate = atMost(INTROSPECTION_QUERIES_AT_ONCE);
  const query: CatalogQuery = (sql, params) => gate(() => anyQuery(sql, params));
  const [meta] = await query(`SELECT current_database() AS db, current_setting('server_version') AS version, current_setting('server_encoding') AS encoding`);
  const schemas = (await query(SCHEMAS_SQL, [schemasWanted ? [...schemasWanted] : null])).map((r) => str(r.name)).sort(byText);
  const [relRows, colRows, enumRows, conRows, idxRows, seqRows, routineRows, triggerRows, collationRows, typeRows, functionRows, viewRows, partitionRows, policyRows, roleRows] = await Promise.all([
    query(RELATIONS_SQL, [schemas]),
    query(COLUMNS_SQL, [schemas]),
    query(ENUMS_SQL),
    query(CONSTRAINTS_SQL, [schemas]),
    query(INDEXES_SQL, [schemas]),
    query(SEQUENCES_SQL, [schemas]),
    query(ROUTINES_SQL, [schemas]),
    query(TRIGGERS_SQL, [schemas]),
    query('SELECT DISTINCT collname FROM pg_catalog.pg_collation'),
    query('SELECT DISTINCT typname FROM pg_catalog.pg_type'),
    query(`SELECT DISTINCT p.proname AS name, e.extname AS ext FROM pg_catalog.pg_proc p
           LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
           LEFT JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
           WHERE p.pronamespace <> 'pg_catalog'::regnamespace AND p.pronamespace <> 'information_schema'::regnamespace
           UNION
           SELECT oc.opcname, e.extname FROM pg_catalog.pg_opclass oc
           LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_opclass'::regclass AND d.objid = oc.oid AND d.deptype = 'e'
           LEFT JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
           WHERE oc.opcnamespace <> 'pg_catalog'::regnamespace`),
    query(VIEWS_SQL, [schemas]),
    query(PARTITIONS_SQL, [schemas]),
    query(POLICIES_SQL, [schemas]),
    query('SELECT rolname FROM pg_catalog.pg_roles'),
  ]);
  const policies = policiesByTable(policyRows);
  const partitioning = partitioningOf(partitionRows);

  const enums = new Map<string, string[]>();
  for (const r of enumRows) {
    const list = enums.get(str(r.typid)) ?? [];
    list.push(str(r.label));
    enums.set(str(r.typid), list);
  }

  const views = new Map<string, ViewDefinition>();
  for (const r of viewRows) views.set(str(r.oid), viewDefinitionOf(r));

  const relations = new Map<string, Relation>();
  for (const r of relRows) {
    const tuples = Number(r.tuples);
    relations.set(str(r.oid), { oid: str(r.oid), schema: str(r.schema), name: str(r.name), kind: str(r.kind), tuples: tuples > 0 ? Math.round(tuples) : 0, bytes: Number(r.bytes) > 0 ? Number(r.bytes) : undefined, comment: opt(r.comment), inheritance: inheritanceOf(r), rowSecurity: rowSecurityOf(r, policies.get(str(r.oid))), unlogged: str(r.persistence) === 'u' });
  }

  const sequences: SequenceCatalog[] = seqRows.map(sequenceOf);
  /** The sequence a default's nextval names: qualified, or found in the table's schema, then public (the search path). */
  const findSequence = (text: string, tableSchema: string): SequenceCatalog | undefined => {
    const parts = splitQualifiedName(text);
    const [schemas, name] = parts.length > 1 ? [[parts[0]!], parts[1]!] : [[tableSchema, 'public'], parts[0]!];
    for (const schema of schemas) {
      const found = sequences.find((q) => q.schema === schema && q.name === name);
      if (found) return found;
    }
    return undefined;
  };

  const columns = new Map<string, ColumnCatalog[]>();
  const attnames = new Map<string, string>(); // `${rel}:${attnum}` → name
  for (const r of colRows) {
    const rel = str(r.rel);
    attnames.set(`${rel}:${str(r.num)}`, str(r.name));
    const nativeType = nativeOfColumn(r, enums);
    const defText = opt(r.def);
    const identityCode = str(r.identity);
    const generatedCode = str(r.generated);
    let def: DefaultValue | undefined;
    let identity: ColumnCatalog['identity'];
    let generated: ColumnCatalog['generated'];
    if (generatedCode === 's' || generatedCode === 'v') generated = { expression: defText ?? '', stored: generatedCode === 's' };
    else if (identityCode === 'a' || identityCode === 'd') identity = { kind: identityCode === 'a' ? 'always' : 'by_default' };
    else if (defText !== undefined) {
      def = parsePostgresDefault(defText);
      if (def?.kind === 'sequence') {
        identity = { kind: 'serial' };
        // A sequence this column does not own (shared with other columns, or made on its own).
        const relation = relations.get(rel);
        const sequence = relation ? findSequence(def.sequence, relation.schema) : undefined;
        if (sequence && !(sequence.ownedBy?.table === relation?.name && sequence.ownedBy?.column === str(r.name))) def = { ...def, shared: sequence };
      }
    }
    const list = columns.get(rel) ?? [];
    list.push({
      name: str(r.name),
      ordinal: list.length + 1,
      nativeType,
      logical: postgresToLogical(nativeType),
      nullable: !bool(r.notnull),
      default: def,
      identity,
      generated,
      onUpdateCurrentTimestamp: false,
      collation: opt(r.collation),
      charset: undefined,
      comment: opt(r.comment),
      ...domainOfColumn(r, nativeType),
      ...(opt(r.typext) !== undefined ? { typeExtension: str(r.typext) } : {}),
    });
    columns.set(rel, list);
  }
  const names = (rel: string, nums: string): string[] => (nums === '' ? [] : nums.split(',').map((n) => attnames.get(`${rel}:${n}`) ?? `#${n}`));
  /** The INCLUDE columns of an index: its attribute numbers after the first `keyCount`. */
  const included = (rel: string, nums: string, keyCount: number): { include?: readonly string[] } => {
    const rest = nums === '' || !(keyCount > 0) ? [] : nums.split(',').slice(keyCount);
    return rest.length ? { include: names(rel, rest.join(',')) } : {};
  };

  const primaryKeys = new Map<string, KeyCatalog>();
  const uniqueKeys = new Map<string, KeyCatalog[]>();
  const foreignKeys = new Map<string, ForeignKeyCatalog[]>();
  const checks = new Map<string, CheckCatalog[]>();
  const exclusions = new Map<string, CheckCatalog[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key) ?? [];
    list.push(value);
    map.set(key, list);
  };
  for (const r of conRows) {
    const rel = str(r.rel);
    const name = str(r.name);
    const deferrable: { deferrable?: Deferrable } = bool(r.deferrable) ? { deferrable: bool(r.deferred) ? 'initially_deferred' : 'initially_immediate' } : {};
    switch (str(r.type)) {
      case 'p':
        primaryKeys.set(rel, { name, columns: names(rel, str(r.cols)), ...deferrable, ...included(rel, str(r.idxkeys), Number(r.idxnkeys)) });
        break;
      case 'u':
        push(uniqueKeys, rel, { name, columns: names(rel, str(r.cols)), ...deferrable, ...included(rel, str(r.idxkeys), Number(r.idxnkeys)), ...(bool(r.nnd) ? { nullsNotDistinct: true } : {}) });
        break;
      case 'f':
        push(foreignKeys, rel, {
          name,
          columns: names(rel, str(r.cols)),
          referencedSchema: str(r.refschema),
          referencedTable: str(r.reftable),
          referencedColumns: names(str(r.refrel), str(r.refcols)),
          onDelete: action(str(r.ondelete)),
          onUpdate: action(str(r.onupdate)),
          ...deferrable,
          ...(str(r.matchtype) === 'f' ? { matchFull: true } : {}),
          ...(str(r.delsetcols) !== '' ? { onDeleteColumns: names(rel, str(r.delsetcols)) } : {}),
        });
        break;
      case 'c': {
        const m = /^CHECK \(([\s\S]*)\)(?: NOT VALID)?$/.exec(str(r.def));
        push(checks, rel, { name, expression: m ? m[1]! : str(r.def) });
        break;
      }
      case 'x':
        push(exclusions, rel, { name, expression: str(r.def) });
        break;
      default:
        break;
    }
  }

  const indexes = new Map<string, IndexCatalog[]>();
  for (const r of idxRows) {
    const rel = str(r.rel);
    const keys = str(r.keys).split(',');
    const options = str(r.options).split(',');
    const defs = JSON.parse(str(r.defs) || '[]') as string[];
    const opclasses = str(r.opclasses).split(',');
    const parts = defs.map((def, k) => {
      const attnum = keys[k] ?? '0';
      const descending = (Number(options[k] ?? 0) & 1) === 1;
      const opclass = opclasses[k] ? { opclass: opclasses[k]! } : {};
      return attnum !== '0' ? { column: attnames.get(`${rel}:${attnum}`) ?? def, descending, ...opclass } : { expression: def, descending };
    });
    push(indexes, rel, {
      name: str(r.name),
      unique: bool(r.isunique),
      parts,
      where: opt(r.pred),
      method: str(r.method).toLowerCase(),
      ...included(rel, str(r.keys), Number(r.nkeys)),
      ...(bool(r.nnd) ? { nullsNotDistinct: true } : {}),
    });
  }

  const bySchemaName = (a: { schema: string; name: string }, b: { schema: string; name: string }): number => byText(a.schema, b.schema) || byText(a.name, b.name);
  const triggers = new Map<string, TriggerCatalog[]>();
  for (const r of triggerRows) {
    const list = triggers.get(str(r.table_oid)) ?? [];
    list.push({ name: str(r.name), definition: str(r.definition), tableText: str(r.table_text), function: { schema: str(r.function_schema), name: str(r.function_name), qualifiedText: str(r.function_qualified), nameText: str(r.function_bare) } });
    triggers.set(str(r.table_oid), list);
  }
  const tables: TableCatalog[] = [];
  const others: OtherObjectCatalog[] = [];
  for (const rel of relations.values()) {
    if (rel.kind === 'v' || rel.kind === 'm') {
      // A view is a table of kind 'view' with its columns and no keys (like MySQL's): a map skips
      // it unless it says `views = include`, which copies its rows into a table, or `views =
      // recreate`, which makes it again from its definition. A materialized view too (its
      // definition says so, with its indexes).
      const definition = views.get(rel.oid);
      tables.push({
        ...(definition ? { view: definition } : {}),
        schema: rel.schema,
        name: rel.name,
        kind: 'view',
        columns: columns.get(rel.oid) ?? [],
        primaryKey: undefined,
        uniqueKeys: [],
        indexes: [],
        foreignKeys: [],
        checks: [],
        rowEstimate: Math.max(rel.tuples, 0),
        comment: rel.comment,
      });
      continue;
    }
    const byName = <T extends { readonly name: string }>(list: readonly T[] | undefined): T[] => [...(list ?? [])].sort((a, b) => byText(a.name, b.name));
    tables.push({
      schema: rel.schema,
      name: rel.name,
      kind: 'table',
      columns: columns.get(rel.oid) ?? [],
      primaryKey: primaryKeys.get(rel.oid),
      uniqueKeys: byName(uniqueKeys.get(rel.oid)),
      indexes: byName(indexes.get(rel.oid)),
      foreignKeys: byName(foreignKeys.get(rel.oid)),
      checks: byName(checks.get(rel.oid)),
      rowEstimate: rel.tuples,
      bytesEstimate: rel.bytes,
      comment: rel.comment,
      ...(rel.kind === 'p' ? { partitioned: true, ...partitioning.get(rel.oid) } : {}),
      ...(rel.inheritance ? { inheritance: rel.inheritance } : {}),
      ...(exclusions.has(rel.oid) ? { exclusions: byName(exclusions.get(rel.oid)) } : {}),
      ...(rel.rowSecurity ? { rowSecurity: rel.rowSecurity } : {}),
      ...(rel.unlogged ? { unlogged: true as const } : {}),
      ...(triggers.has(rel.oid) ? { triggers: byName(triggers.get(rel.oid)) } : {}),
    });
  }
  const routines: RoutineCatalog[] = [];
  for (const r of routineRows) {
    const kind = ROUTINE_KINDS[str(r.kind)];
    if (!kind) continue;
    others.push({ schema: str(r.schema), name: str(r.name), kind: kind === 'procedure' ? 'procedure' : 'function' });
    routines.push({ schema: str(r.schema), name: str(r.name), args: str(r.args), kind, qualifiedName: str(r.qualified), language: str(r.language), ...(opt(r.definition) !== undefined ? { definition: str(r.definition) } : {}) });
  }
  for (const r of triggerRows) others.push({ schema: str(r.schema), name: str(r.name), kind: 'trigger' });
  routines.sort((a, b) => bySchemaName(a, b) || byText(a.args, b.args));

  tables.sort(bySchemaName);
  sequences.sort(bySchemaName);
  others.sort((a, b) => bySchemaName(a, b) || byText(a.kind, b.kind));

  return {
    engine,
    database: str(meta?.db),
    serverVersion: str(meta?.version),
    encoding: str(meta?.encoding),
    schemas,
    tables,
    sequences,
    others,
    collations: collationRows.map((r) => str(r.collname)).sort(byText),
    typeNames: typeRows.map((r) => str(r.typname)).sort(byText),
    functions: functionRows.map((r) => ({ name: str(r.name), ...(opt(r.ext) !== undefined ? { extension: str(r.ext) } : {}) })).sort((a, b) => byText(a.name, b.name)),
    roles: roleRows.map((r) => str(r.rolname)).sort(byText),
    routines,
  };
}
