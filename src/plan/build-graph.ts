/**
 * Planner: CheckedPlan × what the target already holds → ExecutionGraph. Pure.
 *
 * Order per table: (drop | truncate)? → create types → create table (without secondary indexes or
 * foreign keys) → copy → primary key, unique keys, indexes (as soon as its own copy ends) →
 * foreign keys (once both tables' keys exist) → identity reset → validation.
 */
import { planViews } from './view-steps.js';
import { schemaStepFor } from './schema-step.js';
import { planSequences } from './sequence-steps.js';
import { planRoutines, planTriggers } from './routine-steps.js';
import { targetTableKey } from '../check/target-names.js';
import { error, warning, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { foreignKeyChange } from './foreign-key-change.js';
import type { CheckedPlan, TableMapping } from '../check/checked-plan.js';
import { sourceTableName } from '../check/checked-plan.js';
import type { EngineModule } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import type { Catalog, TableCatalog } from '../schema/catalog.js';
import { canonicalJson, fingerprint, graphFingerprint } from './fingerprint.js';
import { PLAN_FORMAT, targetTableRef, type ExecutionGraph, type MergeReport, type PlanSummary, type Step, type StepKind } from './graph.js';
import { stronglyConnected } from './strongly-connected.js';
import { catalogTableFingerprints, findTargetTable, tableKey, type TargetState } from './target-state.js';
import { checkPartitionDrift } from './partition-drift.js';

export interface BuildGraphInput {
  readonly checked: CheckedPlan;
  readonly planFile: string;
  readonly toolVersion: string;
  /** Target endpoint name → its state. */
  readonly targets: ReadonlyMap<string, TargetState>;
  /** Source endpoint name → catalog (fingerprinted for stale-plan detection). */
  readonly sources: ReadonlyMap<string, Catalog>;
  /** What was found out about each merge's keys (read from the sources before planning). */
  readonly merges: readonly MergeReport[];
}

export function buildGraph(input: BuildGraphInput): Result<ExecutionGraph> {
  const diagnostics: Diagnostic[] = [];
  const steps: Step[] = [];
  const counts = { create: 0, drop: 0, truncate: 0, load: 0, rows: 0, pk: 0, uk: 0, ix: 0, fk: 0, unchanged: 0 };
  /** Mapping id → the step after which the table's keys exist (for FK dependencies). */
  const keysReady = new Map<string, readonly string[]>();
  const deferredForeignKeys: (() => void)[] = [];
  /** Row-level security steps wait for every foreign key of the target, planned after them. */
  const deferredRowSecurity: (() => void)[] = [];
  /** Surrogate merge name → its key map step in this graph (absent once done and nothing is left to copy). */
  const keyMapSteps = new Map<string, string>();
  // First in the listing: the tables' defaults and checks may call them.
  const routinesMade = planRoutines(input.checked, input.targets, steps);

  for (const group of groupByTarget(input.checked, input.checked.tables)) {
    const table = group[0]!;
    const engine = findEngine(engineOfEndpoint(input.checked, table.target.endpoint));
    const state = input.targets.get(table.target.endpoint);
    if (!engine || !state) continue;
    const d = engine.dialect;
    const qname = { schema: table.target.schema, name: table.target.table };
    const existing = findTargetTable(state.catalog, table.target.schema, table.target.table);
    if (existing) checkPartitionDrift(table, existing, engine, diagnostics);
    const members = group.map((m) => {
      const copyFingerprint = copyStepFingerprint(m);
      const loaded = existing !== undefined && state.completedSteps.has(copyFingerprint);
      const started = existing !== undefined && state.startedCopies.has(copyFingerprint);
      // Copied by an earlier version of the plan (another tag, offset or source type): the table
      // holds this source's rows as they were copied then, and nothing tells them apart.
      const copiedBefore = existing !== undefined && !loaded && !started && state.recordedStepIds.has(stepId('copy', table, '', m));
      return { mapping: m, copyFingerprint, loaded, started, copiedBefore };
    });
    const add: AddStep = (kind, sql, dependsOn, summary, fp, member, extra) => {
      const owner = member ?? table;
      const id = stepId(kind, table, summary, member);
      steps.push({
        id,
        kind,
        endpoint: table.target.endpoint,
        table: owner.id,
        sql,
        dependsOn: dependsOn.filter((x): x is string => x !== undefined),
        fingerprint: fp ?? fingerprint({ kind, sql, table: owner.id }),
        summary,
        ...extra,
      });
      return id;
    };

    if (members.every((m) => m.loaded)) {
      counts.unchanged++;
      keysReady.set(table.id, []);
      // A run stopped between a copy and its validation: the validation is still to do.
      const level = input.checked.migration.validate;
      if (level !== 'none' && input.checked.migration.mode === 'full_load') {
        for (const m of members) if (!state.completedSteps.has(fingerprint({ kind: 'validate', sql: [], table: m.mapping.id }))) add('validate', [], [], level, undefined, m.mapping);
      }
      // A run stopped after the copies but before the identity reset (or a sequence's): still to do.
      const resetDone = (summary: string) => state.recordedStepIds.has(stepId('reset_identity', table, summary, undefined));
      planMissingKeys(table, existing, engine, add, counts, keysReady, deferredForeignKeys, input, [], resetDone, diagnostics);
      deferredRowSecurity.push(() => planRowSecurity(table, group, existing, engine, add, steps));
      continue;
    }

    // Steps that make the table afresh are filed under the copies they make it for: their record
    // says "made afresh for these rows", and a later version of the plan (another filter, other
    // columns) empties or remakes the table again instead of trusting a record of the earlier one.
    const remakeFingerprint = (kind: StepKind, sql: readonly string[]) => fingerprint({ kind, sql, table: table.id, loads: members.map((m) => m.copyFingerprint) });
    let ready: string | undefined;
    const schemaStep = schemaStepFor(engine, state, table.target.endpoint, table.target.schema, steps);

    let createTable = existing === undefined;
    /** Truncated by this plan: every member copies, also those an earlier run loaded. */
    let emptied = false;
    // Rows some member already wrote (a resumed copy, or the other sources of a merge) are never
    // wiped by the target's preparation: only a table none of this plan's copies touched is — or
    // one where a source of the merge was copied by an earlier version of the plan: copying it
    // again beside its earlier rows would double them, so the table is prepared and every source
    // loaded again.
    const changedMembers = members.filter((m) => m.copiedBefore);
    const progress = changedMembers.length === 0 && members.some((m) => m.loaded || m.started);
    const prepare = input.checked.endpoints.find((e) => e.name === table.target.endpoint)?.prepare ?? 'do_nothing';
    // mode = cdc follows tables that are already loaded: never dropped or emptied by a rerun.
    if (existing && !progress && input.checked.migration.mode === 'cdc') checkCompatible(table, existing, diagnostics);
    else if (existing && !progress) {
      switch (prepare) {
        case 'drop_and_create':
          ready = add('drop_table', d.dropTable(qname), [], 'drop', remakeFingerprint('drop_table', d.dropTable(qname)));
          counts.drop++;
          createTable = true;
          break;
        case 'truncate':
          ready = add('truncate_table', d.truncateTable(qname), [], 'truncate', remakeFingerprint('truncate_table', d.truncateTable(qname)));
          counts.truncate++;
          emptied = true;
          break;
        case 'do_nothing':
          checkCompatible(table, existing, diagnostics);
          if (changedMembers.length > 0 && state.nonEmptyTables.has(tableKey(existing.schema, existing.name))) {
            const sources = changedMembers.map((m) => sourceTableName(m.mapping)).join(', ');
            diagnostics.push(
              table.merge
                ? error('DMS4001', `target table ${describeTarget(table)} holds the rows of ${sources} as an earlier version of this plan copied them (the merge's columns, tags or offsets, or the source's types, changed since); copying again would add them a second time`, changedMembers[0]!.mapping.span, 'set `prepare = truncate` or `prepare = drop_and_create` on the target to load every source of the merge again')
                : // Not a merge: there is no merge to speak of, only the table's copy that changed.
                  error('DMS4001', `target table ${describeTarget(table)} holds the rows of ${sources} as an earlier version of this plan copied them (the columns copied, or the source's column types, changed since); copying again would add them a second time`, changedMembers[0]!.mapping.span, 'set `prepare = truncate` or `prepare = drop_and_create` on the target to load the table again'),
            );
          } else if (state.nonEmptyTables.has(tableKey(existing.schema, existing.name))) {
            diagnostics.push(
              error('DMS4001', `target table ${describeTarget(table)} already holds rows that this plan did not write`, table.span, 'set `prepare = truncate` or `prepare = drop_and_create` on the target to replace them'),
            );
          }
          break;
        default: {
          const never: never = prepare;
          return never;
        }
      }
    }

    if (createTable) {
      const types = d.createTypes(table.targetDef);
      const typesStep = types.length ? add('create_types', types, [schemaStep, ready], 'types', remakeFingerprint('create_types', types)) : undefined;
      const createSql = d.createTable(table.targetDef, { withPrimaryKey: false });
      ready = add('create_table', createSql, [schemaStep, ready, typesStep], 'create', remakeFingerprint('create_table', createSql));
      counts.create++;
    }
    const copies: string[] = [];
    // mode = cdc: no full load, the target is already loaded; changes are followed from now on.
    const mode = input.checked.migration.mode;
    // Surrogate merges: new keys for every source row, recorded before any copy reads them.
    const keyMap = table.merge?.strategy === 'surrogate' && mode !== 'cdc' ? addKeyMapStep(table, group, d, add, [ready, schemaStep]) : undefined;
    if (keyMap) keyMapSteps.set(table.merge!.name, keyMap);
    for (const m of members) {
      if (mode === 'cdc') break;
      if (m.loaded && !createTable && !emptied) continue;
      const copy = add('copy', [], [ready, schemaStep, keyMap], `~${m.mapping.source.rowEstimate} rows`, m.copyFingerprint, m.mapping);
      copies.push(copy);
      counts.load++;
      counts.rows += m.mapping.source.rowEstimate;
      // While changes are captured the target moves on after the load: no snapshot comparison then.
      if (input.checked.migration.validate !== 'none' && mode === 'full_load') add('validate', [], [copy], input.checked.migration.validate, undefined, m.mapping);
    }
    const after = createTable ? undefined : existing;
    planMissingKeys(table, after, engine, add, counts, keysReady, deferredForeignKeys, input, copies, undefined, diagnostics);
    deferredRowSecurity.push(() => planRowSecurity(table, group, after, engine, add, steps));
  }
  for (const addForeignKeys of deferredForeignKeys) addForeignKeys();
  for (const addRowSecurity of deferredRowSecurity) addRowSecurity();
  const { made: viewsMade, refreshed: viewsRefreshed } = planViews(input.checked, input.targets, steps, diagnostics);
  const sequencesMade = planSequences(input.checked, input.targets, steps);
  const triggersMade = planTriggers(input.checked, input.targets, steps);
  orderForeignKeySteps(steps, input.checked.tables);
  waitForTableDdl(steps, input.checked);
  // A copy whose foreign key is rewritten through a parent merge's key map runs once that map is made.
  for (const [i, step] of steps.entries()) {
    if (step.kind !== 'copy') continue;
    const parents = input.checked.tables.find((t) => t.id === step.table)?.columns.flatMap((c) => (c.keyMap?.lookup === 'column' ? [keyMapSteps.get(c.keyMap.merge)] : [])) ?? [];
    const extra = parents.filter((p): p is string => p !== undefined && !step.dependsOn.includes(p));
    if (extra.length) steps[i] = { ...step, dependsOn: [...step.dependsOn, ...extra] };
  }

  const summary: PlanSummary = {
    tablesToCreate: counts.create,
    tablesToDrop: counts.drop,
    tablesToTruncate: counts.truncate,
    tablesToLoad: counts.load,
    rowsEstimate: counts.rows,
    primaryKeys: counts.pk,
    uniqueKeys: counts.uk,
    indexes: counts.ix,
    foreignKeys: counts.fk,
    unchangedTables: counts.unchanged,
    ...(viewsMade ? { views: viewsMade } : {}),
    ...(viewsRefreshed ? { materializedViewsToRefresh: viewsRefreshed } : {}),
    ...(sequencesMade ? { sequences: sequencesMade } : {}),
    ...(routinesMade ? { routines: routinesMade } : {}),
    ...(triggersMade ? { triggers: triggersMade } : {}),
  };
  const catalogFingerprints = planCatalogFingerprints(input.checked, input.sources, new Map([...input.targets].map(([k, v]) => [k, v.catalog])));

  // The executor tracks steps by id: two with one id would leave one never run.
  const ids = new Set<string>();
  for (const step of steps) {
    if (ids.has(step.id)) throw new Error(`bug: two plan steps have the id ${step.id}`);
    ids.add(step.id);
  }
  const body = {
    format: PLAN_FORMAT,
    toolVersion: input.toolVersion,
    planFile: input.planFile,
    migration: input.checked.migration,
    endpoints: input.checked.endpoints,
    tables: input.checked.tables,
    steps,
    catalogFingerprints,
    notMigrated: input.checked.notMigrated,
    ...(input.checked.views?.length ? { views: input.checked.views } : {}),
    merges: input.merges,
    summary,
  } as const;
  return { value: { ...body, fingerprint: graphFingerprint(body) }, diagnostics };
}

/** DDL on a loaded table that changes its definition (MySQL: every ALTER). */
const TABLE_DDL: ReadonlySet<StepKind> = new Set(['add_primary_key', 'add_unique_key', 'create_index', 'reset_identity']);

/**
 * On a target whose open snapshots break when a table's definition changes
 * (capabilities.ddlBreaksOpenSnapshots), the steps that read loaded tables — validations, and
 * foreign key steps, whose orphan check reads child and parent — wait for those tables' DDL.
 * Elsewhere they run beside it (PostgreSQL validates while its indexes build).
 */
function waitForTableDdl(steps: Step[], checked: CheckedPlan): void {
  const mappings = new Map(checked.tables.map((t) => [t.id, t]));
  const keyOf = (endpoint: string, schema: string | undefined, table: string) => JSON.stringify([endpoint, schema ?? '', table]);
  const targetOf = (step: Step) => {
    const t = step.table === undefined ? undefined : mappings.get(step.table);
    return t ? keyOf(t.target.endpoint, t.target.schema, t.target.table) : undefined;
  };
  const ddl = new Map<string, string[]>();
  for (const s of steps) {
    const target = TABLE_DDL.has(s.kind) ? targetOf(s) : undefined;
    if (target !== undefined) ddl.set(target, [...(ddl.get(target) ?? []), s.id]);
  }
  for (const [i, s] of steps.entries()) {
    if (s.kind !== 'validate' && s.kind !== 'add_foreign_key') continue;
    const engine = findEngine(engineOfEndpoint(checked, s.endpoint));
    if (!engine?.capabilities.ddlBreaksOpenSnapshots) continue;
    const t = s.table === undefined ? undefined : mappings.get(s.table);
    if (!t) continue;
    const fk = s.kind === 'add_foreign_key' ? t.targetDef.foreignKeys.find((f) => f.name === s.summary) : undefined;
    const read = [keyOf(t.target.endpoint, t.target.schema, t.target.table), ...(fk ? [keyOf(t.target.endpoint, fk.referencedSchema === '' ? t.target.schema : fk.referencedSchema, fk.referencedTable)] : [])];
    const extra = read.flatMap((k) => ddl.get(k) ?? []).filter((id) => !s.dependsOn.includes(id));
    if (extra.length) steps[i] = { ...s, dependsOn: [...s.dependsOn, ...extra] };
  }
}

/** The fingerprints a saved plan keeps, computed the same way when the plan is applied. */
export function planCatalogFingerprints(
  checked: Pick<CheckedPlan, 'tables'>,
  sources: ReadonlyMap<string, Catalog>,
  targets: ReadonlyMap<string, Catalog>,
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, catalog] of sources) {
    const used = new Set(checked.tables.filter((t) => t.source.endpoint === name).map((t) => tableKey(t.source.schema, t.source.table)));
    out[name] = catalogTableFingerprints(catalog, used);
  }
  for (const [name, catalog] of targets) out[name] = catalogTableFingerprints(catalog);
  return out;
}

/** A step's id: `kind:endpoint.schema.table`, then what tells several of a kind apart on one table. */
function stepId(kind: StepKind, table: TableMapping, summary: string, member: TableMapping | undefined): string {
  // Several steps of one kind on a table are told apart by what they make (a sequence's reset
  // beside the identity's too), a merge's copies and validations by their source.
  const named = kind === 'create_index' || kind === 'add_unique_key' || kind === 'add_foreign_key' || (kind === 'reset_identity' && summary.startsWith('sequence '));
  const perMember = member?.merge ? `:${sourceTableName(member)}` : '';
  return `${kind}:${targetTableRef(table.target)}${named ? `:${summary}` : perMember}`;
}

type AddStep = (kind: StepKind, sql: readonly string[], dependsOn: readonly (string | undefined)[], summary: string, fp?: string, member?: TableMapping, extra?: Pick<Step, 'orphansFirst' | 'changes'>) => string;

/** Keys, indexes, foreign keys and the identity reset a table still needs after its copy. */
function planMissingKeys(
  table: TableMapping,
  existing: TableCatalog | undefined,
  engine: EngineModule,
  add: AddStep,
  counts: { pk: number; uk: number; ix: number; fk: number },
  keysReady: Map<string, readonly string[]>,
  deferredForeignKeys: (() => void)[],
  input: BuildGraphInput,
  copies: readonly string[],
  /** A table loaded by earlier runs (no copies here): whether its reset step of this summary ran. */
  resetDone?: (summary: string) => boolean,
  diagnostics: Diagnostic[] = [],
): void {
  const d = engine.dialect;
  const resetDue = (summary: string) => copies.length > 0 || (resetDone !== undefined && !resetDone(summary));
  const qname = { schema: table.target.schema, name: table.target.table };
  const def = table.targetDef;
  const keyed = { ...qname, ...(def.partitionBy !== undefined ? { partitioned: true } : {}) };
  const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c, i) => c === b[i]);
  const hasIndexOn = (cols: readonly string[]) =>
    existing !== undefined &&
    (existing.indexes.some((ix) => sameColumns(ix.parts.map((p) => p.column ?? ''), cols)) || existing.uniqueKeys.some((k) => sameColumns(k.columns, cols)) || (existing.primaryKey !== undefined && sameColumns(existing.primaryKey.columns, cols)));

  let keyStep: string | undefined = copies.length === 1 ? copies[0] : undefined;
  const primaryKey = def.primaryKey && !(existing?.primaryKey && sameColumns(existing.primaryKey.columns, def.primaryKey.columns)) ? def.primaryKey : undefined;
  const uniqueKeys = def.uniqueKeys.filter((key) => !hasIndexOn(key.columns));
  // An index on expressions has no columns to compare: one of its name on the table stands for it.
  const hasIndexNamed = (name: string) => existing !== undefined && existing.indexes.some((ix) => ix.name === name);
  const indexes = def.indexes.filter((ix) => !hasIndexNamed(ix.name) && !(ix.parts.every((p) => p.column !== undefined) && hasIndexOn(ix.parts.map((p) => p.column!))));
  // The builds wait for the same copies, so up to `workers` of them run at once.
  const sideBySide = Math.max(1, Math.min(input.checked.migration.workers, (primaryKey ? 1 : 0) + uniqueKeys.length + indexes.length));
  if (primaryKey) {
    const sql = d.addPrimaryKey(keyed, primaryKey, sideBySide);
    if (sql.length) {
      keyStep = add('add_primary_key', sql, copies, `primary key (${primaryKey.columns.join(', ')})`);
      counts.pk++;
    } else if (existing === undefined) {
      // Declared by the CREATE TABLE of this plan (SQLite cannot add one later): still one made.
      counts.pk++;
    }
  }
  // A foreign key may reference a unique key rather than the primary key: it waits for all of them.
  const keySteps = keyStep === undefined ? [] : [keyStep];
  for (const key of uniqueKeys) {
    keySteps.push(add('add_unique_key', d.addUniqueKey(keyed, key, sideBySide), copies, key.name));
    counts.uk++;
  }
  for (const ix of indexes) {
    add('create_index', d.createIndex(qname, ix, sideBySide), copies, ix.name);
    counts.ix++;
  }
  keysReady.set(table.id, keySteps);
  const identity = def.columns.find((c) => c.identity);
  if (identity && resetDue(identity.name)) {
    const sql = d.resetIdentity(qname, identity.name, identity.identityNext, def);
    // After the primary key: finding the largest value is then an index lookup, not a table scan
    // competing with the index builds.
    const summary = identity.identityNext !== undefined ? `${identity.name} (from ${identity.identityNext} at least, where the source's counter stands)` : identity.name;
    if (sql.length) add('reset_identity', sql, keyStep && !copies.includes(keyStep) ? [...copies, keyStep] : copies, summary);
  }
  // Sequences of their own the table's defaults draw from: where the source's stood when planned.
  for (const sequence of (def.sequences ?? []).filter((q) => resetDue(`sequence ${q.name}`))) {
    const column = def.columns.find((c) => c.default?.kind === 'sequence' && c.default.shared?.name === sequence.name && c.default.shared.schema === sequence.schema);
    const sql = column ? (d.setSequence?.(qname, column.name, sequence) ?? []) : [];
    if (sql.length) add('reset_identity', sql, copies, `sequence ${sequence.name}`);
  }

  deferredForeignKeys.push(() => {
    for (const fk of def.foreignKeys) {
      // Two keys may share columns and parent (a MATCH FULL one beside an ON DELETE SET NULL one):
      // the one of the same name is this key's, and only without one does another stand for it.
      const alike = (existing?.foreignKeys ?? []).filter((e) => sameColumns(e.columns, fk.columns) && e.referencedTable === fk.referencedTable);
      const present = alike.find((e) => e.name === fk.name) ?? alike.find((e) => !def.foreignKeys.some((other) => other !== fk && other.name === e.name));
      const referenced = input.checked.tables.find(
        (t) => t.target.endpoint === table.target.endpoint && t.target.table === fk.referencedTable && (t.target.schema ?? '') === (fk.referencedSchema ?? ''),
      );
      const referencedSchema = fk.referencedSchema === '' ? undefined : fk.referencedSchema;
      let replaced: { readonly drop: readonly string[]; readonly changes: string } | undefined;
      if (present) {
        const changes = foreignKeyChange(d, qname, fk, present, referencedSchema, engine.capabilities.deferrable !== 'none');
        if (changes === undefined) continue;
        const drop = d.dropForeignKey?.(qname, present.name);
        if (!drop) {
          diagnostics.push(
            warning(
              'DMS4010',
              `target table ${describeTarget(table)}: foreign key ${present.name} (${fk.columns.join(', ')}) → ${fk.referencedTable} differs from the source's (${changes}), and ${engine.name} cannot change a foreign key of an existing table; the target keeps its own`,
              table.span,
              'set `prepare = drop_and_create` on the target to make the table again with the source\'s key',
            ),
          );
          continue;
        }
        replaced = { drop, changes };
      }
      // No statement: the engine declared the key with the table (SQLite). The step still runs after
      // the copies, to move the rows whose parent is missing to the rejects table.
      // Where the server's own check of the rows costs far more than a query (MySQL copies the
      // table), the rows without a parent are looked for first and the key added unchecked.
      const unchecked = d.addForeignKeyUnchecked?.(qname, fk, referencedSchema);
      const made = unchecked ?? d.addForeignKey(qname, fk, referencedSchema);
      if (!made.length && !copies.length) continue;
      // A key the source changed: the target's is dropped and the source's made in one step.
      const sql = replaced ? [...replaced.drop, ...made] : made;
      const extra = { ...(unchecked ? { orphansFirst: true as const } : {}), ...(replaced ? { changes: replaced.changes } : {}) };
      add('add_foreign_key', sql, [keyStep, ...copies, ...(referenced ? (keysReady.get(referenced.id) ?? []) : [])], fk.name, undefined, undefined, Object.keys(extra).length ? extra : undefined);
      counts.fk++;
    }
  });
}

/**
 * A foreign key step may move child rows whose parent is missing to the rejects table (see
 * exec/foreign-key-orphans.ts). The steps of a table's own foreign keys therefore run before the
 * steps of foreign keys pointing at it: its rows are final before anything refers to them, and
 * the rows its sweep takes out are then found by the sweeps of the tables below it. A cycle of
 * tables keeps the order it has (no edge that would close it is added).
 */
function orderForeignKeySteps(steps: Step[], tables: readonly TableMapping[]): void {
  const byId = new Map(tables.map((t) => [t.id, t]));
  const targetOf = (s: Step) => {
    const t = s.table === undefined ? undefined : byId.get(s.table);
    return t ? `${s.endpoint}.${t.target.schema ?? ''}.${t.target.table}` : undefined;
  };
  const parentOf = (s: Step) => {
    const t = s.table === undefined ? undefined : byId.get(s.table);
    const fk = t?.targetDef.foreignKeys.find((f) => f.name === s.summary);
    return t && fk ? `${s.endpoint}.${fk.referencedSchema === '' ? (t.target.schema ?? '') : fk.referencedSchema}.${fk.referencedTable}` : undefined;
  };
  const fkSteps = steps.flatMap((s, i) => (s.kind === 'add_foreign_key' ? [{ i, child: targetOf(s), parent: parentOf(s) }] : []));
  const byChild = new Map<string, number[]>();
  for (const fk of fkSteps) if (fk.child !== undefined) byChild.set(fk.child, [...(byChild.get(fk.child) ?? []), fk.i]);
  // Tables that refer to each other in a cycle share a component: no order is imposed among them.
  const component = stronglyConnected(fkSteps.flatMap((f) => (f.child !== undefined && f.parent !== undefined ? [[f.child, f.parent] as const] : [])));
  for (const fk of fkSteps) {
    if (fk.child === undefined || fk.parent === undefined || component.get(fk.child) === component.get(fk.parent)) continue;
    const before = (byChild.get(fk.parent) ?? []).map((i) => steps[i]!.id);
    const step = steps[fk.i]!;
    const extra = before.filter((id) => !step.dependsOn.includes(id));
    if (extra.length) steps[fk.i] = { ...step, dependsOn: [...step.dependsOn, ...extra] };
  }
}


/**
 * The key map step of a surrogate merge: new keys numbered source by source (in `from` order),
 * each source's keys in key order, recorded in the target's control table.
 */
function addKeyMapStep(table: TableMapping, group: readonly TableMapping[], d: EngineModule['dialect'], add: AddStep, dependsOn: readonly (string | undefined)[]): string {
  const merge = table.merge!;
  const key = table.columns.find((c) => c.keyMap?.lookup === 'row_key');
  const where = d.qualify(d.controlTable('key_map'));
  const fp = fingerprint({ kind: 'map_keys', merge: merge.name, sources: group.map((m) => [m.merge?.index, m.source.endpoint, m.source.schema, m.source.table, m.sourceKey]) });
  return add('map_keys', [], dependsOn, `key map: new keys for ${key?.target ?? '?'} of ${group.length} sources, in from order and key order, recorded in ${where} (merge ${merge.name})`, fp);
}

/**
 * Row-level security the table should have and does not yet: its policies and ENABLE (FORCE) ROW
 * LEVEL SECURITY, once every copy and validation of the table and every foreign key of the target
 * is done — they must see every row, and FORCE binds the table's owner too.
 */
function planRowSecurity(table: TableMapping, group: readonly TableMapping[], existing: TableCatalog | undefined, engine: EngineModule, add: AddStep, steps: readonly Step[]): void {
  const wanted = table.targetDef.rowSecurity;
  if (!wanted || !engine.dialect.enableRowSecurity) return;
  const have = existing?.rowSecurity;
  if (have && have.enabled === wanted.enabled && (have.forced === true) === wanted.forced && wanted.policies.every((p) => have.policies.includes(p.name))) return;
  const members = new Set(group.map((m) => m.id));
  // Foreign keys too, the target's whole: their orphan checks read parents and children.
  const after = steps.filter((s) => (s.table !== undefined && members.has(s.table) && (s.kind === 'copy' || s.kind === 'validate' || s.kind === 'create_table')) || (s.kind === 'add_foreign_key' && s.endpoint === table.target.endpoint)).map((s) => s.id);
  const names = wanted.policies.map((p) => p.name);
  const what = names.length ? `${names.length === 1 ? 'policy' : 'policies'} ${names.join(', ')}` : 'no policy: no rows for other users';
  const summary = `row-level security${wanted.enabled ? '' : ' policies (not enabled)'} (${what}${wanted.forced ? '; forced on the owner too' : ''})`;
  add('enable_row_security', engine.dialect.enableRowSecurity({ schema: table.target.schema, name: table.target.table }, wanted), after, summary);
}

/** Mappings that write one target table (the sources of a merge) form one group, in plan order. */
function groupByTarget(checked: CheckedPlan, tables: readonly TableMapping[]): TableMapping[][] {
  const groups = new Map<string, TableMapping[]>();
  for (const t of tables) {
    // As the target compares names (check reported two tables meeting where it folds case).
    const engine = findEngine(engineOfEndpoint(checked, t.target.endpoint));
    const key = engine ? targetTableKey(engine, t.target.endpoint, t.target.schema, t.target.table) : `${t.target.endpoint}.${t.target.schema ?? ''}.${t.target.table}`;
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()];
}

function checkCompatible(table: TableMapping, existing: TableCatalog, diagnostics: Diagnostic[]): void {
  const missing = table.columns.filter((c) => !existing.columns.some((e) => e.name === c.target));
  if (missing.length) {
    diagnostics.push(
      error('DMS4002', `target table ${describeTarget(table)} exists without column(s) ${missing.map((c) => c.target).join(', ')}`, table.span, 'set `prepare = drop_and_create` on the target, or alter the table'),
    );
  }
}

function describeTarget(table: TableMapping): string {
  return `${table.target.schema ? `${table.target.schema}.` : ''}${table.target.table}`;
}

function engineOfEndpoint(checked: CheckedPlan, endpoint: string) {
  const e = checked.endpoints.find((x) => x.name === endpoint);
  if (!e) throw new Error(`bug: unknown endpoint ${endpoint} in a checked plan`);
  return e.engine;
}

/**
 * What decides the rows a copy writes — and nothing else: a copy recorded as done stays done when
 * a plan file is reformatted, a rule reworded or the statistics change.
 */
/**
 * The fingerprint of a mapping's copy step: what its chunk records, rejects and adjustments are
 * filed under, whether or not this run's graph holds the step (a table copied in an earlier run).
 */
export function copyStepFingerprint(m: TableMapping): string {
  return fingerprint({ kind: 'copy', content: copyContent(m) });
}

function copyContent(m: TableMapping): unknown {
  return {
    source: [m.source.endpoint, m.source.schema, m.source.table],
    target: [m.target.endpoint, m.target.schema ?? '', m.target.table],
    where: m.where ?? null,
    columns: m.columns.map((c) => [
      c.target,
      c.source.kind === 'column' ? c.source.name : canonicalJson(c.source.expr, SPAN),
      c.source.kind === 'column' ? c.source.native.text : '',
      c.targetType.text,
      c.conversion,
      c.mask ? canonicalJson(c.mask) : null,
      c.offset ?? null,
      // Only where present: the fingerprints of every other copy stay what they were.
      ...(c.keyMap ? [[c.keyMap.table, c.keyMap.merge, c.keyMap.source, c.keyMap.lookup]] : []),
    ]),
    merge: m.merge ? [m.merge.name, m.merge.index] : null,
  };
}

const SPAN: ReadonlySet<string> = new Set(['span']);
