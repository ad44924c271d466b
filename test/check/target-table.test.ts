/**
 * DEFERRABLE on the target table definition: kept where the target can declare it, dropped with
 * DMS3431 where it cannot — MySQL, SQLite keys, and a PostgreSQL primary key that change capture
 * upserts by (ON CONFLICT takes no deferrable key).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTargetTable, mapForeignKey } from '../../src/check/target-table.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { sqliteEngine } from '../../src/engines/sqlite/index.js';
import type { EngineModule } from '../../src/engines/contract.js';
import type { ForeignKeyCatalog, TableCatalog } from '../../src/schema/catalog.js';

const TABLE = {
  schema: 'public',
  name: 'tag',
  columns: [],
  primaryKey: { name: 'tag_pkey', columns: ['id'], deferrable: 'initially_immediate' },
  uniqueKeys: [{ name: 'tag_label_key', columns: ['label'], deferrable: 'initially_deferred' }],
  foreignKeys: [],
  indexes: [],
  checks: [],
} as unknown as TableCatalog;
const RENAMED = new Map([
  ['id', 'id'],
  ['label', 'label'],
]);

function build(target: EngineModule, followsChanges: boolean) {
  const diagnostics: Diagnostic[] = [];
  const def = buildTargetTable({ table: TABLE, columns: [], renamed: RENAMED, source: postgresEngine, target, schema: 'public', name: 'tag', naming: (n) => n, span: undefined, followsChanges }, diagnostics);
  return { def, warnings: diagnostics.filter((d) => d.code === 'DMS3431').map((d) => d.message) };
}

describe('deferrable keys on the target', () => {
  it('PostgreSQL keeps both, and warns of nothing', () => {
    const { def, warnings } = build(postgresEngine, false);
    expect(def.primaryKey?.deferrable).toBe('initially_immediate');
    expect(def.uniqueKeys[0]?.deferrable).toBe('initially_deferred');
    expect(warnings).toEqual([]);
  });

  it('PostgreSQL with change capture keeps the unique key deferrable but not the primary key', () => {
    const { def, warnings } = build(postgresEngine, true);
    expect(def.primaryKey?.deferrable).toBeUndefined();
    expect(def.uniqueKeys[0]?.deferrable).toBe('initially_deferred');
    expect(warnings).toEqual([expect.stringMatching(/key tag_pkey is DEFERRABLE on the source; postgres checks it at once: change capture upserts by this key/)]);
  });

  it('MySQL and SQLite keep neither key deferrable, each with a warning', () => {
    for (const target of [mysqlEngine, sqliteEngine]) {
      const { def, warnings } = build(target, false);
      expect(def.primaryKey?.deferrable).toBeUndefined();
      expect(def.uniqueKeys[0]?.deferrable).toBeUndefined();
      expect(warnings).toHaveLength(2);
    }
  });
});

describe('deferrable foreign keys on the target', () => {
  const fk: ForeignKeyCatalog = { name: 'book_author_fk', columns: ['author_id'], referencedSchema: 'public', referencedTable: 'author', referencedColumns: ['id'], onDelete: 'no_action', onUpdate: 'no_action', deferrable: 'initially_deferred' };
  const map = (target: EngineModule) => {
    const diagnostics: Diagnostic[] = [];
    const mapped = mapForeignKey(fk, new Map([['author_id', 'author_id']]), { schema: 'public', name: 'author', renamed: new Map([['id', 'id']]) }, (n) => n, { source: postgresEngine, target, table: 'book' }, { what: 'public.book', span: undefined, diagnostics });
    return { mapped, warnings: diagnostics.filter((d) => d.code === 'DMS3431') };
  };

  it('is kept on PostgreSQL and SQLite, dropped with a warning on MySQL', () => {
    expect(map(postgresEngine)).toMatchObject({ mapped: { deferrable: 'initially_deferred' }, warnings: [] });
    expect(map(sqliteEngine)).toMatchObject({ mapped: { deferrable: 'initially_deferred' }, warnings: [] });
    const mysql = map(mysqlEngine);
    expect(mysql.mapped?.deferrable).toBeUndefined();
    expect(mysql.warnings).toHaveLength(1);
  });

  it('keeps its name where it starts with its table\'s, and prefixes it where a per-table name meets a per-schema scope (PostgreSQL → MySQL)', () => {
    expect(map(mysqlEngine).mapped?.name).toBe('book_author_fk');
    const diagnostics: Diagnostic[] = [];
    const named = (target: EngineModule) => mapForeignKey({ ...fk, name: 'fk_author' }, new Map([['author_id', 'author_id']]), { schema: 'public', name: 'author', renamed: new Map([['id', 'id']]) }, (n) => n, { source: postgresEngine, target, table: 'book' }, { what: 'public.book', span: undefined, diagnostics })?.name;
    expect(named(mysqlEngine)).toBe('book_fk_author');
    expect(named(postgresEngine)).toBe('fk_author');
  });
});

describe('INCLUDE columns, NULLS NOT DISTINCT and MATCH FULL on the target', () => {
  const table = {
    ...TABLE,
    primaryKey: { name: 'tag_pkey', columns: ['id'], include: ['label'] },
    uniqueKeys: [{ name: 'tag_label_key', columns: ['label'], nullsNotDistinct: true, include: ['id', 'dropped'] }],
    indexes: [{ name: 'tag_nnd', unique: true, parts: [{ column: 'label', descending: false }], where: undefined, method: 'btree', nullsNotDistinct: true, include: ['id'] }],
  } as unknown as TableCatalog;
  const build = (target: EngineModule, targetVersion?: string) => {
    const diagnostics: Diagnostic[] = [];
    const def = buildTargetTable({ table, columns: [], renamed: RENAMED, source: postgresEngine, target, schema: 'public', name: 'tag', naming: (n) => n, span: undefined, targetVersion }, diagnostics);
    return { def, warnings: diagnostics.filter((d) => d.code === 'DMS3440').map((d) => d.message) };
  };

  it('PostgreSQL 15 and later keep them, INCLUDE without the columns the plan does not migrate', () => {
    for (const version of [undefined, '15.19 (Debian 15.19-0+deb12u1)', '17.4']) {
      const { def, warnings } = build(postgresEngine, version);
      expect(def.primaryKey?.include).toEqual(['label']);
      expect(def.uniqueKeys[0]).toMatchObject({ nullsNotDistinct: true, include: ['id'] });
      expect(def.indexes[0]).toMatchObject({ nullsNotDistinct: true, include: ['id'] });
      expect(warnings).toEqual([]);
    }
  });

  it('PostgreSQL 14, MySQL and SQLite: NULLS NOT DISTINCT is dropped with DMS3440; INCLUDE only on PostgreSQL', () => {
    const pg14 = build(postgresEngine, '14.11');
    expect(pg14.def.uniqueKeys[0]?.nullsNotDistinct).toBeUndefined();
    expect(pg14.def.uniqueKeys[0]?.include).toEqual(['id']);
    expect(pg14.warnings).toEqual([expect.stringMatching(/key tag_label_key is UNIQUE NULLS NOT DISTINCT .* on postgres 14\.11 NULLs stay distinct/), expect.stringMatching(/index tag_nnd/)]);
    for (const target of [mysqlEngine, sqliteEngine]) {
      const { def, warnings } = build(target);
      expect(def.uniqueKeys[0]).not.toHaveProperty('include');
      expect(def.uniqueKeys[0]).not.toHaveProperty('nullsNotDistinct');
      expect(warnings).toHaveLength(2);
    }
  });

  it('MATCH FULL is kept on PostgreSQL and called out elsewhere, for a foreign key of more than one column', () => {
    const fk: ForeignKeyCatalog = { name: 'fk_ab', columns: ['a', 'b'], referencedSchema: 'public', referencedTable: 'p', referencedColumns: ['a', 'b'], onDelete: 'no_action', onUpdate: 'no_action', matchFull: true };
    const renamed = new Map([['a', 'a'], ['b', 'b']]);
    const map = (target: EngineModule, key = fk) => {
      const diagnostics: Diagnostic[] = [];
      const mapped = mapForeignKey(key, renamed, { schema: 'public', name: 'p', renamed }, (n) => n, { source: postgresEngine, target, table: 'c' }, { what: 'public.c', span: undefined, diagnostics });
      return { mapped, warnings: diagnostics.filter((d) => d.code === 'DMS3440') };
    };
    expect(map(postgresEngine)).toMatchObject({ mapped: { matchFull: true }, warnings: [] });
    for (const target of [mysqlEngine, sqliteEngine]) {
      const { mapped, warnings } = map(target);
      expect(mapped?.matchFull).toBeUndefined();
      expect(warnings).toHaveLength(1);
    }
    // One column: MATCH FULL means what MATCH SIMPLE does, nothing to say.
    expect(map(mysqlEngine, { ...fk, columns: ['a'], referencedColumns: ['a'] }).warnings).toEqual([]);
  });
});

describe('ON DELETE SET NULL (columns)', () => {
  it('keeps its column list on PostgreSQL (renamed) and warns (DMS3440) where SET NULL would set every column', () => {
    const fk: ForeignKeyCatalog = { name: 'fk_ab', columns: ['a', 'b'], referencedSchema: 'public', referencedTable: 'p', referencedColumns: ['a', 'b'], onDelete: 'set_null', onUpdate: 'no_action', onDeleteColumns: ['b'] };
    const renamed = new Map([['a', 'a'], ['b', 'b_new']]);
    const map = (target: EngineModule, key = fk) => {
      const diagnostics: Diagnostic[] = [];
      const mapped = mapForeignKey(key, renamed, { schema: 'public', name: 'p', renamed: new Map([['a', 'a'], ['b', 'b']]) }, (n) => n, { source: postgresEngine, target, table: 'c' }, { what: 'public.c', span: undefined, diagnostics });
      return { mapped, warnings: diagnostics.filter((d) => d.code === 'DMS3440').map((d) => d.message) };
    };
    expect(map(postgresEngine)).toMatchObject({ mapped: { onDeleteColumns: ['b_new'] }, warnings: [] });
    for (const target of [mysqlEngine, sqliteEngine]) {
      const { mapped, warnings } = map(target);
      expect(mapped?.onDeleteColumns).toBeUndefined();
      expect(warnings).toEqual([expect.stringContaining('ON DELETE SET NULL (b_new)')]);
    }
    // A list of every referencing column says what the plain action says.
    expect(map(mysqlEngine, { ...fk, onDeleteColumns: ['b', 'a'] }).warnings).toEqual([]);
  });
});

describe('SET DEFAULT actions', () => {
  it('are kept where the target enforces them, and made NO ACTION on MySQL with a warning (DMS3440) saying so', () => {
    const actions = ['no_action', 'restrict', 'cascade', 'set_null', 'set_default'] as const;
    const renamed = new Map([['a', 'a']]);
    fc.assert(
      fc.property(fc.constantFrom(...actions), fc.constantFrom(...actions), (onDelete, onUpdate) => {
        const fk: ForeignKeyCatalog = { name: 'fk_a', columns: ['a'], referencedSchema: 'public', referencedTable: 'p', referencedColumns: ['a'], onDelete, onUpdate };
        for (const target of [postgresEngine, sqliteEngine, mysqlEngine]) {
          const diagnostics: Diagnostic[] = [];
          const mapped = mapForeignKey(fk, renamed, { schema: 'public', name: 'p', renamed }, (n) => n, { source: postgresEngine, target, table: 'c' }, { what: 'public.c', span: undefined, diagnostics });
          const enforced = target !== mysqlEngine;
          const kept = (action: typeof onDelete) => (enforced || action !== 'set_default' ? action : 'no_action');
          expect(mapped).toMatchObject({ onDelete: kept(onDelete), onUpdate: kept(onUpdate) });
          const warned = diagnostics.filter((d) => d.code === 'DMS3440').map((d) => d.message);
          const setDefault = onDelete === 'set_default' || onUpdate === 'set_default';
          expect(warned).toEqual(!enforced && setDefault ? [expect.stringContaining('made NO ACTION')] : []);
        }
      }),
    );
  });
});

describe('exclusion constraints', () => {
  it('are listed with their definition, not created, on every target (DMS3443); a PostgreSQL one is told how to add it', () => {
    const table = { ...TABLE, exclusions: [{ name: 'no_overlap', expression: 'EXCLUDE USING gist (room WITH =, during WITH &&)' }] } as unknown as TableCatalog;
    for (const target of [postgresEngine, mysqlEngine]) {
      const diagnostics: Diagnostic[] = [];
      const def = buildTargetTable({ table, columns: [], renamed: RENAMED, source: postgresEngine, target, schema: 'public', name: 'tag', naming: (n) => n, span: undefined }, diagnostics);
      expect(def.checks).toEqual([]);
      const warned = diagnostics.filter((d) => d.code === 'DMS3443');
      expect(warned.map((d) => d.message)).toEqual([expect.stringContaining('exclusion constraint no_overlap (EXCLUDE USING gist (room WITH =, during WITH &&)) is not created')]);
      expect(warned[0]!.hint ?? '').toMatch(target === postgresEngine ? /ADD CONSTRAINT no_overlap EXCLUDE/ : /^$/);
    }
  });
});

describe('row-level security', () => {
  it('is called out where the source enables it or has policies (DMS3444), never silently dropped', () => {
    const build = (rowSecurity: TableCatalog['rowSecurity'], target: EngineModule) => {
      const diagnostics: Diagnostic[] = [];
      buildTargetTable({ table: { ...TABLE, rowSecurity } as TableCatalog, columns: [], renamed: RENAMED, source: postgresEngine, target, schema: 'public', name: 'tag', naming: (n) => n, span: undefined }, diagnostics);
      return diagnostics.filter((d) => d.code === 'DMS3444').map((d) => d.message);
    };
    expect(build({ enabled: true, policies: ['own_rows'] }, postgresEngine)).toEqual([expect.stringMatching(/public\.tag has row-level security enabled on the source \(policy own_rows\); on postgres the table is created without it — every user who can read the table reads every row/)]);
    expect(build({ enabled: false, policies: ['a', 'b'] }, mysqlEngine)).toEqual([expect.stringMatching(/row-level security policies on the source \(policies a, b\); on mysql the table is created without them/)]);
    expect(build(undefined, postgresEngine)).toEqual([]);
  });

  it('is made again between PostgreSQL servers, policies and all, where the columns keep their names and the target has the roles', () => {
    const definitions = [
      { name: 'own_rows', permissive: true, command: 'all' as const, roles: [], using: '(owner = CURRENT_USER)' },
      { name: 'auditors', permissive: false, command: 'select' as const, roles: ['auditor'], using: 'true' },
    ];
    const rowSecurity = { enabled: true, forced: true, policies: ['auditors', 'own_rows'], definitions };
    const build = (namesKept: boolean, roles: readonly string[]) => {
      const diagnostics: Diagnostic[] = [];
      const def = buildTargetTable({ table: { ...TABLE, rowSecurity } as TableCatalog, columns: [], renamed: RENAMED, source: postgresEngine, target: postgresEngine, schema: 'public', name: 'tag', naming: (n) => n, span: undefined, namesKept, targetRoles: new Set(roles) }, diagnostics);
      return { kept: def.rowSecurity, warnings: diagnostics.filter((d) => d.code === 'DMS3444').map((d) => d.message) };
    };
    expect(build(true, ['auditor', 'app'])).toEqual({ kept: { enabled: true, forced: true, policies: definitions }, warnings: [] });
    expect(build(true, ['app'])).toEqual({ kept: undefined, warnings: [expect.stringMatching(/on postgres the table is created without it — every user who can read the table reads every row \(postgres has no role auditor\)$/)] });
    expect(build(false, ['auditor'])).toEqual({ kept: undefined, warnings: [expect.stringMatching(/\(a column is renamed or dropped, and the policies name columns\)$/)] });
  });

  it('refuses a table whose policies hide rows from the source user (DMS3452): they would be left out, unseen by validation', () => {
    const errors = (rowSecurity: TableCatalog['rowSecurity']) => {
      const diagnostics: Diagnostic[] = [];
      buildTargetTable({ table: { ...TABLE, rowSecurity } as TableCatalog, columns: [], renamed: RENAMED, source: postgresEngine, target: postgresEngine, schema: 'public', name: 'tag', naming: (n) => n, span: undefined }, diagnostics);
      return diagnostics.filter((d) => d.code === 'DMS3452').map((d) => [d.severity, d.message]);
    };
    expect(errors({ enabled: true, policies: ['own_rows'], hidesRows: true })).toEqual([['error', expect.stringMatching(/^public\.tag: the source user reads it through row-level security \(policy own_rows\)/)]]);
    expect(errors({ enabled: true, policies: ['own_rows'] })).toEqual([]);
  });
});

describe('an index part under its own collation (SQLite `login COLLATE NOCASE`)', () => {
  const table = {
    schema: 'main',
    name: 'users',
    columns: [],
    primaryKey: undefined,
    uniqueKeys: [],
    foreignKeys: [],
    indexes: [{ name: 'ux_login', unique: true, parts: [{ column: 'login', descending: false, collation: 'NOCASE' }], where: undefined, method: 'btree' }],
    checks: [],
  } as unknown as TableCatalog;
  const build = (target: EngineModule) => {
    const diagnostics: Diagnostic[] = [];
    const def = buildTargetTable({ table, columns: [], renamed: new Map([['login', 'login']]), source: sqliteEngine, target, schema: undefined, name: 'users', naming: (n) => n, span: undefined }, diagnostics);
    return { parts: def.indexes[0]?.parts, warnings: diagnostics.filter((d) => d.code === 'DMS3437').map((d) => d.message) };
  };

  it('keeps the collation into SQLite, and into another engine says the index now compares exact values', () => {
    expect(build(sqliteEngine)).toEqual({ parts: [{ column: 'login', descending: false, collation: 'NOCASE' }], warnings: [] });
    const pg = build(postgresEngine);
    expect(pg.parts).toEqual([{ column: 'login', descending: false }]);
    expect(pg.warnings).toEqual([expect.stringMatching(/index ux_login compares login under the sqlite collation "NOCASE", which postgres does not have: there it compares exact values \(a unique index/)]);
  });
});

describe('a column declared with a collation that ignores case (SQLite `email TEXT COLLATE NOCASE UNIQUE`)', () => {
  const native = sqliteEngine.types.parseNative('TEXT')!;
  const column = { name: 'email', ordinal: 1, nativeType: native, logical: sqliteEngine.types.toLogical(native), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: 'NOCASE', charset: undefined, comment: undefined };
  const table = { schema: 'main', name: 'users', columns: [column], primaryKey: undefined, uniqueKeys: [{ name: 'users_email_key', columns: ['email'] }], foreignKeys: [], indexes: [], checks: [] } as unknown as TableCatalog;
  const build = (target: EngineModule) => {
    const targetType = target === sqliteEngine ? native : target.types.parseNative('text')!;
    const mapping = { target: 'email', source: { kind: 'column', name: 'email', native, logical: column.logical }, targetType, targetLogical: target.types.toLogical(targetType), conversion: 'none', lossless: true, lossReason: undefined, rule: { origin: 'builtin', text: 'text -> text', span: undefined }, mask: undefined, ...(target === sqliteEngine ? { keepsStoredValues: true } : {}) };
    const diagnostics: Diagnostic[] = [];
    const def = buildTargetTable({ table, columns: [mapping] as never, renamed: new Map([['email', 'email']]), source: sqliteEngine, target, schema: undefined, name: 'users', naming: (n) => n, span: undefined }, diagnostics);
    return { collation: def.columns[0]?.collation, warnings: diagnostics.filter((d) => d.code === 'DMS3437').map((d) => d.message) };
  };

  it('keeps it into SQLite; into PostgreSQL the column compares exact values, and the plan says so (it said nothing)', () => {
    expect(build(sqliteEngine)).toEqual({ collation: 'NOCASE', warnings: [] });
    expect(build(postgresEngine)).toEqual({
      collation: undefined,
      warnings: ['main.users.email has collation NOCASE, which compares ignoring ASCII case; postgres has no such collation, so there the column compares exact values (its unique key users_email_key then takes values that differ only in ASCII case, which the source refuses)'],
    });
  });
});

describe("a MySQL SET with the empty string among its members (SET('', 'x'))", () => {
  const build = (members: readonly string[], target: EngineModule) => {
    const native = mysqlEngine.types.parseNative(`set(${members.map((m) => `'${m}'`).join(',')})`)!;
    const logical = mysqlEngine.types.toLogical(native);
    const column = { name: 'flags', ordinal: 1, nativeType: native, logical, nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined };
    const table = { schema: 'shop', name: 'items', columns: [column], primaryKey: undefined, uniqueKeys: [], foreignKeys: [], indexes: [], checks: [] } as unknown as TableCatalog;
    const targetType = target === mysqlEngine ? native : target.types.parseNative('text[]')!;
    const mapping = { target: 'flags', source: { kind: 'column', name: 'flags', native, logical }, targetType, targetLogical: target.types.toLogical(targetType), conversion: target === mysqlEngine ? 'none' : 'set_to_array', lossless: true, lossReason: undefined, rule: { origin: 'builtin', text: 'set -> set', span: undefined }, mask: undefined };
    const diagnostics: Diagnostic[] = [];
    buildTargetTable({ table, columns: [mapping] as never, renamed: new Map([['flags', 'flags']]), source: mysqlEngine, target, schema: 'shop', name: 'items', naming: (n) => n, span: undefined }, diagnostics);
    return diagnostics.filter((d) => d.code === 'DMS3481').map((d) => d.message);
  };

  it("says that rows holding '' arrive without it (MySQL reads '' and 'x' as 'x'; the copy and its checksum lost it silently)", () => {
    expect(build(['', 'x'], mysqlEngine)).toEqual([expect.stringMatching(/^shop\.items\.flags is a SET with the empty string '' among its members: mysql reads a set holding it the same as the set without it/)]);
    expect(build(['', 'x'], postgresEngine)).toEqual([expect.stringContaining("so on postgres such rows hold the other members only")]);
    expect(build(['a', 'x'], postgresEngine)).toEqual([]);
  });
});
