import { describe, expect, it } from 'vitest';
import { affinityOf, parseSqliteType, sqliteFromLogical, sqliteToLogical } from '../../../src/engines/sqlite/sqlite-types.js';
import { describeLogical, type LogicalType } from '../../../src/types/logical.js';

const logicalOf = (text: string) => describeLogical(sqliteToLogical(parseSqliteType(text)!));

describe('SQLite declared types', () => {
  it('follows the affinity rules in SQLite order (datatype3 §3.1)', () => {
    expect(affinityOf('INTEGER')).toBe('integer');
    expect(affinityOf('UNSIGNED BIG INT')).toBe('integer');
    expect(affinityOf('FLOATING POINT')).toBe('integer'); // INT wins over FLOA: SQLite's own example
    expect(affinityOf('NVARCHAR(40)')).toBe('text');
    expect(affinityOf('CLOB')).toBe('text');
    expect(affinityOf('BLOB')).toBe('blob');
    expect(affinityOf('')).toBe('blob');
    expect(affinityOf('DOUBLE PRECISION')).toBe('real');
    expect(affinityOf('DECIMAL(10,5)')).toBe('numeric');
    expect(affinityOf('DECIMAL_TEXT(38,10)')).toBe('text');
    expect(affinityOf('BIT_TEXT(8)')).toBe('text');
    expect(affinityOf('JSON')).toBe('numeric');
    expect(affinityOf('JSON_TEXT')).toBe('text');
    expect(affinityOf('JSONB_TEXT')).toBe('text');
  });

  it('parses declared types with words and parameters', () => {
    expect(parseSqliteType('NVARCHAR(40)')).toEqual({ name: 'nvarchar', params: [40], unsigned: false, text: 'NVARCHAR(40)' });
    expect(parseSqliteType('NUMERIC(10,2)')).toEqual({ name: 'numeric', params: [10, 2], unsigned: false, text: 'NUMERIC(10,2)' });
    expect(parseSqliteType('unsigned big int')?.unsigned).toBe(true);
    expect(parseSqliteType('DOUBLE PRECISION')?.name).toBe('double precision');
    expect(parseSqliteType('')?.name).toBe('');
    expect(parseSqliteType('VARCHAR(')).toBeUndefined();
    expect(parseSqliteType('INT; DROP TABLE x')).toBeUndefined();
  });

  it('maps declared types to logical types', () => {
    const cases: Record<string, string> = {
      INTEGER: 'int64',
      'UNSIGNED BIG INT': 'int64',
      SMALLINT: 'int64',
      'NVARCHAR(40)': 'varchar(40)',
      'CHARACTER(20)': 'char(20)',
      VARCHAR: 'text',
      TEXT: 'text',
      CLOB: 'text',
      BLOB: 'binary',
      '': 'other()',
      // ANY holds every storage class (as declared; in a STRICT table it never coerces): like no type.
      ANY: 'other(any)',
      any: 'other(any)',
      REAL: 'float64',
      DOUBLE: 'float64',
      'DOUBLE PRECISION': 'float64',
      FLOAT: 'float64',
      'NUMERIC(10,2)': 'decimal(10,2)',
      'DECIMAL(10,5)': 'decimal(10,5)',
      NUMERIC: 'decimal',
      'DECIMAL_TEXT(38,10)': 'decimal(38,10)',
      MONEY: 'decimal',
      BOOLEAN: 'bool',
      DATE: 'date',
      DATETIME: 'timestamp(6)',
      TIMESTAMP: 'timestamp(6)',
      'DATETIME(3)': 'timestamp(3)',
      TIMESTAMPTZ: 'timestamptz(6)',
      TIME: 'time(6)',
      JSON: 'json',
      JSON_TEXT: 'json',
      JSONB_TEXT: 'jsonb',
      UUID: 'uuid',
      YEAR: 'year',
      'BIT_TEXT(8)': 'bit(8)',
      'VARBINARY(16)': 'varbinary(16)',
    };
    for (const [declared, logical] of Object.entries(cases)) expect(logicalOf(declared), declared).toBe(logical);
  });

  const everyLogical: readonly LogicalType[] = [
    { kind: 'bool' },
    ...([8, 16, 24, 32, 64] as const).flatMap((bits) => [false, true].map((unsigned) => ({ kind: 'int' as const, bits, unsigned }))),
    { kind: 'decimal', precision: 10, scale: 2 },
    { kind: 'decimal', precision: 15, scale: 0 },
    { kind: 'decimal', precision: 38, scale: 10 },
    { kind: 'decimal', precision: undefined, scale: undefined },
    { kind: 'float', bits: 32 },
    { kind: 'float', bits: 64 },
    { kind: 'text', length: 40, fixed: false },
    { kind: 'text', length: 3, fixed: true },
    { kind: 'text', length: undefined, fixed: false },
    { kind: 'binary', length: 16, fixed: true },
    { kind: 'binary', length: 16, fixed: false },
    { kind: 'binary', length: undefined, fixed: false },
    { kind: 'date' },
    { kind: 'time', precision: 6, withTimeZone: false },
    { kind: 'time', precision: 3, withTimeZone: true },
    { kind: 'interval', precision: 6 },
    { kind: 'timestamp', precision: 6 },
    { kind: 'timestamp', precision: 3 },
    { kind: 'timestamptz', precision: 6 },
    { kind: 'year' },
    { kind: 'uuid' },
    { kind: 'json', binary: false },
    { kind: 'json', binary: true },
    { kind: 'bit', length: 8, varying: false },
    { kind: 'bit', length: 8, varying: true },
  ];

  it('fromLogical reads back as the same logical type, or a wider one for integers and float32', () => {
    for (const t of everyLogical) {
      const native = sqliteFromLogical(t);
      const back = sqliteToLogical(native);
      if (t.kind === 'int' && !(t.bits === 64 && t.unsigned)) expect(describeLogical(back), native.text).toBe('int64');
      else if (t.kind === 'int') expect(describeLogical(back)).toBe('decimal(20,0)');
      else if (t.kind === 'float') expect(describeLogical(back)).toBe('float64');
      else expect(back, native.text).toEqual(t);
    }
  });

  it('keeps declared names readable and exact-storage where NUMERIC affinity would round', () => {
    expect(sqliteFromLogical({ kind: 'decimal', precision: 10, scale: 2 }).text).toBe('DECIMAL(10,2)');
    expect(sqliteFromLogical({ kind: 'decimal', precision: 38, scale: 10 }).text).toBe('DECIMAL_TEXT(38,10)');
    expect(sqliteFromLogical({ kind: 'timestamp', precision: 6 }).text).toBe('DATETIME');
    expect(sqliteFromLogical({ kind: 'bool' }).text).toBe('BOOLEAN');
    expect(sqliteFromLogical({ kind: 'int', bits: 32, unsigned: false }).text).toBe('INTEGER');
    expect(sqliteFromLogical({ kind: 'enum', values: ['01', 'b'], name: undefined }).text).toBe('TEXT');
    expect(sqliteFromLogical({ kind: 'array', element: { kind: 'int', bits: 32, unsigned: false } }).text).toBe('JSON');
    // A JSON column has NUMERIC affinity: a document that is a number would be stored as INTEGER/REAL.
    expect(sqliteFromLogical({ kind: 'json', binary: false }).text).toBe('JSON_TEXT');
    expect(sqliteFromLogical({ kind: 'json', binary: true }).text).toBe('JSONB_TEXT');
  });
});
