/**
 * Between PostgreSQL engines (PostgreSQL, PGlite) the source database's own functions and
 * procedures go with the schemas a map copies: made on the target before its tables, whose
 * defaults, checks, generated columns and index expressions may call them. A copied table's
 * triggers are made on its target table once its rows are loaded (they would fire on every copied
 * row before). Extensions' functions stay the extension's (DMS3447 names it); aggregates and window
 * functions, which pg_get_functiondef does not print, are listed, not made (DMS3462).
 */
import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineModule, TargetTableDef } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import type { MapIR, MigrationIR, PlanIR } from '../ir/ir.js';
import type { Catalog, RoutineCatalog, TableCatalog } from '../schema/catalog.js';
import type { CheckedPlan, RoutineMapping, TriggerMapping } from './checked-plan.js';
import { applyNaming, effectiveNaming } from './naming.js';
import { matchesName } from './patterns.js';
import { sameDialect } from './target-table.js';

type NotMigrated = CheckedPlan['notMigrated'][number];

/** Whether a map from `source` to `target` makes the source's routines and triggers there. */
export function carriesRoutines(source: EngineModule, target: EngineModule, catalog: Catalog): boolean {
  return sameDialect(source, target) && target.dialect.createRoutine !== undefined && target.dialect.createTrigger !== undefined && catalog.routines !== undefined;
}

/** The routines every map carries, once each, with those it cannot carry listed (and said). */
export function carryRoutines(ir: PlanIR, catalogs: ReadonlyMap<string, Catalog>, diagnostics: Diagnostic[]): { readonly routines: readonly RoutineMapping[]; readonly notMigrated: readonly NotMigrated[] } {
  const routines: RoutineMapping[] = [];
  const notMigrated: NotMigrated[] = [];
  for (const mapAsWritten of ir.maps) {
    const sourceEndpoint = ir.endpoints.find((e) => e.name === mapAsWritten.source.endpoint);
    const targetEndpoint = ir.endpoints.find((e) => e.name === mapAsWritten.target.endpoint);
    const catalog = sourceEndpoint ? catalogs.get(sourceEndpoint.name) : undefined;
    const source = sourceEndpoint ? findEngine(sourceEndpoint.engine) : undefined;
    const target = targetEndpoint ? findEngine(targetEndpoint.engine) : undefined;
    if (!sourceEndpoint || !targetEndpoint || !catalog || !source || !target || !target.capabilities.canBeTarget) continue;
    if (!carriesRoutines(source, target, catalog)) continue;
    const map = effectiveNaming(mapAsWritten, source, target);
    for (const routine of catalog.routines ?? []) {
      if (!matchesName(map.source.schema, routine.schema)) continue;
      const schema = targetSchemaOf(map, routine.schema);
      const what = `${routine.schema}.${routine.name}(${routine.args})`;
      if (routine.definition === undefined) {
        if (notMigrated.some((n) => n.endpoint === sourceEndpoint.name && n.schema === routine.schema && n.name === routine.name)) continue;
        diagnostics.push(warning('DMS3462', `${routine.kind} function ${what} is not made on ${targetEndpoint.name}: aggregates and window functions are not migrated`, map.span, `create it on the target by hand (CREATE AGGREGATE …; \\df+ ${routine.name} in psql on the source shows it)`));
        notMigrated.push({ endpoint: sourceEndpoint.name, schema: routine.schema, name: routine.name, kind: 'function', reason: `${routine.kind} function: not migrated (create it on the target by hand)` });
        continue;
      }
      const unmade = whyNotCarried(routine);
      if (unmade !== undefined) {
        if (notMigrated.some((n) => n.endpoint === sourceEndpoint.name && n.schema === routine.schema && n.name === routine.name)) continue;
        diagnostics.push(warning('DMS3462', `${routine.kind} ${what} is not made on ${targetEndpoint.name}: ${unmade}`, map.span, `create it on the target by hand once the apply is done (\\sf ${routine.name} in psql on the source prints it)`));
        notMigrated.push({ endpoint: sourceEndpoint.name, schema: routine.schema, name: routine.name, kind: 'function', reason: `not made: ${unmade}` });
        continue;
      }
      const id = `${sourceEndpoint.name}.${what} -> ${targetEndpoint.name}.${schema}.${routine.name}`;
      if (routines.some((r) => r.id === id)) continue;
      routines.push({ id, source: { endpoint: sourceEndpoint.name, schema: routine.schema, name: routine.name, args: routine.args }, target: { endpoint: targetEndpoint.name, schema }, routine });
    }
  }
  return { routines, notMigrated };
}

/**
 * Why a function or procedure with a definition is still not made, if it is not. Every table of the
 * target waits for the functions the plan makes, so one that fails to be made would hold back the
 * whole load: only what can be made before the tables, on any PostgreSQL, is carried.
 * - A language other than SQL and PL/pgSQL (C, PL/Python…) may not exist on the target, and a C
 *   function names a library of the source server.
 * - An SQL-standard body (`RETURN …`, `BEGIN ATOMIC … END`, PostgreSQL 14+) is parsed, and what it
 *   reads looked up, when it is made, even with check_function_bodies off: before the tables it reads.
 */
export function whyNotCarried(routine: RoutineCatalog): string | undefined {
  if (routine.language !== undefined && routine.language !== 'sql' && routine.language !== 'plpgsql') return `it is written in ${routine.language}, which the target may not have`;
  if (routine.language === 'sql' && routine.definition !== undefined && /\n(?:RETURN |BEGIN ATOMIC\n)/.test(routine.definition) && !/\nAS \$/.test(routine.definition)) {
    return 'its SQL-standard body (RETURN or BEGIN ATOMIC) is checked when it is made, before the tables it may read exist';
  }
  return undefined;
}

/** Where a map puts what stands in a source schema. */
function targetSchemaOf(map: MapIR, schema: string): string {
  return map.target.schema === '*' ? applyNaming(map.naming, schema) : map.target.schema;
}

export interface TriggerInput {
  readonly table: TableCatalog;
  readonly map: MapIR;
  readonly migration: MigrationIR;
  readonly sourceEndpoint: string;
  readonly targetEndpoint: string;
  readonly targetCatalog: Catalog | undefined;
  readonly routines: readonly RoutineMapping[];
  /** Every column keeps its name and none is dropped: a trigger's function and WHEN name columns. */
  readonly namesKept: boolean;
}

/** The table's triggers to make on its target table; each that cannot be is listed and said (DMS3462). */
export function carryTriggers(input: TriggerInput, notMigrated: NotMigrated[], diagnostics: Diagnostic[]): readonly TriggerMapping[] {
  const { table, map } = input;
  const carried: TriggerMapping[] = [];
  for (const trigger of table.triggers ?? []) {
    const notMade = (reason: string, hint: string) => {
      diagnostics.push(warning('DMS3462', `trigger ${trigger.name} of ${table.schema}.${table.name} is not made on ${input.targetEndpoint}: ${reason}`, map.span, hint));
      notMigrated.push({ endpoint: input.sourceEndpoint, schema: table.schema, name: trigger.name, kind: 'trigger', reason: `not made: ${reason}` });
    };
    if (input.migration.mode !== 'full_load') {
      notMade('changes are followed after the load, and a trigger on the target would fire again on each change applied there', 'create it on the target when the application moves there (its definition: \\d in psql on the source)');
      continue;
    }
    if (!input.namesKept) {
      notMade('a column of the table is renamed or dropped, and a trigger and its function name columns', 'create it on the target by hand once the table is loaded');
      continue;
    }
    const fn = trigger.function;
    const made = input.routines.find((r) => r.source.endpoint === input.sourceEndpoint && r.target.endpoint === input.targetEndpoint && r.source.schema === fn.schema && r.source.name === fn.name);
    const onTarget = input.targetCatalog?.routines?.some((r) => r.schema === fn.schema && r.name === fn.name) ?? false;
    if (!made && !onTarget) {
      notMade(`its function ${fn.schema}.${fn.name}() is in a schema the plan does not map, and the target lacks it`, `map schema ${fn.schema} too, or create ${fn.schema}.${fn.name}() on the target, then plan again`);
      continue;
    }
    carried.push({ trigger, functionSchema: made ? made.target.schema : fn.schema });
  }
  return carried;
}

/** `schema.name(` in engine SQL: each part an identifier, bare or double-quoted. */
const QUALIFIED_CALL = /(?<![\w$."])("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\.("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)(\s*\()/g;

function unquote(part: string): string {
  return part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase();
}

/**
 * Engine SQL (a default, check, generated column or index expression) calling a function the plan
 * makes in a schema the map renames: the call names the target's schema, as pg_get_expr names the
 * source's (`app.make_id()` → `"shop".make_id()`).
 */
export function retargetCalls(sql: string, schemaOf: (schema: string, name: string) => string | undefined): string {
  return sql.replace(QUALIFIED_CALL, (whole, schema: string, name: string, open: string) => {
    const target = schemaOf(unquote(schema), unquote(name));
    return target === undefined || target === unquote(schema) ? whole : `"${target.replace(/"/g, '""')}".${name}${open}`;
  });
}

/** A table definition whose carried SQL calls the plan's functions where the plan makes them. */
export function retargetTableCalls(def: TargetTableDef, schemaOf: (schema: string, name: string) => string | undefined): TargetTableDef {
  const sql = (text: string) => retargetCalls(text, schemaOf);
  return {
    ...def,
    columns: def.columns.map((c) => ({
      ...c,
      default: c.default?.kind === 'expression' ? { kind: 'expression', sql: sql(c.default.sql) } : c.default,
      generated: c.generated ? { ...c.generated, expression: sql(c.generated.expression) } : undefined,
      ...(c.domain ? { domain: { ...c.domain, default: c.domain.default === undefined ? undefined : sql(c.domain.default), checks: c.domain.checks.map((k) => ({ ...k, expression: sql(k.expression) })) } } : {}),
    })),
    checks: def.checks.map((c) => ({ ...c, expression: sql(c.expression) })),
    indexes: def.indexes.map((ix) => ({ ...ix, where: ix.where === undefined ? undefined : sql(ix.where), parts: ix.parts.map((p) => (p.expression === undefined ? p : { ...p, expression: sql(p.expression) })) })),
  };
}
