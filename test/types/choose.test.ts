import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineTypes } from '../../src/engines/contract.js';
import { mysqlTypes } from '../../src/engines/mysql/mysql-types.js';
import { postgresTypes } from '../../src/engines/postgres/postgres-types.js';
import { sqliteTypes } from '../../src/engines/sqlite/sqlite-types.js';
import type { ColumnTypeOverrideIR, EngineName } from '../../src/ir/ir.js';
import type { ColumnCatalog } from '../../src/schema/catalog.js';
import { chooseColumnType } from '../../src/types/choose.js';
import { builtinTypeRules } from '../../src/types/prelude.js';
import { columnOf, POSTGRES_SAMPLES, TABLE } from './support/columns.js';
import { fakeMysqlTypes, fakePostgresTypes } from './support/fake-engines.js';
import { rulesOf } from './support/rules.js';

const BUILTIN = builtinTypeRules('mysql', 'postgres');

function choose(column: ColumnCatalog, planText = '', override?: ColumnTypeOverrideIR) {
  return chooseColumnType({
    sourceTypes: fakeMysqlTypes,
    targetTypes: fakePostgresTypes,
    targetEngine: 'postgres',
    column,
    table: TABLE,
    planRules: planText ? rulesOf(`types mysql -> postgres {\n${planText}\n}`) : [],
    builtinRules: BUILTIN,
    override,
  });
}

describe('chooseColumnType', () => {
  it('takes the built-in rule when the plan has none', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'bigint unsigned'));
    expect(r.diagnostics).toEqual([]);
    expect(r.value.target.text).toBe('numeric(20,0)');
    expect(r.value.rule.origin).toBe('builtin');
    expect(r.value.lossless).toBe(true);
  });

  it('tries plan rules first; the first match wins', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'decimal(12,2)'), 'decimal(p, s) -> numeric(p, s)\ndecimal(p, s) -> text');
    expect(r.value.rule.origin).toBe('plan');
    expect(r.value.target.text).toBe('numeric(12,2)');
  });

  it('binds parameters and checks guards', () => {
    const plan = 'decimal(p, s) where p > 38 -> text\ndecimal(p, s) -> numeric(p, s)';
    expect(choose(columnOf(fakeMysqlTypes, 'decimal(40,2)'), plan).value.target.text).toBe('text');
    expect(choose(columnOf(fakeMysqlTypes, 'decimal(38,2)'), plan).value.target.text).toBe('numeric(38,2)');
  });

  it('scopes a rule to a table and column', () => {
    const plan = 'column Invoice.Total: decimal(*, *) -> numeric(14, 2) lossy';
    const total = choose(columnOf(fakeMysqlTypes, 'decimal(20,4)', { name: 'Total' }), plan);
    expect(total.value.rule.origin).toBe('plan');
    expect(total.value.lossless).toBe(false);
    expect(total.diagnostics).toEqual([]);
    const other = choose(columnOf(fakeMysqlTypes, 'decimal(20,4)', { name: 'Tax' }), plan);
    expect(other.value.rule.origin).toBe('builtin');
  });

  it('guards on not null, default and auto_increment', () => {
    const plan = 'int where not null and auto_increment -> bigint';
    const id = columnOf(fakeMysqlTypes, 'int', { nullable: false, identity: { kind: 'auto_increment' } });
    expect(choose(id, plan).value.target.text).toBe('bigint');
    expect(choose(columnOf(fakeMysqlTypes, 'int'), plan).value.target.text).toBe('integer');
    const withDefault = columnOf(fakeMysqlTypes, 'int', { default: { kind: 'literal', text: '0' } });
    expect(choose(withDefault, 'int where default -> bigint').value.target.text).toBe('bigint');
  });

  it('errors on an unacknowledged narrowing, naming column, types and reason, with the line to write', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'datetime(6)'), 'datetime(6) -> timestamp(3) using zero_dates_to_null');
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.code).toBe('DMS3001');
    expect(d.severity).toBe('error');
    expect(d.message).toContain('Invoice.c');
    expect(d.message).toContain('datetime(6) → timestamp(3)');
    expect(d.message).toContain('the source keeps microseconds; the target keeps milliseconds');
    expect(d.hint).toContain('datetime(6) -> timestamp(3) using zero_dates_to_null lossy');
    expect(d.span?.startLine).toBe(2);
  });

  it('warns when a rule says lossy but loses nothing', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'int'), 'int -> bigint lossy');
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['DMS3002', 'warning']]);
  });

  it('errors when the conversion does not apply to the kinds', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'varchar(10)'), 'varchar(n) -> boolean using int_to_boolean lossy');
    expect(r.diagnostics.map((d) => d.code)).toContain('DMS3003');
    expect(r.diagnostics.find((d) => d.code === 'DMS3003')!.message).toContain('int → bool');
  });

  it('errors on an unknown target type with did-you-mean', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'int'), 'int -> integr');
    const d = r.diagnostics.find((x) => x.code === 'DMS3004')!;
    expect(d.message).toContain('`integr` is not a postgres type');
    expect(d.hint).toBe("did you mean 'integer'?");
  });

  it('applies a column override with its conversion and lossy flag', () => {
    const column = columnOf(fakeMysqlTypes, 'tinyint(1)', { name: 'Flag' });
    const span = { file: 'p.dmsplan', startOffset: 0, endOffset: 1, startLine: 9, startColumn: 1, endLine: 9, endColumn: 2 };
    const override: ColumnTypeOverrideIR = { column: 'Flag', type: { name: 'smallint', params: [], unsigned: false, array: false, span }, conversion: undefined, lossy: false, span };
    const r = choose(column, '', override);
    expect(r.value.rule.origin).toBe('override');
    expect(r.value.target.text).toBe('smallint');
    expect(r.diagnostics).toEqual([]);
  });

  it('falls back to fromLogical, lossless when it is faithful', () => {
    const r = choose(columnOf(fakeMysqlTypes, 'geometry'));
    expect(r.value.rule.origin).toBe('fallback');
    expect(r.value.target.text).toBe('text');
    expect(r.value.lossless).toBe(true);
    expect(r.diagnostics).toEqual([]);
  });

  it('keeps a SQLite declared type verbatim into SQLite (its affinity comes from the name), and only there', () => {
    const sqlite = (type: string, targetTypes: EngineTypes, targetEngine: EngineName) =>
      chooseColumnType({ sourceTypes: sqliteTypes, targetTypes, targetEngine, column: columnOf(sqliteTypes, type), table: TABLE, planRules: [], builtinRules: builtinTypeRules('sqlite', targetEngine), override: undefined });
    for (const type of ['INTEGER', '', 'ANY', 'VARCHAR(10)', 'NUMERIC', 'int', 'Unsigned Big Int', 'DOUBLE PRECISION', 'DECIMAL(5,2)', 'DATETIME']) {
      const r = sqlite(type, sqliteTypes, 'sqlite');
      expect(r.diagnostics).toEqual([]);
      expect(r.value.target.text).toBe(type);
      expect(r.value.conversion).toBe('none');
      expect(r.value.lossless).toBe(true);
      expect(r.value.targetLogical).toEqual(sqliteTypes.toLogical(sqliteTypes.parseNative(type)!));
    }
    // Elsewhere a declaration means its logical type's most faithful spelling.
    expect(sqlite('INT', postgresTypes, 'postgres').value.target.text).toBe('bigint');
  });

  it('reports a lossy fallback as an error asking for a rule', () => {
    const lossyTarget = { ...fakePostgresTypes, fromLogical: () => fakePostgresTypes.parseNative('smallint')! };
    const r = chooseColumnType({ sourceTypes: fakeMysqlTypes, targetTypes: lossyTarget, targetEngine: 'postgres', column: columnOf(fakeMysqlTypes, 'bigint'), table: TABLE, planRules: [], builtinRules: [], override: undefined });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DMS3005']);
    expect(r.diagnostics[0]!.hint).toContain('lossy');
  });

  it("writes the rule a hint suggests with the source's names quoted as the plan language needs: the rule compiles and takes the column", () => {
    // Any name a database allows, but a line break, which no plan string or name can hold.
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((n) => !/[\r\n]/.test(n));
    const narrowing = rulesOf('types mysql -> postgres {\n  datetime(6) -> timestamp(3) using zero_dates_to_null\n}');
    const lossyTarget = { ...fakePostgresTypes, fromLogical: () => fakePostgresTypes.parseNative('smallint')! };
    fc.assert(
      fc.property(name, name, (tableName, columnName) => {
        const table = { schema: 'shop', name: tableName };
        const cases = [
          { column: columnOf(fakeMysqlTypes, 'datetime(6)', { name: columnName }), targetTypes: fakePostgresTypes, builtinRules: narrowing, code: 'DMS3001' },
          { column: columnOf(fakeMysqlTypes, 'bigint', { name: columnName }), targetTypes: lossyTarget, builtinRules: [], code: 'DMS3005' },
        ];
        for (const c of cases) {
          const input = { sourceTypes: fakeMysqlTypes, targetTypes: c.targetTypes, targetEngine: 'postgres' as const, column: c.column, table, builtinRules: c.builtinRules, override: undefined };
          const refused = chooseColumnType({ ...input, planRules: [] });
          expect(refused.diagnostics.map((d) => d.code)).toEqual([c.code]);
          // dotAll: a name may hold U+2028 or U+2029, which a plain `.` does not match (the case that failed now and then).
          const line = /(?:e\.g\. in a types block|if that is acceptable, write): (.*)$/s.exec(refused.diagnostics[0]!.hint!)!;
          const taken = chooseColumnType({ ...input, planRules: rulesOf(`types mysql -> postgres {\n  ${line[1]}\n}`) });
          expect(taken.value.rule.origin).toBe('plan');
          expect(taken.diagnostics).toEqual([]);
        }
      }),
    );
  });

  it('gives an enum target the source labels and a name', () => {
    const r = choose(columnOf(fakeMysqlTypes, "enum('a','b')", { name: 'Size' }));
    expect(r.value.targetLogical).toEqual({ kind: 'enum', values: ['a', 'b'], name: 'invoice_size' });
    expect(r.value.lossless).toBe(true);
  });
});

describe('chooseColumnType: types with no neutral equivalent (the real engines)', () => {
  const across = (sourceTypes: EngineTypes, targetTypes: EngineTypes, from: EngineName, to: EngineName, type: string) =>
    chooseColumnType({ sourceTypes, targetTypes, targetEngine: to, column: columnOf(sourceTypes, type), table: TABLE, planRules: [], builtinRules: builtinTypeRules(from, to), override: undefined });

  it('travel between engines as their text: MySQL spatial types into PostgreSQL text, not a point or a PostGIS geometry', () => {
    fc.assert(
      fc.property(fc.constantFrom('point', 'geometry', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection'), (type) => {
        const r = across(mysqlTypes, postgresTypes, 'mysql', 'postgres', type);
        expect(r.value.target.text).toBe('text');
        expect(r.value.lossless).toBe(true);
        expect(r.diagnostics).toEqual([]);
      }),
    );
  });

  it('keep their name between engines of one type system', () => {
    for (const type of ['point', 'xml', 'money', 'tsvector', 'cidr']) {
      const r = across(postgresTypes, postgresTypes, 'postgres', 'postgres', type);
      expect(r.value.target.text).toBe(type);
      expect(r.value.lossless).toBe(true);
    }
  });

  it('from PostgreSQL into MySQL: text as well', () => {
    expect(across(postgresTypes, mysqlTypes, 'postgres', 'mysql', 'point').value.target.text).toBe('longtext');
  });

  // MariaDB's data-type plugins: a MariaDB → MariaDB copy turned inet6 into longtext (a unique key on
  // it was then refused, DMS3435) and uuid into char(36).
  const betweenMysql = (type: string, targetTypeNames?: ReadonlySet<string>) =>
    chooseColumnType({ sourceTypes: mysqlTypes, targetTypes: mysqlTypes, targetEngine: 'mysql', column: columnOf(mysqlTypes, type), table: TABLE, planRules: [], builtinRules: builtinTypeRules('mysql', 'mysql'), override: undefined, ...(targetTypeNames ? { targetTypeNames } : {}) });

  it("MariaDB's inet4, inet6 and uuid stay so where the target server has them, losslessly", () => {
    for (const type of ['inet4', 'inet6', 'uuid']) {
      const r = betweenMysql(type, new Set(['inet4', 'inet6', 'uuid']));
      expect([r.value.target.text, r.value.conversion, r.value.lossless]).toEqual([type, 'none', true]);
      expect(r.diagnostics).toEqual([]);
    }
  });

  it('where the target lacks them (MySQL 8) or its types are not known, they become text as before', () => {
    for (const names of [new Set<string>(), undefined]) {
      expect(betweenMysql('uuid', names).value.target.text).toBe('char(36)');
      expect(betweenMysql('inet6', names).value.target.text).toBe('longtext');
    }
  });

  it('into PostgreSQL, whatever types it has, by the rules between the engines', () => {
    const r = chooseColumnType({ sourceTypes: mysqlTypes, targetTypes: postgresTypes, targetEngine: 'postgres', column: columnOf(mysqlTypes, 'inet6'), table: TABLE, planRules: [], builtinRules: builtinTypeRules('mysql', 'postgres'), override: undefined, targetTypeNames: new Set(['inet6']) });
    expect(r.value.target.text).toBe('text');
  });
});

describe('chooseColumnType: every PostgreSQL type has a MySQL type MySQL can create (the real engines)', () => {
  it('lands each sample — bit(100), char(300) included, past MySQL BIT(64) and CHAR(255) — without DMS3004, losslessly', () => {
    for (const sample of POSTGRES_SAMPLES) {
      const column = columnOf(postgresTypes, sample);
      const r = chooseColumnType({ sourceTypes: postgresTypes, targetTypes: mysqlTypes, targetEngine: 'mysql', column, table: TABLE, planRules: [], builtinRules: builtinTypeRules('postgres', 'mysql'), override: undefined });
      expect(r.diagnostics.map((d) => `${column.nativeType.text}: ${d.code} ${d.message}`)).toEqual([]);
    }
    const wide = (type: string) => chooseColumnType({ sourceTypes: postgresTypes, targetTypes: mysqlTypes, targetEngine: 'mysql', column: columnOf(postgresTypes, type), table: TABLE, planRules: [], builtinRules: builtinTypeRules('postgres', 'mysql'), override: undefined }).value;
    expect([wide('bit(64)').target.text, wide('bit(65)').target.text, wide('char(255)').target.text, wide('char(256)').target.text]).toEqual(['bit(64)', 'varchar(65)', 'char(255)', 'varchar(256)']);
    expect(wide('bit(65)').lossless && wide('char(256)').lossless).toBe(true);
  });
});
