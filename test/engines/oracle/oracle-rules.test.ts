/**
 * The built-in Oracle type rules (and the fallbacks beside them) with the real engine modules:
 * every sample Oracle type gets a target type without diagnostics, generated values of the Oracle
 * type convert into the target type's domain, and lossless choices round-trip. As
 * test/types/prelude-properties.test.ts does for the other pairs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineModule } from '../../../src/engines/contract.js';
import { mysqlEngine } from '../../../src/engines/mysql/index.js';
import { oracleEngine } from '../../../src/engines/oracle/index.js';
import { postgresEngine } from '../../../src/engines/postgres/index.js';
import { sqliteEngine } from '../../../src/engines/sqlite/index.js';
import { chooseColumnType } from '../../../src/types/choose.js';
import { compileConverter } from '../../../src/types/convert.js';
import { isRejection } from '../../../src/types/rejection.js';
import { builtinTypeRules } from '../../../src/types/prelude.js';
import { describeRule } from '../../../src/types/rule-text.js';
import { POSTGRES_VALUE_LIMITS } from '../../../src/types/value-limits.js';
import { valueArb } from '../../arbitraries/values.js';
import { columnOf, TABLE } from '../../types/support/columns.js';
import { inDomain } from '../../types/support/domain.js';

const SAMPLES = [
  'NUMBER(1)', 'NUMBER(4,0)', 'NUMBER(9)', 'NUMBER(10)', 'NUMBER(18)', 'NUMBER(19)', 'NUMBER(38)', 'NUMBER(5,-2)', 'NUMBER(2,5)', 'NUMBER(10,2)', 'NUMBER', 'FLOAT(126)',
  'BINARY_FLOAT', 'BINARY_DOUBLE', 'VARCHAR2(20 BYTE)', 'VARCHAR2(4000 CHAR)', 'NVARCHAR2(10)', 'CHAR(3)', 'NCHAR(2)', 'CLOB', 'NCLOB', 'LONG',
  'BLOB', 'RAW(16)', 'LONG RAW', 'DATE', 'TIMESTAMP(0)', 'TIMESTAMP(6)', 'TIMESTAMP(9)', 'TIMESTAMP(3) WITH TIME ZONE', 'TIMESTAMP(6) WITH LOCAL TIME ZONE',
  'INTERVAL YEAR(2) TO MONTH', 'INTERVAL DAY(2) TO SECOND(6)', 'ROWID', 'UROWID(4000)', 'XMLTYPE', 'JSON', 'BOOLEAN', 'SDO_GEOMETRY',
];

/** The type a column becomes from Oracle into `target`. */
function choose(target: EngineModule, type: string) {
  const column = columnOf(oracleEngine.types, type);
  const choice = chooseColumnType({ sourceTypes: oracleEngine.types, targetTypes: target.types, targetEngine: target.name, column, table: TABLE, planRules: [], builtinRules: builtinTypeRules('oracle', target.name), override: undefined });
  return { column, choice };
}

describe('Oracle -> PostgreSQL type rules', () => {
  const used = new Set<string>();
  const choices = SAMPLES.map((type) => {
    const c = choose(postgresEngine, type);
    if (c.choice.value.rule.origin === 'builtin') used.add(c.choice.value.rule.text);
    return [type, c] as const;
  });

  it('maps each Oracle type as documented', () => {
    expect(Object.fromEntries(choices.map(([type, c]) => [type, c.choice.value.target.text]))).toEqual({
      'NUMBER(1)': 'smallint', 'NUMBER(4,0)': 'smallint', 'NUMBER(9)': 'integer', 'NUMBER(10)': 'bigint', 'NUMBER(18)': 'bigint', 'NUMBER(19)': 'numeric(19,0)', 'NUMBER(38)': 'numeric(38,0)',
      'NUMBER(5,-2)': 'numeric', 'NUMBER(2,5)': 'numeric(5,5)', 'NUMBER(10,2)': 'numeric(10,2)', NUMBER: 'numeric', 'FLOAT(126)': 'numeric',
      BINARY_FLOAT: 'real', BINARY_DOUBLE: 'double precision', 'VARCHAR2(20 BYTE)': 'character varying(20)', 'VARCHAR2(4000 CHAR)': 'character varying(4000)', 'NVARCHAR2(10)': 'character varying(10)',
      'CHAR(3)': 'character(3)', 'NCHAR(2)': 'character(2)', CLOB: 'text', NCLOB: 'text', LONG: 'text', BLOB: 'bytea', 'RAW(16)': 'bytea', 'LONG RAW': 'bytea',
      DATE: 'timestamp(0) without time zone', 'TIMESTAMP(0)': 'timestamp(0) without time zone', 'TIMESTAMP(6)': 'timestamp(6) without time zone', 'TIMESTAMP(9)': 'text',
      'TIMESTAMP(3) WITH TIME ZONE': 'timestamp(3) with time zone', 'TIMESTAMP(6) WITH LOCAL TIME ZONE': 'timestamp with time zone',
      'INTERVAL YEAR(2) TO MONTH': 'interval(0)', 'INTERVAL DAY(2) TO SECOND(6)': 'interval', ROWID: 'character varying(18)', 'UROWID(4000)': 'character varying(4000)',
      XMLTYPE: 'text', JSON: 'jsonb', BOOLEAN: 'boolean', SDO_GEOMETRY: 'text',
    });
  });

  it.each(choices)('%s: chosen without diagnostics, lossless', (_type, { choice }) => {
    expect(choice.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(choice.value.lossless).toBe(true);
  });

  it('exercises every built-in rule', () => {
    const all = builtinTypeRules('oracle', 'postgres').flatMap((b) => b.rules.map(describeRule));
    expect(all.filter((r) => !used.has(r))).toEqual([]);
  });

  it.each(choices)('%s: values land in the target domain and round-trip', (_type, { column, choice }) => {
    const chosen = choice.value;
    const convert = compileConverter(column.logical, chosen.targetLogical, chosen.conversion, POSTGRES_VALUE_LIMITS);
    const back = compileConverter(chosen.targetLogical, column.logical, chosen.conversion === 'none' && column.logical.kind === chosen.targetLogical.kind ? 'none' : 'cast', {});
    fc.assert(
      fc.property(valueArb(column.logical), (value) => {
        const out = convert(value);
        if (isRejection(out)) {
          // Only what PostgreSQL cannot store at all: NUL in text.
          expect(typeof value === 'string' && value.includes('\u0000'), `${JSON.stringify(value)} rejected: ${out.reason}`).toBe(true);
          return;
        }
        expect(inDomain(out, chosen.targetLogical, { noNul: true }), `${JSON.stringify(value)} -> ${JSON.stringify(out)}`).toBe(true);
        if (out !== null) expect(back(out)).toEqual(value);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Oracle -> MySQL built-in rules', () => {
  it('stores instants as UTC DATETIME and intervals as text, without loss', () => {
    const targets = ['TIMESTAMP(3) WITH TIME ZONE', 'TIMESTAMP(6) WITH LOCAL TIME ZONE', 'INTERVAL YEAR(2) TO MONTH', 'INTERVAL DAY(2) TO SECOND(6)', 'DATE', 'NUMBER(10,2)'].map((type) => {
      const { choice } = choose(mysqlEngine, type);
      expect(choice.diagnostics.filter((d) => d.severity === 'error'), type).toEqual([]);
      return `${type} -> ${choice.value.target.text} ${choice.value.conversion} ${choice.value.lossless}`;
    });
    expect(targets).toEqual([
      'TIMESTAMP(3) WITH TIME ZONE -> datetime(3) timestamptz_to_utc true',
      'TIMESTAMP(6) WITH LOCAL TIME ZONE -> datetime(6) timestamptz_to_utc true',
      'INTERVAL YEAR(2) TO MONTH -> varchar(80) to_text true',
      'INTERVAL DAY(2) TO SECOND(6) -> varchar(80) to_text true',
      'DATE -> datetime none true',
      'NUMBER(10,2) -> decimal(10,2) none true',
    ]);
  });
});

describe('Oracle -> MySQL and SQLite (fallbacks)', () => {
  it.each([mysqlEngine, sqliteEngine].flatMap((target) => SAMPLES.map((type) => [target.name, type, target] as const)))('%s %s: a type without loss or an honest diagnostic', (_name, type, target) => {
    const { choice } = choose(target, type);
    if (choice.value.lossless) expect(choice.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    else expect(choice.diagnostics.map((d) => d.code).length).toBeGreaterThan(0);
  });
});
