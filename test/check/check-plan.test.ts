import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/check/check-plan.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { compilePlan } from '../../src/ir/load.js';
import type { Catalog, ColumnCatalog, TableCatalog } from '../../src/schema/catalog.js';
import { builtinTypeRules } from '../../src/types/prelude.js';

function col(name: string, type: string, extra: Partial<ColumnCatalog> = {}): ColumnCatalog {
  const nativeType = mysqlEngine.types.parseNative(type)!;
  return { name, ordinal: 1, nativeType, logical: mysqlEngine.types.toLogical(nativeType), nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, collation: undefined, charset: undefined, comment: undefined, ...extra };
}

function tbl(name: string, columns: ColumnCatalog[], extra: Partial<TableCatalog> = {}): TableCatalog {
  return { schema: 'shop', name, kind: 'table', columns, primaryKey: { name: 'PRIMARY', columns: [columns[0]!.name] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], rowEstimate: 10, comment: undefined, ...extra };
}

const catalog: Catalog = {
  engine: 'mysql',
  database: 'shop',
  serverVersion: '10.11',
  schemas: ['shop'],
  tables: [
    tbl('Customer', [col('CustomerId', 'int(11)', { nullable: false }), col('Email', 'varchar(60)'), col('Flag', 'tinyint(1)')]),
    tbl('Invoice', [col('InvoiceId', 'int(11)', { nullable: false }), col('CustomerId', 'int(11)'), col('Total', 'decimal(10,2)')], {
      foreignKeys: [{ name: 'FK_Invoice_Customer', columns: ['CustomerId'], referencedSchema: 'shop', referencedTable: 'Customer', referencedColumns: ['CustomerId'], onDelete: 'cascade', onUpdate: 'no_action' }],
    }),
    tbl('TmpLog', [col('id', 'int(11)')]),
  ],
  sequences: [],
  others: [{ schema: 'shop', name: 'recalc', kind: 'procedure' }],
};

function check(mapBody: string, extra = '') {
  const text = `source src mysql {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n${mapBody}\n}\n${extra}`;
  const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalog]]), builtinRules: builtinTypeRules });
}

describe('the checker', () => {
  it('selects, names and types every table, and keeps foreign keys between migrated tables', () => {
    const r = check('  names = snake_case\n  exclude Tmp*');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.value.tables.map((t) => t.target.table)).toEqual(['customer', 'invoice']);
    const invoice = r.value.tables[1]!;
    expect(invoice.columns.map((c) => `${c.target}:${c.targetType.text}`)).toEqual(['invoice_id:integer', 'customer_id:integer', 'total:numeric(10,2)']);
    expect(invoice.targetDef.foreignKeys).toEqual([expect.objectContaining({ referencedTable: 'customer', columns: ['customer_id'], referencedColumns: ['customer_id'], onDelete: 'cascade' })]);
    expect(invoice.targetDef.primaryKey).toEqual({ name: 'invoice_pkey', columns: ['invoice_id'] });
    const flag = r.value.tables[0]!.columns.find((c) => c.target === 'flag')!;
    expect([flag.targetType.text, flag.conversion]).toEqual(['boolean', 'int_to_boolean']);
    expect(r.value.notMigrated.map((n) => n.name).sort()).toEqual(['TmpLog', 'recalc']);
  });

  it('drops a foreign key to a table it does not migrate, and says so', () => {
    const r = check('  exclude Customer');
    expect(r.value.tables.find((t) => t.source.table === 'Invoice')!.targetDef.foreignKeys).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toContain('DMS3406');
  });

  it('reports unknown tables and columns with a suggestion', () => {
    const r = check('  table Invoce {\n    drop Totl\n  }\n  table Invoice {\n    rename Totl -> amount\n  }');
    const byCode = (code: string) => r.diagnostics.filter((d) => d.code === code);
    expect(byCode('DMS3402')[0]!.hint).toContain('Invoice');
    expect(byCode('DMS3403')[0]!.hint).toContain('Total');
  });

  it('refuses a table left without columns where tables need one (MySQL, SQLite), not on PostgreSQL', () => {
    const codesFor = (target: string) => {
      const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${target} {\n  url = env("D")\n}\nmap src.shop.TmpLog -> dst.app.* {\n  table TmpLog {\n    drop id\n  }\n}\n`;
      const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
      return checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalog]]), builtinRules: builtinTypeRules }).diagnostics.map((d) => d.code);
    };
    expect(codesFor('mysql')).toContain('DMS3433');
    expect(codesFor('sqlite')).toContain('DMS3433');
    expect(codesFor('postgres')).not.toContain('DMS3433');
  });

  it('refuses, before anything is created, a table too wide for a MySQL target, and names the place to fix it', () => {
    const wide = (n: number, type: string) => tbl(`Wide${n}`, [col('id', 'int(11)', { nullable: false }), ...Array.from({ length: n }, (_, i) => col(`c${i}`, type))]);
    const wideCatalog: Catalog = { ...catalog, tables: [wide(1100, 'int(11)'), wide(999, 'varchar(100)'), wide(600, 'int(11)')] };
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const r = checkPlan({ ir: ir.value!, catalogs: new Map([['src', wideCatalog]]), builtinRules: builtinTypeRules });
    const wideDiagnostics = r.diagnostics.filter((d) => d.code === 'DMS3451');
    expect(wideDiagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['error', 'shop.Wide1100: mysql cannot create app.Wide1100 with 1,101 columns, more than the 1,017 an InnoDB table can have'],
      ['error', expect.stringMatching(/^shop\.Wide999: mysql cannot create app\.Wide999 with rows of at least 401,\d{3} bytes .*more than the 65,535/)],
    ]);
    expect(wideDiagnostics.every((d) => d.span !== undefined && d.hint?.includes('drop'))).toBe(true);
  });

  it('refuses two source tables landing in one target table, as the target compares names', () => {
    const r = check('  table TmpLog -> Customer {\n  }');
    expect(r.diagnostics.map((d) => d.code)).toContain('DMS3404');
    // PostgreSQL keeps `customer` and `Customer` apart; MySQL does not.
    expect(check('  table TmpLog -> customer {\n  }').diagnostics.map((d) => d.code)).not.toContain('DMS3404');
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n  table TmpLog -> customer {\n  }\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const intoMysql = checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalog]]), builtinRules: builtinTypeRules });
    expect(intoMysql.diagnostics.find((d) => d.code === 'DMS3404')?.message).toMatch(/\(as Customer: mysql compares table names ignoring case\)/);
  });

  it('compiles filters into the source dialect and refuses a lossy override the plan did not mark', () => {
    const ok = check('  table Invoice {\n    where Total > 10 and CustomerId in (1, 2)\n    column Total numeric(12, 1) using cast lossy\n  }');
    const invoice = ok.value.tables.find((t) => t.source.table === 'Invoice')!;
    expect(invoice.where).toBe('((`Total` > 10) AND (`CustomerId` IN (1, 2)))');
    expect(invoice.columns.find((c) => c.target === 'Total')!.lossless).toBe(false);
    const bad = check('  table Invoice {\n    column Total numeric(12, 1)\n  }');
    expect(bad.diagnostics.map((d) => d.code)).toContain('DMS3001');
  });
});

describe('keys and indexes on columns MySQL indexes only by a prefix (PostgreSQL text → MySQL longtext)', () => {
  const pgCol = (name: string, type: string): ColumnCatalog => {
    const nativeType = postgresEngine.types.parseNative(type)!;
    return { ...col(name, 'int'), name, nativeType, logical: postgresEngine.types.toLogical(nativeType), nullable: false };
  };
  const pgCatalog: Catalog = {
    engine: 'postgres',
    database: 'app',
    serverVersion: '15',
    schemas: ['public'],
    tables: [
      { ...tbl('tag', [pgCol('code', 'text')]), schema: 'public', primaryKey: { name: 'tag_pkey', columns: ['code'] } },
      {
        ...tbl('note', [pgCol('id', 'integer'), pgCol('body', 'text'), pgCol('tag', 'text')]),
        schema: 'public',
        primaryKey: { name: 'note_pkey', columns: ['id'] },
        indexes: [{ name: 'note_body_idx', unique: false, parts: [{ column: 'body', descending: false }], where: undefined, method: 'btree' }],
        foreignKeys: [{ name: 'note_tag_fkey', columns: ['tag'], referencedSchema: 'public', referencedTable: 'tag', referencedColumns: ['code'], onDelete: 'no_action', onUpdate: 'no_action' }],
      },
    ],
    sequences: [],
    others: [],
  };
  const checkInto = (target: string, types = '') => {
    const text = `source src postgres {\n  url = env("S")\n}\ntarget dst ${target} {\n  url = env("D")\n}\nmap src.public.* -> dst.app.* {\n}\n${types}`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return checkPlan({ ir: ir.value!, catalogs: new Map([['src', pgCatalog]]), builtinRules: builtinTypeRules });
  };

  it('refuses the key and the foreign key, and indexes the plain index on a prefix, with a warning', () => {
    const r = checkInto('mysql');
    const refused = r.diagnostics.filter((d) => d.code === 'DMS3435');
    expect(refused.map((d) => d.message)).toEqual([
      expect.stringMatching(/^public\.tag: key tag_pkey is on code, a longtext column/),
      expect.stringMatching(/^public\.note: foreign key note_tag_fkey is on tag, a longtext column/),
    ]);
    expect(refused[0]!.hint).toBe('bound the column with a type rule, e.g. in a types block: column tag.code: text -> varchar(255) lossy');
    expect(r.diagnostics.filter((d) => d.code === 'DMS3434').map((d) => d.message)).toEqual([expect.stringMatching(/index note_body_idx covers the first 191 characters of body/)]);
    const note = r.value.tables.find((t) => t.source.table === 'note')!;
    expect(note.targetDef.indexes[0]!.parts).toEqual([{ column: 'body', descending: false, prefixLength: 191 }]);
  });

  it("names the source's table and column in the hint, quoted where need be: taken as written, it bounds the column whatever its names and the map's naming", () => {
    // Any name a database allows, but a line break, which no plan string or name can hold.
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((n) => !/[\r\n]/.test(n) && n.trim() !== '');
    fc.assert(
      fc.property(name, name, fc.constantFrom('keep', 'lower', 'snake_case'), (tableName, columnName, names) => {
        const catalog: Catalog = { ...pgCatalog, tables: [{ ...tbl(tableName, [pgCol(columnName, 'text')]), schema: 'public', primaryKey: { name: 'k', columns: [columnName] } }] };
        const checkWith = (types: string) => {
          const text = `source src postgres {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.public.* -> dst.app.* {\n  names = ${names}\n}\n${types}`;
          const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
          expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          return checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalog]]), builtinRules: builtinTypeRules }).diagnostics.filter((d) => d.code === 'DMS3435');
        };
        const refused = checkWith('');
        expect(refused).toHaveLength(1);
        const rule = /in a types block: (.*)$/s.exec(refused[0]!.hint!)![1]!;
        expect(checkWith(`types postgres -> mysql {\n  ${rule}\n}`)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('takes the hint: with the columns bounded, nothing is refused', () => {
    const r = checkInto('mysql', 'types postgres -> mysql {\n  column tag.code: text -> varchar(255) lossy\n  column note.tag: text -> varchar(255) lossy\n}');
    expect(r.diagnostics.filter((d) => d.code === 'DMS3435')).toEqual([]);
  });

  it('leaves a FULLTEXT index whole (MySQL → MySQL): the prefix rule is the B-tree\'s', () => {
    const doc = tbl('doc', [col('id', 'int(11)'), col('body', 'text')], { indexes: [{ name: 'body', unique: false, parts: [{ column: 'body', descending: false }], where: undefined, method: 'fulltext' }] });
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.shop.doc -> dst.app.* {\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const r = checkPlan({ ir: ir.value!, catalogs: new Map([['src', { ...catalog, tables: [doc] }]]), builtinRules: builtinTypeRules });
    expect(r.diagnostics.filter((d) => d.code === 'DMS3434')).toEqual([]);
    expect(r.value.tables[0]!.targetDef.indexes[0]!.parts).toEqual([{ column: 'body', descending: false }]);
  });

  it('makes a MySQL FULLTEXT index a full-text index on PostgreSQL (GIN over to_tsvector) and leaves it out on SQLite (DMS3407)', () => {
    const doc = tbl('doc', [col('id', 'int(11)'), col('title', 'varchar(100)'), col('body', 'text')], {
      indexes: [{ name: 'ft', unique: false, parts: [{ column: 'title', descending: false }, { column: 'body', descending: false }], where: undefined, method: 'fulltext' }],
    });
    const into = (engine: string) => {
      const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.doc -> dst.${engine === 'sqlite' ? 'main' : 'app'}.* {\n}\n`;
      return checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', { ...catalog, tables: [doc] }]]), builtinRules: builtinTypeRules });
    };
    const pg = into('postgres');
    expect(pg.value.tables[0]!.targetDef.indexes).toEqual([expect.objectContaining({ name: 'doc_ft', method: 'fulltext', parts: [{ column: 'title', descending: false }, { column: 'body', descending: false }] })]);
    expect(postgresEngine.dialect.createIndex({ schema: 'app', name: 'doc' }, pg.value.tables[0]!.targetDef.indexes[0]!)[0]).toContain(`USING gin (to_tsvector('simple', coalesce("title"::text, '') || ' ' || coalesce("body"::text, '')))`);
    const lite = into('sqlite');
    expect(lite.value.tables[0]!.targetDef.indexes).toEqual([]);
    expect(lite.diagnostics.filter((d) => d.code === 'DMS3407').map((d) => d.message)).toEqual([expect.stringContaining('index ft is not reproduced on sqlite (fulltext index)')]);
  });

  it('leaves PostgreSQL targets alone', () => {
    const r = checkInto('postgres');
    expect(r.diagnostics.filter((d) => d.code === 'DMS3434' || d.code === 'DMS3435')).toEqual([]);
  });
});

describe('zero dates into a NOT NULL column (MySQL → PostgreSQL)', () => {
  const zeroCatalog: Catalog = {
    ...catalog,
    tables: [
      tbl('Event', [
        col('id', 'int(11)', { nullable: false }),
        col('at', 'datetime', { nullable: false, default: { kind: 'literal', text: '0000-00-00 00:00:00' } }),
        col('on', 'date', { nullable: false, default: { kind: 'literal', text: '2000-01-01' } }),
        col('plain', 'datetime', { nullable: false }),
      ]),
    ],
  };
  const run = () => {
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    return checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', zeroCatalog]]), builtinRules: builtinTypeRules });
  };

  it('lets a column whose default is the zero date take NULL, with DMS3441; the others stay NOT NULL', () => {
    const r = run();
    const columns = r.value.tables[0]!.targetDef.columns;
    expect(columns.map((c) => [c.name, c.nullable])).toEqual([
      ['id', false],
      ['at', true],
      ['on', false],
      ['plain', false],
    ]);
    expect(r.diagnostics.filter((d) => d.code === 'DMS3441').map((d) => d.message)).toEqual([expect.stringContaining('shop.Event.at is NOT NULL with the zero date as its default')]);
    // The zero date itself is no default on PostgreSQL.
    expect(columns.find((c) => c.name === 'at')?.default).toBeUndefined();
  });
});

describe('generated columns', () => {
  const genCatalog: Catalog = {
    ...catalog,
    tables: [tbl('Gen', [col('id', 'int(11)', { nullable: false }), col('x', 'int(11)'), col('Doubled', 'int(11)', { generated: { expression: '`x` * 2', stored: false } })])],
  };
  const into = (engine: string, body = '') => {
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n${body}\n}\n`;
    return checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', genCatalog]]), builtinRules: builtinTypeRules });
  };

  it('stay generated on a target of the same dialect, where the target computes them and nothing writes them', () => {
    const r = into('mysql');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3409');
    const t = r.value.tables[0]!;
    expect(t.columns.map((c) => c.target)).toEqual(['id', 'x']);
    expect(t.targetDef.columns.map((c) => [c.name, c.generated?.expression ?? null])).toEqual([['id', null], ['x', null], ['Doubled', '`x` * 2']]);
  });

  it('are copied as plain columns (DMS3409) into another dialect, or when a column is renamed (the expression would name the old one)', () => {
    for (const r of [into('postgres'), into('mysql', '  names = snake_case')]) {
      expect(r.diagnostics.map((d) => d.code)).toContain('DMS3409');
      expect(r.value.tables[0]!.targetDef.columns.every((c) => c.generated === undefined)).toBe(true);
      expect(r.value.tables[0]!.columns).toHaveLength(3);
    }
  });
});

describe('text collations on MySQL targets', () => {
  const pgText = (name: string, type: string): ColumnCatalog => {
    const nativeType = postgresEngine.types.parseNative(type)!;
    return { ...col(name, 'int'), name, nativeType, logical: postgresEngine.types.toLogical(nativeType) };
  };
  const pgCatalog: Catalog = {
    engine: 'postgres',
    database: 'app',
    serverVersion: '15',
    schemas: ['public'],
    tables: [{ ...tbl('tag', [pgText('id', 'integer'), pgText('code', 'character varying(20)'), pgText('body', 'text')]), schema: 'public' }],
    sequences: [],
    others: [],
  };
  const myCatalog: Catalog = {
    ...catalog,
    tables: [tbl('Word', [col('id', 'int(11)'), col('email', 'varchar(60)', { collation: 'utf8mb4_general_ci' }), col('l', 'varchar(10)', { collation: 'latin1_swedish_ci' }), col('u', 'varchar(10)', { collation: 'utf8mb4_0900_ai_ci' })])],
  };
  const mariadb = ['binary', 'latin1_swedish_ci', 'utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_nopad_bin'];
  const into = (source: Catalog, targetCollations: readonly string[] | undefined) => {
    const from = source.engine === 'mysql' ? 'shop' : 'public';
    const text = `source src ${source.engine} {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.${from}.* -> dst.app.* {\n}\n`;
    const target: Catalog = { engine: 'mysql', database: '', serverVersion: '10.11.9-MariaDB', schemas: [], tables: [], sequences: [], others: [], ...(targetCollations ? { collations: targetCollations } : {}) };
    const r = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', source], ['dst', target]]), builtinRules: builtinTypeRules });
    return { r, collations: Object.fromEntries(r.value.tables[0]!.targetDef.columns.map((c) => [c.name, c.collation ?? null])) };
  };

  it('gives text from another dialect the NO PAD binary collation the target has (MariaDB, then MySQL 8), and none on a server without one', () => {
    expect(into(pgCatalog, mariadb).collations).toEqual({ id: null, code: 'utf8mb4_nopad_bin', body: 'utf8mb4_nopad_bin' });
    expect(into(pgCatalog, ['utf8mb4_0900_bin', 'utf8mb4_bin']).collations).toEqual({ id: null, code: 'utf8mb4_0900_bin', body: 'utf8mb4_0900_bin' });
    expect(into(pgCatalog, ['utf8mb4_bin']).collations).toEqual({ id: null, code: null, body: null });
  });

  it('keeps a MySQL column\'s own collation on a MySQL target; where the target lacks it, takes the nearest it has or its default, with DMS3437', () => {
    const withUca = [...mariadb, 'utf8mb4_uca1400_nopad_ai_ci'];
    const table = (u: string) => ({ ...myCatalog, tables: [tbl('Word', [...myCatalog.tables[0]!.columns.slice(0, 3), col('u', 'varchar(10)', { collation: u })])] });
    const { r, collations } = into(table('utf8mb4_0900_ai_ci'), withUca);
    expect(collations).toEqual({ id: null, email: 'utf8mb4_general_ci', l: 'latin1_swedish_ci', u: 'utf8mb4_uca1400_nopad_ai_ci' });
    expect(r.diagnostics.filter((d) => d.code === 'DMS3437').map((d) => d.message)).toEqual([expect.stringContaining('u has collation "utf8mb4_0900_ai_ci", which the mysql target does not have: the column gets "utf8mb4_uca1400_nopad_ai_ci"')]);
    const none = into(table('utf8mb4_ja_0900_as_cs'), withUca);
    expect(none.collations.u).toBeNull();
    const missing = none.r.diagnostics.filter((d) => d.code === 'DMS3437');
    expect(missing.map((d) => d.message)).toEqual([expect.stringContaining("the column gets the target's default collation")]);
    expect(missing[0]!.hint).toMatch(/MariaDB before 11\.4/);
  });
});

describe('MySQL partitions and INVISIBLE columns', () => {
  const clause = 'PARTITION BY RANGE (year(`d`))\n(PARTITION `p0` VALUES LESS THAN (2021),\n PARTITION `p1` VALUES LESS THAN MAXVALUE)';
  const parted: Catalog = {
    ...catalog,
    tables: [tbl('Parted', [col('id', 'int(11)', { nullable: false }), col('d', 'date', { nullable: false }), col('secret', 'varchar(10)', { invisible: true })], { partitioned: true, partitionClause: clause })],
  };
  const into = (engine: string, body = '') => {
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n${body}\n}\n`;
    return checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', parted]]), builtinRules: builtinTypeRules });
  };

  it('keep both between MySQL servers', () => {
    const r = into('mysql');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3436');
    expect(r.diagnostics.map((d) => d.code)).not.toContain('DMS3448');
    const def = r.value.tables[0]!.targetDef;
    expect(def.partitionBy).toBe(clause);
    expect(def.columns.find((c) => c.name === 'secret')?.invisible).toBe(true);
  });

  it('make one plain table (DMS3436) where a column is renamed, since the clause names columns, and into another engine, where the column is visible (DMS3448)', () => {
    const renamed = into('mysql', '  table Parted {\n    rename d -> day\n  }');
    expect(renamed.value.tables[0]!.targetDef.partitionBy).toBeUndefined();
    expect(renamed.diagnostics.find((d) => d.code === 'DMS3436')?.message).toMatch(/one plain table .*a column is renamed or dropped/);
    const pg = into('postgres');
    expect(pg.value.tables[0]!.targetDef.partitionBy).toBeUndefined();
    expect(pg.value.tables[0]!.targetDef.columns.every((c) => !c.invisible)).toBe(true);
    expect(pg.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['DMS3436', 'DMS3448']));
    expect(pg.diagnostics.find((d) => d.code === 'DMS3448')?.message).toMatch(/Parted: secret is INVISIBLE on mysql .* on postgres it is an ordinary column/);
  });
});

describe('MariaDB system-versioned tables', () => {
  it('are copied as their current rows, with DMS3449 saying the history stays behind', () => {
    const versioned: Catalog = { ...catalog, tables: [tbl('Prices', [col('id', 'int(11)', { nullable: false })], { systemVersioned: true })] };
    for (const engine of ['mysql', 'postgres']) {
      const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
      const r = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', versioned]]), builtinRules: builtinTypeRules });
      expect(r.diagnostics.find((d) => d.code === 'DMS3449')?.message).toBe(`shop.Prices is system-versioned on the source (WITH SYSTEM VERSIONING): its current rows are copied, not its history, and on ${engine} the table is not versioned`);
    }
  });
});

describe('MySQL tables of a storage engine without transactions', () => {
  it('are said to be outside the snapshot (DMS3456), for every target; an InnoDB table is not', () => {
    const tables: Catalog = { ...catalog, tables: [tbl('Legacy', [col('id', 'int(11)', { nullable: false })], { nonTransactionalEngine: 'MyISAM' }), tbl('Modern', [col('id', 'int(11)', { nullable: false })])] };
    for (const engine of ['mysql', 'postgres', 'sqlite']) {
      const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
      const r = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', tables]]), builtinRules: builtinTypeRules });
      const said = r.diagnostics.filter((d) => d.code === 'DMS3456');
      expect(said.map((d) => d.severity)).toEqual(['warning']);
      expect(said[0]!.message).toMatch(/^shop\.Legacy uses the MyISAM storage engine on the source, which takes no part in transactions: no snapshot covers it/);
      expect(said[0]!.message.includes("created with the server's default engine")).toBe(engine === 'mysql');
      expect(said[0]!.hint).toMatch(/ENGINE=InnoDB/);
    }
  });
});

describe('MySQL ENUM and SET labels equal under their collation, between MySQL servers', () => {
  const planOf = (type: string, collation: string) => {
    const tables: Catalog = { ...catalog, tables: [tbl('T', [col('id', 'int(11)', { nullable: false }), col('e', type, { collation, charset: collation.slice(0, collation.indexOf('_')) })])] };
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    const r = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', tables]]), builtinRules: builtinTypeRules });
    return { collation: r.value.tables[0]!.targetDef.columns.find((c) => c.name === 'e')!.collation, said: r.diagnostics.filter((d) => d.code === 'DMS3457').map((d) => d.message) };
  };

  it("get their character set's binary collation, with DMS3457, where strict mode would refuse them", () => {
    expect(planOf("enum('a','B','b','x')", 'utf8mb4_general_ci')).toEqual({
      collation: 'utf8mb4_bin',
      said: [expect.stringMatching(/^shop\.T\.e has the labels 'B' and 'b', which are equal under its collation "utf8mb4_general_ci" .* the column gets "utf8mb4_bin"/)],
    });
    expect(planOf("set('e','é')", 'latin1_swedish_ci')).toMatchObject({ collation: 'latin1_bin', said: [expect.stringMatching(/'e' and 'é'/)] });
  });

  it('keep their collation where the labels are apart under it', () => {
    expect(planOf("enum('a','B','b')", 'utf8mb4_bin')).toEqual({ collation: 'utf8mb4_bin', said: [] });
    expect(planOf("enum('e','é')", 'utf8mb4_uca1400_as_ci')).toEqual({ collation: 'utf8mb4_uca1400_as_ci', said: [] });
    expect(planOf("enum('a','b','c')", 'utf8mb4_general_ci')).toEqual({ collation: 'utf8mb4_general_ci', said: [] });
  });

  it('any labels distinct ignoring case and accents keep a case-insensitive collation', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { minLength: 1, maxLength: 8 }), (labels) => {
        const r = planOf(`enum(${labels.map((l) => `'${l}'`).join(',')})`, 'utf8mb4_general_ci');
        expect(r).toEqual({ collation: 'utf8mb4_general_ci', said: [] });
      }),
      { numRuns: 50 },
    );
  });
});

describe('MySQL foreign keys on case-insensitive text into an engine that compares exactly', () => {
  const fkCatalog = (collation: string): Catalog => ({
    ...catalog,
    tables: [
      tbl('Parent', [col('code', 'varchar(10)', { nullable: false, collation })]),
      tbl('Child', [col('id', 'int(11)', { nullable: false }), col('code', 'varchar(10)', { collation })], {
        foreignKeys: [{ name: 'fk_code', columns: ['code'], referencedSchema: 'shop', referencedTable: 'Parent', referencedColumns: ['code'], onDelete: 'no_action', onUpdate: 'no_action' }],
      }),
    ],
  });
  const plan = (engine: string, collation: string) => {
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${engine} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    const r = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', fkCatalog(collation)]]), builtinRules: builtinTypeRules });
    return { said: r.diagnostics.filter((d) => d.code === 'DMS3459').map((d) => d.message), fk: r.value.tables.find((t) => t.source.table === 'Child')!.targetDef.foreignKeys[0] };
  };

  it('are said to reject the rows that match only ignoring case (DMS3459), and carry the collation for the rejects\' reason', () => {
    for (const engine of ['postgres', 'sqlite']) {
      const r = plan(engine, 'utf8mb4_general_ci');
      expect(r.said).toEqual([expect.stringMatching(new RegExp(`^shop\\.Child: foreign key fk_code \\(code\\) matches rows under the source collation "utf8mb4_general_ci", .*; ${engine} compares the values exactly`))]);
      expect(r.fk?.looseOnSource).toBe('utf8mb4_general_ci');
    }
  });

  it('not between MySQL servers, where the collation stays, nor for an exact collation', () => {
    expect(plan('mysql', 'utf8mb4_general_ci')).toMatchObject({ said: [], fk: { name: 'fk_code' } });
    expect(plan('mysql', 'utf8mb4_general_ci').fk?.looseOnSource).toBeUndefined();
    expect(plan('postgres', 'utf8mb4_nopad_bin').said).toEqual([]);
  });
});

describe('MariaDB defaults that draw from a sequence, between MySQL servers', () => {
  it("are not carried (they name the source database's sequence), with DMS3408; other expressions are", () => {
    const tables: Catalog = {
      ...catalog,
      tables: [tbl('T', [col('id', 'int(11)', { nullable: false, default: { kind: 'expression', sql: 'nextval(`shop`.`seq`)' } }), col('ex', 'varchar(20)', { default: { kind: 'expression', sql: "concat('a','b')" } })])],
    };
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst mysql {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    const r = checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', tables]]), builtinRules: builtinTypeRules });
    const columns = r.value.tables[0]!.targetDef.columns;
    expect(columns.find((c) => c.name === 'id')!.default).toBeUndefined();
    expect(columns.find((c) => c.name === 'ex')!.default).toEqual({ kind: 'expression', sql: "concat('a','b')" });
    expect(r.diagnostics.filter((d) => d.code === 'DMS3408').map((d) => d.message)).toEqual(['shop.T.id: default `nextval(`shop`.`seq`)` draws from a sequence of the source database, which is not created on the target: it is not carried']);
  });
});

describe('a PostgreSQL target in a narrower encoding', () => {
  const target = (encoding: string): Catalog => ({ engine: 'postgres', database: 'dw', serverVersion: '15', encoding, schemas: [], tables: [], sequences: [], others: [] });
  const plan = (source: Catalog, dst: Catalog) => {
    const text = `source src ${source.engine} {\n  url = env("S")\n}\ntarget dst postgres {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    return checkPlan({ ir: compilePlan(text, '/plan.dmsplan', () => undefined).value!, catalogs: new Map([['src', source], ['dst', dst]]), builtinRules: builtinTypeRules }).diagnostics.filter((d) => d.code === 'DMS3450');
  };

  it('is said once, when text from a wider source goes into it (DMS3450), not into UTF8 or SQL_ASCII, nor from a source of its own encoding', () => {
    expect(plan(catalog, target('LATIN1')).map((d) => d.message)).toEqual(["target dst's database encoding is LATIN1: text from src with characters outside LATIN1 is rejected per row"]);
    expect(plan(catalog, target('UTF8'))).toEqual([]);
    expect(plan(catalog, target('SQL_ASCII'))).toEqual([]);
    const latinSource: Catalog = { ...catalog, engine: 'postgres', encoding: 'LATIN1', tables: catalog.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, nativeType: postgresEngine.types.parseNative('text')!, logical: { kind: 'text', length: undefined, fixed: false } })) })) };
    expect(plan(latinSource, target('LATIN1'))).toEqual([]);
  });
});

describe('MySQL prefix indexes on another engine', () => {
  // KEY (body(10)) on text, KEY (data(8)) on a blob, KEY (name(10)) on varchar(200), KEY (code(4), n).
  const prefixCatalog: Catalog = {
    ...catalog,
    tables: [
      tbl('doc', [col('id', 'int(11)', { nullable: false }), col('body', 'text'), col('data', 'blob'), col('name', 'varchar(200)'), col('code', 'varchar(1000)'), col('n', 'int(11)')], {
        indexes: [
          { name: 'body', unique: false, parts: [{ column: 'body', descending: false, prefixLength: 10 }], where: undefined, method: 'btree' },
          { name: 'data', unique: true, parts: [{ column: 'data', descending: false, prefixLength: 8 }], where: undefined, method: 'btree' },
          { name: 'name', unique: false, parts: [{ column: 'name', descending: false, prefixLength: 10 }], where: undefined, method: 'btree' },
          { name: 'code_n', unique: false, parts: [{ column: 'code', descending: false, prefixLength: 4 }, { column: 'n', descending: false }], where: undefined, method: 'btree' },
        ],
      }),
    ],
  };
  const partsInto = (target: string) => {
    const text = `source src mysql {\n  url = env("S")\n}\ntarget dst ${target} {\n  url = env("D")\n}\nmap src.shop.* -> dst.app.* {\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    const r = checkPlan({ ir: ir.value!, catalogs: new Map([['src', prefixCatalog]]), builtinRules: builtinTypeRules });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return Object.fromEntries(r.value.tables[0]!.targetDef.indexes.map((ix) => [ix.name.replace(/^doc_/, ''), ix.parts]));
  };

  it('PostgreSQL indexes the prefix where a whole value may not fit in a B-tree entry (2704 bytes), the whole value where it does', () => {
    expect(partsInto('postgres')).toEqual({
      body: [{ column: 'body', descending: false, prefixLength: 10 }],
      data: [{ column: 'data', descending: false, prefixLength: 8 }],
      name: [{ column: 'name', descending: false }],
      // varchar(1000) may take 4000 bytes of UTF-8.
      code_n: [{ column: 'code', descending: false, prefixLength: 4 }, { column: 'n', descending: false }],
    });
  });

  it('SQLite, which has no entry limit, indexes whole values', () => {
    const parts = partsInto('sqlite');
    expect(Object.values(parts).flat().every((p) => p.prefixLength === undefined)).toBe(true);
  });
});

describe('several identity columns (PostgreSQL → MySQL, one AUTO_INCREMENT a table; SQLite, the primary key only)', () => {
  const pgCol = (name: string, type: string, identity?: ColumnCatalog['identity']): ColumnCatalog => {
    const nativeType = postgresEngine.types.parseNative(type)!;
    return { ...col(name, 'int'), name, nativeType, logical: postgresEngine.types.toLogical(nativeType), nullable: false, identity };
  };
  const catalogWith = (primary: string): Catalog => ({
    engine: 'postgres',
    database: 'app',
    serverVersion: '15',
    schemas: ['public'],
    tables: [{ ...tbl('gen', [pgCol('n', 'integer', { kind: 'serial' }), pgCol('id', 'integer', { kind: 'by_default' }), pgCol('a', 'integer')]), schema: 'public', primaryKey: { name: 'gen_pkey', columns: [primary] } }],
    sequences: [],
    others: [],
  });
  const checkInto = (target: string, primary = 'id') => {
    const text = `source src postgres {\n  url = env("S")\n}\ntarget dst ${target} {\n  url = env("D")\n}\nmap src.public.* -> dst.app.* {\n}\n`;
    const ir = compilePlan(text, '/plan.dmsplan', () => undefined);
    return checkPlan({ ir: ir.value!, catalogs: new Map([['src', catalogWith(primary)]]), builtinRules: builtinTypeRules });
  };
  const generating = (r: ReturnType<typeof checkInto>) => r.value!.tables[0]!.targetDef.columns.filter((c) => c.identity !== undefined).map((c) => c.name);

  it("keeps the primary key's on MySQL (else the first) and on SQLite (else none), and says the others need values (DMS3428); PostgreSQL keeps them all", () => {
    const intoMysql = checkInto('mysql');
    expect(generating(intoMysql)).toEqual(['id']);
    expect(intoMysql.diagnostics.filter((d) => d.code === 'DMS3428').map((d) => d.message)).toEqual([expect.stringMatching(/^public\.gen: n generates its values on postgres, as id does; mysql has one AUTO_INCREMENT column a table, id/)]);
    expect(generating(checkInto('mysql', 'a'))).toEqual(['n']);
    // SQLite: only the column that is the whole primary key (INTEGER PRIMARY KEY AUTOINCREMENT).
    const intoSqlite = checkInto('sqlite');
    expect(generating(intoSqlite)).toEqual(['id']);
    expect(intoSqlite.diagnostics.filter((d) => d.code === 'DMS3428').map((d) => d.message)).toEqual([expect.stringMatching(/^public\.gen: n generates its values on postgres, as id does; sqlite generates values only in a column that is the whole primary key, id/)]);
    expect(generating(checkInto('sqlite', 'a'))).toEqual([]);
    const intoPostgres = checkInto('postgres');
    expect(generating(intoPostgres)).toEqual(['n', 'id']);
    expect(intoPostgres.diagnostics.filter((d) => d.code === 'DMS3428')).toEqual([]);
  });
});
