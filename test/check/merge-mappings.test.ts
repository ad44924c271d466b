/**
 * The column types of a merge's later sources: the first source's target types decide, and where
 * the type rules give a later source's column that type anyway, their conversion comes with it.
 * Before, the second source's MySQL datetime was read without zero_dates_to_null (the first's
 * had it): its zero dates were rejected while the first source's became NULL.
 */
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';
import { col, tbl } from './support/merge-fixtures.js';

function shop(schema: string, created: string, nullable = true): Catalog {
  return {
    engine: 'mysql',
    database: schema,
    serverVersion: '10.11',
    schemas: [schema],
    tables: [tbl(schema, 'customers', [col('id', 'int(11)', { nullable: false }), col('created', created, { nullable })])],
    sequences: [],
    others: [],
  };
}

function checkMerge(euCreated: string, usCreated: string, target: 'postgres' | 'mysql' | 'sqlite' = 'postgres', nullable: { eu: boolean; us: boolean } = { eu: true, us: true }) {
  const text = `source eu mysql { url = env("EU") }
source us mysql { url = env("US") }
target dw ${target} { url = env("DW") }
merge customers into dw.crm.customers {
  from eu.eu_shop.customers tag region = 'eu'
  from us.us_shop.customers tag region = 'us'
  key (region, id)
}
`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['eu', shop('eu_shop', euCreated, nullable.eu)], ['us', shop('us_shop', usCreated, nullable.us)]]), builtinRules: builtinTypeRules });
}

const created = (r: ReturnType<typeof checkMerge>) => r.value.tables.map((t) => t.columns.find((c) => c.target === 'created')!).map((c) => `${c.source.kind === 'column' ? c.source.native.text : ''} → ${c.targetType.text} using ${c.conversion}`);

describe('the columns of a merge\'s later sources', () => {
  it('convert with the rule the first source\'s column was converted with, where it gives the same type', () => {
    const r = checkMerge('datetime', 'datetime');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(created(r)).toEqual(['datetime → timestamp(0) without time zone using zero_dates_to_null', 'datetime → timestamp(0) without time zone using zero_dates_to_null']);
  });

  it('take the first source\'s type where their own rule would give another', () => {
    const r = checkMerge('datetime', 'datetime(3)');
    expect(created(r)[0]).toBe('datetime → timestamp(0) without time zone using zero_dates_to_null');
    expect(r.value.tables[1]!.columns.find((c) => c.target === 'created')!.targetType.text).toBe('timestamp(0) without time zone');
    // Narrowing datetime(3) into it is refused, as any narrowing without lossy.
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['DMS3001']);
  });
});

describe('tag columns', () => {
  const region = (r: ReturnType<typeof checkMerge>) => r.value.tables.map((t) => t.columns.find((c) => c.target === 'region')!.targetType.text);

  // They are in the merged key: a MySQL LONGTEXT cannot be (CREATE TABLE failed at apply with
  // "BLOB/TEXT column 'region' used in key specification without a key length").
  it('are bounded text where the target indexes unbounded text only by a prefix', () => {
    const r = checkMerge('datetime', 'datetime', 'mysql');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(region(r)).toEqual(['varchar(64)', 'varchar(64)']);
    expect(r.value.tables[0]!.targetDef.primaryKey?.columns).toEqual(['region', 'id']);
  });

  it('stay text of any length where the target indexes whole values', () => {
    expect(region(checkMerge('datetime', 'datetime'))).toEqual(['text', 'text']);
  });
});

describe('sources whose columns differ slightly', () => {
  const labels = (r: ReturnType<typeof checkMerge>) => r.value.tables.map((t) => t.columns.find((c) => c.target === 'created')!.targetLogical).map((l) => (l.kind === 'enum' ? l.values : l.kind));
  const codes = (r: ReturnType<typeof checkMerge>) => r.diagnostics.map((d) => `${d.severity} ${d.code}`);

  // Before, the merged enum had the first source's labels: the plan said nothing, and every row of
  // us holding 'banned' was refused at apply ('invalid input value for enum').
  it('an enum with more labels on a later source: the merged enum takes them all, and the plan says so (DMS3570)', () => {
    const r = checkMerge("enum('active','inactive')", "enum('active','banned','inactive')");
    expect(codes(r)).toEqual(['warning DMS3570']);
    expect(r.diagnostics[0]!.message).toContain("'banned' (us.us_shop.customers)");
    expect(labels(r)[0]).toEqual(['active', 'inactive', 'banned']);
    const mysql = checkMerge("enum('active','inactive')", "enum('active','banned','inactive')", 'mysql');
    expect(mysql.value.tables[0]!.targetDef.columns.find((c) => c.name === 'created')!.type.text).toBe("enum('active','inactive','banned')");
  });

  // Before, the first source's NOT NULL decided: every NULL of us was refused at apply, unannounced.
  it('NOT NULL on the first source, NULL allowed on a later one: the merged column allows NULL', () => {
    const createdOf = (r: ReturnType<typeof checkMerge>) => r.value.tables.map((t) => t.targetDef.columns.find((c) => c.name === 'created')!.nullable);
    expect(createdOf(checkMerge('int', 'int', 'postgres', { eu: false, us: true }))).toEqual([true, true]);
    expect(createdOf(checkMerge('int', 'int', 'postgres', { eu: false, us: false }))).toEqual([false, false]);
    expect(checkMerge('int', 'int', 'postgres', { eu: false, us: true }).value.tables[0]!.targetDef.columns.find((c) => c.name === 'id')!.nullable).toBe(false);
  });

  it('the same labels: nothing to say', () => {
    expect(codes(checkMerge("enum('a','b')", "enum('a','b')"))).toEqual([]);
  });

  it('text into the enum of the first source: refused with what to do (DMS3571), not "customers_created is not a postgres type"', () => {
    const r = checkMerge("enum('a','b')", 'text');
    expect(codes(r)).toEqual(['error DMS3571']);
    expect(r.diagnostics[0]!.hint).toContain('list first a source whose created is text');
    // The other way round every label fits the text.
    expect(codes(checkMerge('text', "enum('a','b')"))).toEqual([]);
  });

  it('a wider column on a later source: the narrowing hint is a type rule a plan can hold, not a `column` line a merge cannot', () => {
    const r = checkMerge('varchar(50)', 'varchar(100)');
    expect(codes(r)).toEqual(['error DMS3001']);
    expect(r.diagnostics[0]!.hint).toContain('types mysql -> postgres { column customers.created: varchar(100) -> "character varying"(50) lossy }');
  });
});
