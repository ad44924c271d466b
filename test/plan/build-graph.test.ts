import { describe, expect, it } from 'vitest';
import type { CheckedPlan, ColumnMapping, TableMapping } from '../../src/check/checked-plan.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { buildGraph } from '../../src/plan/build-graph.js';
import { renderDot } from '../../src/plan/render-dot.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import type { TargetState } from '../../src/plan/target-state.js';
import type { Catalog, TableCatalog } from '../../src/schema/catalog.js';

const int = postgresEngine.types.parseNative('integer')!;
const text = postgresEngine.types.parseNative('text')!;

function column(name: string, native = int): ColumnMapping {
  return {
    target: name,
    source: { kind: 'column', name, native, logical: postgresEngine.types.toLogical(native) },
    targetType: native,
    targetLogical: postgresEngine.types.toLogical(native),
    conversion: 'none',
    lossless: true,
    lossReason: undefined,
    rule: { origin: 'builtin', text: 'integer -> integer', span: undefined },
    mask: undefined,
  };
}

function table(name: string, fk?: string): TableMapping {
  return {
    id: `src.public.${name} -> dst.public.${name}`,
    source: { endpoint: 'src', schema: 'public', table: name, rowEstimate: 1000 },
    target: { endpoint: 'dst', schema: 'public', table: name },
    columns: [column('id'), column('label', text), ...(fk ? [column(`${fk}_id`)] : [])],
    where: undefined,
    sourceKey: ['id'],
    chunk: { rows: 100_000, by: 'id' },
    targetDef: {
      schema: 'public',
      name,
      columns: [],
      primaryKey: { name: `${name}_pkey`, columns: ['id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: fk ? [{ name: `${name}_${fk}_fk`, columns: [`${fk}_id`], referencedSchema: 'public', referencedTable: fk, referencedColumns: ['id'], onDelete: 'no_action', onUpdate: 'no_action' }] : [],
      checks: [],
      comment: undefined,
    },
    span: undefined,
  };
}

const checked = (prepare: 'do_nothing' | 'truncate' | 'drop_and_create' = 'do_nothing'): CheckedPlan => ({
  migration: { name: 't', mode: 'full_load', workers: 2, validate: 'counts', maxRejects: undefined, onError: 'stop', span: undefined },
  endpoints: [
    { name: 'src', role: 'source', engine: 'postgres', url: { kind: 'env', variable: 'S', fallback: undefined, span: undefined as never }, prepare: 'do_nothing', session: [], tls: undefined },
    { name: 'dst', role: 'target', engine: 'postgres', url: { kind: 'env', variable: 'D', fallback: undefined, span: undefined as never }, prepare, session: [], tls: undefined },
  ],
  tables: [table('child', 'parent'), table('parent')],
  notMigrated: [],
});

function catalog(tables: readonly TableCatalog[] = []): Catalog {
  return { engine: 'postgres', database: 'd', serverVersion: '15', schemas: ['public'], tables, sequences: [], others: [] };
}

function state(over: Partial<TargetState> = {}): TargetState {
  return { catalog: catalog(), completedSteps: new Set(), recordedStepIds: new Set(), startedCopies: new Set(), nonEmptyTables: new Set(), ...over };
}

function existing(name: string): TableCatalog {
  return {
    schema: 'public',
    name,
    kind: 'table',
    columns: ['id', 'label', 'parent_id'].map((c, i) => ({ name: c, ordinal: i + 1, nativeType: int, logical: postgresEngine.types.toLogical(int), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined })),
    primaryKey: { name: `${name}_pkey`, columns: ['id'] },
    uniqueKeys: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    rowEstimate: 10,
    comment: undefined,
  };
}

const build = (plan: CheckedPlan, target: TargetState) =>
  buildGraph({ checked: plan, planFile: 'p.dmsplan', toolVersion: 'test', targets: new Map([['dst', target]]), sources: new Map([['src', catalog()]]), merges: [] });

describe('the planner', () => {
  it('creates, copies, keys, then foreign keys once the referenced table has its key', () => {
    const g = build(checked(), state());
    expect(g.diagnostics).toEqual([]);
    const ids = g.value.steps.map((s) => s.id);
    expect(ids).toContain('create_table:dst.public.child');
    expect(ids).toContain('copy:dst.public.parent');
    const fk = g.value.steps.find((s) => s.kind === 'add_foreign_key')!;
    expect(fk.dependsOn).toEqual(expect.arrayContaining(['add_primary_key:dst.public.parent', 'add_primary_key:dst.public.child']));
    const copy = g.value.steps.find((s) => s.id === 'copy:dst.public.child')!;
    expect(copy.dependsOn).toContain('create_table:dst.public.child');
    // Every dependency names a step of the graph.
    for (const s of g.value.steps) for (const d of s.dependsOn) expect(ids).toContain(d);
    expect(g.value.summary).toMatchObject({ tablesToCreate: 2, tablesToLoad: 2, primaryKeys: 2, foreignKeys: 1 });
    expect(renderPlanText(g.value, { color: false })).toMatch(/Plan: 2 tables to create, 2 to load \(~2,000 rows\), 2 primary keys, 0 indexes, 1 foreign key\./);
    expect(renderDot(g.value)).toContain('"add_primary_key:dst.public.parent" -> "add_foreign_key:dst.public.child:child_parent_fk";');
  });

  it('shows and counts a SQLite target\'s primary key, which its CREATE TABLE declares (no step of its own)', () => {
    const onSqlite: CheckedPlan = { ...checked(), endpoints: checked().endpoints.map((e) => (e.role === 'target' ? { ...e, engine: 'sqlite' } : e)) };
    const g = build(onSqlite, state());
    expect(g.value.steps.some((s) => s.kind === 'add_primary_key')).toBe(false);
    expect(g.value.steps.find((s) => s.id === 'create_table:dst.public.parent')!.sql[0]).toContain('PRIMARY KEY ("id")');
    expect(g.value.summary).toMatchObject({ primaryKeys: 2 });
    const text = renderPlanText(g.value, { color: false });
    expect(text.match(/\+ primary key \(id\) declared with the table/g)).toHaveLength(2);
    expect(text).toMatch(/2 primary keys/);
    // A table kept as it is gets no key from this plan, and none is listed.
    const kept = build(onSqlite, state({ catalog: catalog([existing('parent'), existing('child')]) }));
    expect(kept.value.summary).toMatchObject({ primaryKeys: 0 });
    expect(renderPlanText(kept.value, { color: false })).not.toContain('+ primary key');
  });

  it('adds a MySQL foreign key unchecked, after apply has looked for the rows without a parent (InnoDB would copy the table to check them)', () => {
    const onMysql: CheckedPlan = { ...checked(), endpoints: checked().endpoints.map((e) => (e.role === 'target' ? { ...e, engine: 'mysql' } : e)) };
    const fk = build(onMysql, state()).value.steps.find((s) => s.kind === 'add_foreign_key')!;
    expect(fk.orphansFirst).toBe(true);
    expect(fk.sql[0]).toBe('SET SESSION foreign_key_checks = 0');
    expect(fk.sql[fk.sql.length - 1]).toBe('SET SESSION foreign_key_checks = 1');
    expect(build(checked(), state()).value.steps.find((s) => s.kind === 'add_foreign_key')!.orphansFirst).toBeUndefined();
  });

  it('on MySQL, has the steps that read a loaded table wait for its DDL (an ALTER breaks open snapshots there); on PostgreSQL they run beside it', () => {
    const onMysql: CheckedPlan = { ...checked(), endpoints: checked().endpoints.map((e) => (e.role === 'target' ? { ...e, engine: 'mysql' } : e)) };
    const mysqlSteps = build(onMysql, state()).value.steps;
    const validateChild = mysqlSteps.find((s) => s.id === 'validate:dst.public.child')!;
    expect(validateChild.dependsOn).toContain('add_primary_key:dst.public.child');
    // The foreign key's orphan check reads the parent too.
    const fk = mysqlSteps.find((s) => s.kind === 'add_foreign_key')!;
    expect(fk.dependsOn).toEqual(expect.arrayContaining(['add_primary_key:dst.public.child', 'add_primary_key:dst.public.parent']));
    const pgValidate = build(checked(), state()).value.steps.find((s) => s.id === 'validate:dst.public.child')!;
    expect(pgValidate.dependsOn).not.toContain('add_primary_key:dst.public.child');
  });

  it('runs a table\'s own foreign keys before the keys pointing at it, except between tables that refer to each other', () => {
    const fkStep = (g: ReturnType<typeof build>, child: string) => g.value.steps.find((s) => s.kind === 'add_foreign_key' && s.id.startsWith(`add_foreign_key:dst.public.${child}:`))!;
    // lines -> orders -> customers: the orders' key first, so rows it moves are found by the lines'.
    const chain = build({ ...checked(), tables: [table('lines', 'orders'), table('orders', 'customers'), table('customers')] }, state());
    expect(fkStep(chain, 'lines').dependsOn).toContain(fkStep(chain, 'orders').id);
    expect(fkStep(chain, 'orders').dependsOn).not.toContain(fkStep(chain, 'lines').id);
    // a <-> b: no order between them (it would be a cycle); a self-reference waits for nothing of its own.
    const cycle = build({ ...checked(), tables: [table('a', 'b'), table('b', 'a'), table('c', 'c')] }, state());
    expect(fkStep(cycle, 'a').dependsOn).not.toContain(fkStep(cycle, 'b').id);
    expect(fkStep(cycle, 'b').dependsOn).not.toContain(fkStep(cycle, 'a').id);
    expect(fkStep(cycle, 'c').dependsOn).not.toContain(fkStep(cycle, 'c').id);
  });

  it('has nothing to do once the copies and validations are recorded and the keys exist', () => {
    const first = build(checked(), state());
    const done = new Set(first.value.steps.filter((s) => s.kind === 'copy' || s.kind === 'validate').map((s) => s.fingerprint));
    const parent = existing('parent');
    const child = { ...existing('child'), foreignKeys: [{ name: 'child_parent_fk', columns: ['parent_id'], referencedSchema: 'public', referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'no_action' as const, onUpdate: 'no_action' as const }] };
    const g = build(checked(), state({ catalog: catalog([parent, child]), completedSteps: done, nonEmptyTables: new Set(['public.parent', 'public.child']) }));
    expect(g.value.steps).toEqual([]);
    expect(renderPlanText(g.value, { color: false })).toContain('No changes.');
  });

  it('changes a foreign key whose actions the source changed since it was made; RESTRICT and NO ACTION are one on a key checked at once', () => {
    // The second plan compared columns and parent only: "No changes", and the target went on
    // deleting child rows the source now keeps (or the other way round).
    const first = build(checked(), state());
    const done = new Set(first.value.steps.filter((s) => s.kind === 'copy' || s.kind === 'validate').map((s) => s.fingerprint));
    const fkOnTarget = (onDelete: 'cascade' | 'restrict' | 'no_action', onUpdate: 'no_action' | 'cascade' = 'no_action') => ({
      name: 'child_parent_fk', columns: ['parent_id'], referencedSchema: 'public', referencedTable: 'parent', referencedColumns: ['id'], onDelete, onUpdate,
    });
    const loaded = (fk: ReturnType<typeof fkOnTarget>, plan = checked()) =>
      build(plan, state({ catalog: catalog([existing('parent'), { ...existing('child'), foreignKeys: [fk] }]), completedSteps: done, nonEmptyTables: new Set(['public.parent', 'public.child']) }));
    const changed = loaded(fkOnTarget('cascade', 'cascade'));
    expect(changed.value.steps.map((s) => [s.kind, s.sql, s.changes])).toEqual([
      [
        'add_foreign_key',
        [
          'ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_fk"',
          'ALTER TABLE "public"."child" ADD CONSTRAINT "child_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."parent" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION',
        ],
        'on delete cascade → no action, on update cascade → no action',
      ],
    ]);
    expect(renderPlanText(changed.value, { color: false })).toContain('~ foreign key child_parent_fk (parent_id) → parent (id): on delete cascade → no action, on update cascade → no action');
    expect(loaded(fkOnTarget('restrict')).value.steps).toEqual([]);
    // MariaDB records a RESTRICT added with foreign_key_checks off as NO ACTION: no change on every plan.
    const onMysql: CheckedPlan = { ...checked(), endpoints: checked().endpoints.map((e) => (e.role === 'target' ? { ...e, engine: 'mysql' } : e)) };
    const restrictPlan: CheckedPlan = { ...onMysql, tables: onMysql.tables.map((t) => ({ ...t, targetDef: { ...t.targetDef, foreignKeys: t.targetDef.foreignKeys.map((f) => ({ ...f, onDelete: 'restrict' as const })) } })) };
    const mysqlDone = new Set(build(restrictPlan, state()).value.steps.filter((s) => s.kind === 'copy' || s.kind === 'validate').map((s) => s.fingerprint));
    const onMysqlLoaded = (fk: ReturnType<typeof fkOnTarget>) =>
      build(restrictPlan, state({ catalog: catalog([existing('parent'), { ...existing('child'), foreignKeys: [fk] }]), completedSteps: mysqlDone, nonEmptyTables: new Set(['public.parent', 'public.child']) }));
    expect(onMysqlLoaded(fkOnTarget('no_action')).value.steps).toEqual([]);
    expect(onMysqlLoaded(fkOnTarget('cascade')).value.steps.map((s) => s.sql[0])).toEqual(['ALTER TABLE `public`.`child` DROP FOREIGN KEY `child_parent_fk`']);
    // SQLite declares keys with the table: it cannot change one, and the plan says so.
    const onSqlite: CheckedPlan = { ...checked(), endpoints: checked().endpoints.map((e) => (e.role === 'target' ? { ...e, engine: 'sqlite' } : e)) };
    const sqliteDone = new Set(build(onSqlite, state()).value.steps.filter((s) => s.kind === 'copy' || s.kind === 'validate').map((s) => s.fingerprint));
    const onSqliteLoaded = build(onSqlite, state({ catalog: catalog([existing('parent'), { ...existing('child'), foreignKeys: [fkOnTarget('cascade')] }]), completedSteps: sqliteDone, nonEmptyTables: new Set(['public.parent', 'public.child']) }));
    expect(onSqliteLoaded.value.steps).toEqual([]);
    expect(onSqliteLoaded.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ['DMS4010', 'warning', "target table public.child: foreign key child_parent_fk (parent_id) → parent differs from the source's (on delete cascade → no action), and sqlite cannot change a foreign key of an existing table; the target keeps its own"],
    ]);
  });

  it('refuses to copy again a plain table whose copy changed since it was loaded, without speaking of a merge it is not', () => {
    const first = build(checked(), state());
    const done = first.value.steps.filter((s) => s.kind === 'copy' || s.kind === 'validate');
    // The source's label column became varchar: the copy is another one, and the table holds the earlier one's rows.
    const varchar = postgresEngine.types.parseNative('varchar(10)')!;
    const retyped: CheckedPlan = { ...checked(), tables: checked().tables.map((t) => (t.target.table === 'parent' ? { ...t, columns: t.columns.map((c) => (c.target === 'label' ? { ...column('label', varchar) } : c)) } : t)) };
    const g = build(retyped, state({ catalog: catalog([existing('parent'), existing('child')]), completedSteps: new Set(done.map((s) => s.fingerprint)), recordedStepIds: new Set(done.map((s) => s.id)), nonEmptyTables: new Set(['public.parent', 'public.child']) }));
    expect(g.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        'DMS4001',
        "target table public.parent holds the rows of src.public.parent as an earlier version of this plan copied them (the columns copied, or the source's column types, changed since); copying again would add them a second time",
        'set `prepare = truncate` or `prepare = drop_and_create` on the target to load the table again',
      ],
    ]);
  });

  it('still validates a copy whose run stopped before its validation, and nothing else', () => {
    const first = build(checked(), state());
    const copied = new Set(first.value.steps.filter((s) => s.kind === 'copy').map((s) => s.fingerprint));
    const parent = existing('parent');
    const child = { ...existing('child'), foreignKeys: [{ name: 'child_parent_fk', columns: ['parent_id'], referencedSchema: 'public', referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'no_action' as const, onUpdate: 'no_action' as const }] };
    const g = build(checked(), state({ catalog: catalog([parent, child]), completedSteps: copied, nonEmptyTables: new Set(['public.parent', 'public.child']) }));
    expect(g.value.steps.map((s) => s.kind)).toEqual(['validate', 'validate']);
    // The same fingerprints as the first plan's: once recorded, they are done.
    expect(g.value.steps.map((s) => s.fingerprint).sort()).toEqual(first.value.steps.filter((s) => s.kind === 'validate').map((s) => s.fingerprint).sort());
  });

  it('resets the identity of a table whose run stopped after its copy but before the reset; not once the reset is recorded', () => {
    // The next plan saw the table loaded and planned only what its catalog lacked: the identity
    // stayed at 1, and the first insert on the target collided with a copied row.
    const withIdentity = (t: TableMapping): TableMapping => ({
      ...t,
      targetDef: { ...t.targetDef, columns: [{ name: 'id', type: int, nullable: false, default: undefined, identity: 'by_default', generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined }] },
    });
    const plan: CheckedPlan = { ...checked(), tables: [withIdentity(table('parent'))] };
    const first = build(plan, state());
    const reset = first.value.steps.find((s) => s.kind === 'reset_identity')!;
    expect(reset.id).toBe('reset_identity:dst.public.parent');
    const loaded = {
      catalog: catalog([existing('parent')]),
      completedSteps: new Set(first.value.steps.filter((s) => s.kind !== 'reset_identity').map((s) => s.fingerprint)),
      nonEmptyTables: new Set(['public.parent']),
    };
    const stopped = build(plan, state({ ...loaded, recordedStepIds: new Set(first.value.steps.filter((s) => s.kind !== 'reset_identity').map((s) => s.id)) }));
    expect(stopped.value.steps.map((s) => [s.id, s.sql])).toEqual([[reset.id, reset.sql]]);
    expect(renderPlanText(stopped.value, { color: false })).toContain('+ identity id continues after the largest copied value');
    const finished = build(plan, state({ ...loaded, recordedStepIds: new Set(first.value.steps.map((s) => s.id)) }));
    expect(finished.value.steps).toEqual([]);
  });

  it('refuses to load into a table holding rows it did not write, unless told to replace them', () => {
    const full = state({ catalog: catalog([existing('parent'), existing('child')]), nonEmptyTables: new Set(['public.parent']) });
    expect(build(checked(), full).diagnostics.map((d) => d.code)).toContain('DMS4001');
    const truncate = build(checked('truncate'), full);
    expect(truncate.diagnostics).toEqual([]);
    expect(truncate.value.steps.map((s) => s.kind)).toContain('truncate_table');
    const replace = build(checked('drop_and_create'), full);
    expect(replace.value.steps.filter((s) => s.kind === 'drop_table')).toHaveLength(2);
  });

  it('resumes a started copy without preparing the table again', () => {
    const first = build(checked('drop_and_create'), state());
    const started = new Set(first.value.steps.filter((s) => s.kind === 'copy').map((s) => s.fingerprint));
    const g = build(checked('drop_and_create'), state({ catalog: catalog([existing('parent'), existing('child')]), startedCopies: started, nonEmptyTables: new Set(['public.parent']) }));
    expect(g.value.steps.map((s) => s.kind)).not.toContain('drop_table');
    expect(g.value.steps.filter((s) => s.kind === 'copy')).toHaveLength(2);
  });

  it('keeps a copy fingerprint when only spans and estimates change', () => {
    const a = build(checked(), state());
    const moved = checked();
    const b = build({ ...moved, tables: moved.tables.map((t) => ({ ...t, source: { ...t.source, rowEstimate: 99 }, span: { file: 'x', startOffset: 1, endOffset: 2, startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 } })) }, state());
    const fp = (g: typeof a) => g.value.steps.filter((s) => s.kind === 'copy').map((s) => s.fingerprint);
    expect(fp(b)).toEqual(fp(a));
  });

  it('a merge source copied by an earlier version of the plan (another offset) is not copied again beside its earlier rows: the table is prepared and every source loaded again, or the plan refuses', () => {
    const member = (index: number, offset: number): TableMapping => {
      const base = table('orders');
      return {
        ...base,
        id: `merge orders: src${index}.public.orders -> dst.public.orders`,
        source: { ...base.source, endpoint: `src${index}` },
        columns: [{ ...column('id'), offset: String(offset) }, column('label', text)],
        merge: { name: 'orders', index, sources: 2, strategy: 'offset', onConflict: 'reject', slice: { tags: [], offsetKey: { sourceColumn: 'id', targetColumn: 'id', offset: String(offset) } } },
      };
    };
    const plan = (prepare: 'do_nothing' | 'truncate' | 'drop_and_create', secondOffset: number): CheckedPlan => ({ ...checked(prepare), tables: [member(0, 0), member(1, secondOffset)] });
    // The first version loaded both sources, the second source shifted by 1000.
    const first = build(plan('truncate', 1000), state());
    const firstCopies = first.value.steps.filter((s) => s.kind === 'copy');
    const firstDone = first.value.steps.filter((s) => s.kind === 'copy' || s.kind === 'validate');
    const loaded = state({
      catalog: catalog([existing('orders')]),
      completedSteps: new Set(firstDone.map((s) => s.fingerprint)),
      recordedStepIds: new Set(firstDone.map((s) => s.id)),
      nonEmptyTables: new Set(['public.orders']),
    });
    expect(build(plan('truncate', 1000), loaded).value.steps).toEqual([]);

    // Now shifted by 2000: its rows at 1001.. are in the table, and nothing but the plan's past tells them apart.
    const truncated = build(plan('truncate', 2000), loaded);
    expect(truncated.diagnostics).toEqual([]);
    expect(truncated.value.steps.filter((s) => s.kind === 'truncate_table' || s.kind === 'copy').map((s) => s.id)).toEqual([
      'truncate_table:dst.public.orders',
      'copy:dst.public.orders:src0.public.orders',
      'copy:dst.public.orders:src1.public.orders',
    ]);
    const refused = build(plan('do_nothing', 2000), loaded);
    expect(refused.diagnostics.map((d) => [d.code, d.message])).toEqual([['DMS4001', expect.stringContaining('holds the rows of src1.public.orders as an earlier version of this plan copied them')]]);

    // A source that never ran (the run stopped before it) is a resume: the other's rows stay.
    const resumed = build(plan('truncate', 1000), state({ ...loaded, completedSteps: new Set([firstCopies[0]!.fingerprint]), recordedStepIds: new Set([firstCopies[0]!.id]) }));
    expect(resumed.value.steps.filter((s) => s.kind === 'truncate_table' || s.kind === 'copy').map((s) => s.id)).toEqual(['copy:dst.public.orders:src1.public.orders']);
  });

  it('surrogate merges: the key map step comes before every copy of the merge, and before the copies of a child merge whose foreign key it rewrites', () => {
    const member = (name: string, merge: string, index: number, extra: Partial<ColumnMapping> | undefined): TableMapping => {
      const base = table(name, merge === 'orders' ? 'customers' : undefined);
      const keyColumn = { ...column('id'), keyMap: { table: `public.${name}`, merge, source: `src${index}.public.${name}`, lookup: 'row_key' as const } };
      const fkColumn = extra ? [{ ...column('customers_id'), ...extra }] : [];
      return {
        ...base,
        id: `merge ${merge}: src${index}.public.${name} -> dst.public.${name}`,
        source: { ...base.source, endpoint: `src${index}` },
        columns: [keyColumn, column('label', text), ...fkColumn],
        merge: { name: merge, index, sources: 2, strategy: 'surrogate', onConflict: 'reject', slice: { tags: [], offsetKey: undefined } },
      };
    };
    const rewrite = (index: number) => ({ keyMap: { table: 'public.customers', merge: 'customers', source: `src${index}.public.customers`, lookup: 'column' as const } });
    // The child merge is listed first: its dependency is added once the whole graph is known.
    const plan: CheckedPlan = { ...checked(), tables: [member('orders', 'orders', 0, rewrite(0)), member('orders', 'orders', 1, rewrite(1)), member('customers', 'customers', 0, undefined), member('customers', 'customers', 1, undefined)] };
    const g = build(plan, state());
    expect(g.diagnostics).toEqual([]);
    const ids = g.value.steps.map((s) => s.id);
    for (const s of g.value.steps) for (const d of s.dependsOn) expect(ids).toContain(d);
    const copies = (t: string) => g.value.steps.filter((s) => s.kind === 'copy' && s.id.startsWith(`copy:dst.public.${t}:`));
    expect(copies('customers').length).toBe(2);
    for (const c of copies('customers')) expect(c.dependsOn).toContain('map_keys:dst.public.customers');
    for (const c of copies('orders')) expect(c.dependsOn).toEqual(expect.arrayContaining(['map_keys:dst.public.orders', 'map_keys:dst.public.customers']));
    expect(g.value.steps.find((s) => s.id === 'map_keys:dst.public.customers')!.dependsOn).toContain('create_table:dst.public.customers');
    expect(renderPlanText(g.value, { color: false })).toContain('+ key map: new keys for id of 2 sources, in from order and key order, recorded in "_dmsplan"."key_map" (merge customers)');
  });
});

describe('standalone sequences (no column draws from them)', () => {
  const definition = (increment: string) => ({ dataType: 'bigint', start: increment.startsWith('-') ? '-1' : '1', increment, min: increment.startsWith('-') ? '-1000' : '1', max: increment.startsWith('-') ? '-1' : '1000', cycle: false, cache: '1' });
  const sequence = (name: string, lastValue: string | undefined, increment = '1') => ({ schema: 'public', name, lastValue, definition: definition(increment) });
  const withSequences = (...list: ReturnType<typeof sequence>[]): CheckedPlan => ({
    ...checked(),
    tables: [],
    sequences: list.map((q) => ({ source: { endpoint: 'src', schema: 'public', name: q.name }, target: { endpoint: 'dst', schema: 'public', name: q.name }, sequence: q })),
  });
  const on = (...list: ReturnType<typeof sequence>[]) => state({ catalog: { ...catalog(), sequences: list } });
  const planned = (plan: CheckedPlan, target: TargetState) => build(plan, target).value.steps.filter((s) => s.kind === 'create_sequence').map((s) => s.summary);

  it('makes one the target lacks, and moves one that is behind, never one level with or past the source\'s', () => {
    const plan = withSequences(sequence('up', '50'), sequence('down', '-50', '-1'), sequence('unused', undefined));
    expect(planned(plan, on())).toEqual(['public.up at 50', 'public.down at -50', 'public.unused (never used on the source)']);
    expect(planned(plan, on(sequence('up', '49'), sequence('down', '-49', '-1'), sequence('unused', undefined)))).toEqual(['public.up at 50', 'public.down at -50']);
    expect(planned(plan, on(sequence('up', '50'), sequence('down', '-51', '-1'), sequence('unused', '3')))).toEqual([]);
    expect(build(plan, on()).value.summary.sequences).toBe(3);
  });

  it('moves a sequence forward only: GREATEST of the source\'s value and the target\'s own (LEAST when it counts down)', () => {
    const sql = (q: ReturnType<typeof sequence>) => build(withSequences(q), on()).value.steps.find((s) => s.kind === 'create_sequence')!.sql;
    expect(sql(sequence('up', '50'))).toEqual([
      'CREATE SEQUENCE IF NOT EXISTS "public"."up" AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 1000 START WITH 1 CACHE 1 NO CYCLE',
      `SELECT setval('"public"."up"', GREATEST('50'::bigint, (SELECT CASE WHEN is_called THEN last_value END FROM "public"."up")), true)`,
    ]);
    expect(sql(sequence('down', '-50', '-1'))[1]).toContain('LEAST(');
    expect(sql(sequence('unused', undefined))).toHaveLength(1);
  });
});
