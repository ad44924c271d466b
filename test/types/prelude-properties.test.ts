/**
 * Property tests of the built-in rules: for every sample source type of an engine pair, the chosen
 * rule is honest (no diagnostics), generated source values convert into the target domain (or are
 * rejected only for a documented engine limit), and lossless rules round-trip exactly through the
 * inverse conversion. Every built-in rule is exercised by at least one sample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineTypes } from '../../src/engines/contract.js';
import type { EngineName } from '../../src/ir/ir.js';
import type { NativeType } from '../../src/schema/catalog.js';
import { chooseColumnType, type ColumnTypeChoice } from '../../src/types/choose.js';
import type { ConversionName } from '../../src/types/conversion-names.js';
import { compileConverter } from '../../src/types/convert.js';
import { isRejection } from '../../src/types/rejection.js';
import type { LogicalType, Value } from '../../src/types/logical.js';
import { builtinTypeRules } from '../../src/types/prelude.js';
import { describeRule } from '../../src/types/rule-text.js';
import { MYSQL_VALUE_LIMITS, POSTGRES_VALUE_LIMITS, type TargetValueLimits } from '../../src/types/value-limits.js';
import { valueArb } from '../arbitraries/values.js';
import { columnOf, MYSQL_SAMPLES, POSTGRES_SAMPLES, TABLE } from './support/columns.js';
import { inDomain } from './support/domain.js';
import { fakeMysqlTypes, fakePostgresTypes } from './support/fake-engines.js';
import { sqlServerTypes } from '../../src/engines/sqlserver/sqlserver-types.js';

interface Engine {
  readonly name: EngineName;
  readonly types: EngineTypes;
  readonly samples: readonly (string | NativeType)[];
  readonly limits: TargetValueLimits;
}

const MYSQL: Engine = { name: 'mysql', types: fakeMysqlTypes, samples: MYSQL_SAMPLES, limits: MYSQL_VALUE_LIMITS };
const POSTGRES: Engine = { name: 'postgres', types: fakePostgresTypes, samples: POSTGRES_SAMPLES, limits: POSTGRES_VALUE_LIMITS };
// SQL Server's types module is pure (no driver): the real one. Every built-in rule's source type, at the edges of its parameters.
const SQLSERVER_SAMPLES: readonly string[] = [
  'bit', 'tinyint', 'smallint', 'int', 'bigint', 'decimal(38,0)', 'decimal(4,4)', 'numeric(10,2)', 'money', 'smallmoney', 'float', 'float(24)', 'real',
  'date', 'time(0)', 'time(6)', 'datetime', 'smalldatetime', 'datetime2(0)', 'datetime2(6)', 'datetimeoffset(0)', 'datetimeoffset(6)',
  'char(10)', 'nchar(1)', 'char(300)', 'nchar(4000)', 'binary(300)', 'varbinary(100)', 'varchar(8000)', 'nvarchar(4000)', 'varchar(max)', 'nvarchar(max)', 'text', 'ntext', 'sysname',
  'binary(16)', 'varbinary(max)', 'image', 'timestamp', 'rowversion', 'uniqueidentifier', 'xml', 'hierarchyid', 'geography', 'geometry',
];
const SQLSERVER: Engine = { name: 'sqlserver', types: sqlServerTypes, samples: SQLSERVER_SAMPLES, limits: {} };
const PAIRS: readonly [Engine, Engine][] = [
  [SQLSERVER, POSTGRES],
  [SQLSERVER, MYSQL],
  [MYSQL, POSTGRES],
  [POSTGRES, MYSQL],
  [POSTGRES, POSTGRES],
  [MYSQL, MYSQL],
];

/** The conversion that takes a target value back to the source type. */
function inverseOf(conversion: ConversionName, source: LogicalType, target: LogicalType): ConversionName | 'identity' | undefined {
  switch (conversion) {
    case 'none':
      return source.kind === target.kind ? 'none' : 'cast';
    case 'cast':
    case 'to_text':
    case 'uuid_to_text':
    case 'json_to_text':
    case 'bit_to_boolean':
      return 'cast';
    case 'time_to_interval':
      return source.kind === 'interval' ? 'none' : 'interval_to_time';
    case 'zero_dates_to_null':
      return source.kind === target.kind ? 'none' : 'timestamptz_to_utc';
    case 'timestamptz_to_utc':
      return 'timestamptz_to_utc';
    case 'set_to_array':
      return 'identity';
    case 'int_to_boolean':
      return 'cast';
    case 'array_to_json':
    case 'interval_to_time':
      return undefined;
  }
}

/** Values a lossless conversion rejects by definition (int_to_boolean takes only 0 and 1). */
function outsideConversionDomain(conversion: ConversionName, value: Value): boolean {
  return conversion === 'int_to_boolean' && value !== '0' && value !== '1';
}

/** Values the target engine cannot store at all (documented limits) — rejections allowed. */
function engineLimited(value: Value, source: LogicalType, limits: TargetValueLimits): boolean {
  const s = typeof value === 'string' ? value : Array.isArray(value) ? JSON.stringify(value) : '';
  if (limits.textRejectsNul && (s.includes('\u0000') || s.includes('\\u0000'))) return true;
  if (limits.floatRejectsSpecials && (s === 'NaN' || s.endsWith('Infinity'))) return true;
  if (limits.dateRange && /^\d{4}-/.test(s) && (s.slice(0, 10) < limits.dateRange.min || s.slice(0, 10) > limits.dateRange.max)) return true;
  if (limits.timestamptzRange && source.kind === 'timestamptz') return true; // MySQL TIMESTAMP: 1970–2038 only
  return false;
}

describe.each(PAIRS)('built-in rules %#', (from, to) => {
  const rules = builtinTypeRules(from.name, to.name);
  const used = new Set<string>();

  const choices = from.samples.map((typeText) => {
    const column = columnOf(from.types, typeText);
    const choice = chooseColumnType({ sourceTypes: from.types, targetTypes: to.types, targetEngine: to.name, column, table: TABLE, planRules: [], builtinRules: rules, override: undefined });
    if (choice.value.rule.origin === 'builtin') used.add(choice.value.rule.text);
    return { typeText: typeof typeText === 'string' ? typeText : typeText.text, column, choice };
  });

  it.each(choices.map((c) => [`${from.name} ${c.typeText} -> ${to.name}`, c] as const))('%s: chosen without diagnostics', (_name, { choice }) => {
    expect(choice.diagnostics.map((d) => `${d.code} ${d.message} (${d.hint ?? ''})`)).toEqual([]);
  });

  it(`every ${from.name} -> ${to.name} built-in rule is exercised by a sample`, () => {
    const all = rules.flatMap((b) => b.rules.map(describeRule));
    expect(all.filter((r) => !used.has(r))).toEqual([]);
  });

  it.each(choices.map((c) => [`${from.name} ${c.typeText} -> ${c.choice.value.target.text}`, c] as const))('%s: values land in the target domain; lossless rules round-trip', (_name, { column, choice }) => {
    const chosen: ColumnTypeChoice = choice.value;
    const source = column.logical;
    const convert = compileConverter(source, chosen.targetLogical, chosen.conversion, to.limits);
    const inverse = inverseOf(chosen.conversion, source, chosen.targetLogical);
    const back = inverse === undefined || inverse === 'identity' ? undefined : compileConverter(chosen.targetLogical, source, inverse, { acceptsZeroDates: from.limits.acceptsZeroDates });
    fc.assert(
      fc.property(valueArb(source, { mysql: from.name === 'mysql' }), (value) => {
        const out = convert(value);
        if (isRejection(out)) {
          // A lossless rule rejects only what the target engine cannot store at all.
          if (chosen.lossless) expect(engineLimited(value, source, to.limits) || outsideConversionDomain(chosen.conversion, value), `${JSON.stringify(value)} rejected: ${out.reason}`).toBe(true);
          return;
        }
        expect(inDomain(out, chosen.targetLogical, { noNul: to.limits.textRejectsNul, zeroDates: to.limits.acceptsZeroDates }), `${JSON.stringify(value)} → ${JSON.stringify(out)}`).toBe(true);
        if (!chosen.lossless || out === null) return;
        if (inverse === 'identity') expect(out).toEqual(value);
        else if (back) expect(back(out)).toEqual(value);
      }),
      { numRuns: 150 },
    );
  });
});
