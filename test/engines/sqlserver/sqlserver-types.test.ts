import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSqlServerType, renderSqlServerType, sqlServerFromLogical, sqlServerToLogical, sqlServerTypes } from '../../../src/engines/sqlserver/sqlserver-types.js';
import type { LogicalType } from '../../../src/types/logical.js';
import { analyseFit } from '../../../src/types/lossiness.js';

const logical = (text: string) => sqlServerToLogical(parseSqlServerType(text)!);

describe('SQL Server types', () => {
  it('maps each type to the logical type that holds exactly its values', () => {
    expect(logical('tinyint')).toEqual({ kind: 'int', bits: 8, unsigned: true });
    expect(logical('money')).toEqual({ kind: 'decimal', precision: 19, scale: 4 });
    expect(logical('smallmoney')).toEqual({ kind: 'decimal', precision: 10, scale: 4 });
    expect(logical('decimal')).toEqual({ kind: 'decimal', precision: 18, scale: 0 });
    expect(logical('float(24)')).toEqual({ kind: 'float', bits: 32 });
    expect(logical('float(25)')).toEqual({ kind: 'float', bits: 64 });
    expect(logical('datetime2')).toEqual({ kind: 'timestamp', precision: 7 });
    expect(logical('datetime')).toEqual({ kind: 'timestamp', precision: 3 });
    expect(logical('smalldatetime')).toEqual({ kind: 'timestamp', precision: 0 });
    expect(logical('datetimeoffset(3)')).toEqual({ kind: 'timestamptz', precision: 3 });
    expect(logical('time')).toEqual({ kind: 'time', precision: 7, withTimeZone: false });
    expect(logical('nvarchar(max)')).toEqual({ kind: 'text', length: undefined, fixed: false });
    expect(logical('nchar(5)')).toEqual({ kind: 'text', length: 5, fixed: true });
    expect(logical('varbinary(max)')).toEqual({ kind: 'binary', length: undefined, fixed: false });
    expect(logical('uniqueidentifier')).toEqual({ kind: 'uuid' });
    expect(logical('hierarchyid')).toEqual({ kind: 'other', native: 'hierarchyid' });
  });

  it('reads `timestamp` as rowversion, 8 bytes, never as a date', () => {
    expect(parseSqlServerType('timestamp')!.name).toBe('rowversion');
    expect(logical('timestamp')).toEqual({ kind: 'binary', length: 8, fixed: true });
  });

  it('takes aliases and refuses invalid parameters', () => {
    expect(parseSqlServerType('sysname')!.text).toBe('nvarchar(128)');
    expect(parseSqlServerType('national character varying(10)')!.text).toBe('nvarchar(10)');
    expect(parseSqlServerType('numeric(10,2)')!.text).toBe('decimal(10,2)');
    for (const bad of ['nvarchar(4001)', 'varchar(8001)', 'char(max)', 'decimal(39,0)', 'decimal(5,6)', 'datetime2(8)', 'float(54)', 'int(11)', 'nosuchtype', 'varchar(0)']) {
      expect(parseSqlServerType(bad), bad).toBeUndefined();
    }
  });

  it('refuses sql_variant and types it does not know, and reads every other known type', () => {
    expect(sqlServerTypes.unreadable!(parseSqlServerType('sql_variant')!)).toContain('sql_variant');
    expect(sqlServerTypes.unreadable!({ name: 'mycompany.polygon', params: [], unsigned: false, text: 'mycompany.polygon' })).toContain('not a type dmsplan reads');
    for (const name of sqlServerTypes.knownTypeNames().filter((n) => n !== 'sql_variant')) expect(sqlServerTypes.unreadable!(parseSqlServerType(name)!), name).toBeUndefined();
  });

  it('parses what it renders, for every type and parameter', () => {
    const typeText = fc.oneof(
      fc.constantFrom('bit', 'tinyint', 'smallint', 'int', 'bigint', 'money', 'smallmoney', 'float', 'real', 'date', 'datetime', 'smalldatetime', 'text', 'ntext', 'image', 'uniqueidentifier', 'xml', 'rowversion', 'hierarchyid', 'geography', 'geometry', 'varchar(max)', 'nvarchar(max)', 'varbinary(max)'),
      fc.tuple(fc.constantFrom('char', 'varchar', 'binary', 'varbinary'), fc.integer({ min: 1, max: 8000 })).map(([n, l]) => `${n}(${l})`),
      fc.tuple(fc.constantFrom('nchar', 'nvarchar'), fc.integer({ min: 1, max: 4000 })).map(([n, l]) => `${n}(${l})`),
      fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s) => `decimal(${p},${s})`)),
      fc.tuple(fc.constantFrom('time', 'datetime2', 'datetimeoffset'), fc.integer({ min: 0, max: 7 })).map(([n, f]) => `${n}(${f})`),
    );
    fc.assert(
      fc.property(typeText, (text) => {
        const parsed = parseSqlServerType(text)!;
        expect(parsed.text).toBe(text);
        expect(parseSqlServerType(renderSqlServerType(parsed))).toEqual(parsed);
      }),
    );
  });

  it('gives each logical type a SQL Server type that holds every value of it, or text where none does', () => {
    const logicalArb: fc.Arbitrary<LogicalType> = fc.oneof(
      fc.constant<LogicalType>({ kind: 'bool' }),
      fc.record({ kind: fc.constant('int' as const), bits: fc.constantFrom(8, 16, 24, 32, 64) as fc.Arbitrary<8 | 16 | 24 | 32 | 64>, unsigned: fc.boolean() }),
      fc.integer({ min: 1, max: 38 }).chain((p) => fc.integer({ min: 0, max: p }).map((s): LogicalType => ({ kind: 'decimal', precision: p, scale: s }))),
      fc.record({ kind: fc.constant('float' as const), bits: fc.constantFrom(32, 64) as fc.Arbitrary<32 | 64> }),
      fc.record({ kind: fc.constant('text' as const), length: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }), fixed: fc.constant(false) }),
      fc.record({ kind: fc.constant('binary' as const), length: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }), fixed: fc.boolean() }),
      fc.constant<LogicalType>({ kind: 'date' }),
      fc.record({ kind: fc.constant('timestamp' as const), precision: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('timestamptz' as const), precision: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('time' as const), precision: fc.integer({ min: 0, max: 6 }), withTimeZone: fc.constant(false) }),
      fc.constant<LogicalType>({ kind: 'uuid' }),
      fc.constant<LogicalType>({ kind: 'json', binary: true }),
    );
    fc.assert(
      fc.property(logicalArb, (l) => {
        const native = sqlServerFromLogical(l);
        expect(parseSqlServerType(native.text), native.text).toEqual(native);
        const fit = analyseFit(l, sqlServerToLogical(native), l.kind === sqlServerToLogical(native).kind ? 'none' : 'cast');
        expect(fit.lossless, `${JSON.stringify(l)} -> ${native.text}: ${fit.lossless ? '' : fit.reason}`).toBe(true);
      }),
    );
  });

  it('makes room for characters outside the BMP: nvarchar counts UTF-16 code units', () => {
    expect(sqlServerFromLogical({ kind: 'text', length: 10, fixed: false }).text).toBe('nvarchar(20)');
    expect(sqlServerFromLogical({ kind: 'text', length: 2001, fixed: false }).text).toBe('nvarchar(max)');
  });
});
