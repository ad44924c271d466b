import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oracleFromLogical, oracleReadProblem, oracleToLogical, parseOracleType, renderOracleType } from '../../../src/engines/oracle/oracle-types.js';
import { describeLogical } from '../../../src/types/logical.js';

const logical = (text: string) => {
  const t = parseOracleType(text);
  if (!t) throw new Error(`test setup: ${text} does not parse`);
  return describeLogical(oracleToLogical(t));
};

describe('Oracle types', () => {
  it('maps NUMBER exactly: integers by digits, decimals, never a float', () => {
    expect(['NUMBER(4)', 'NUMBER(5,0)', 'NUMBER(9)', 'NUMBER(10)', 'NUMBER(18)', 'NUMBER(19)', 'NUMBER(*,0)', 'INTEGER', 'SMALLINT'].map(logical)).toEqual([
      'int16', 'int32', 'int32', 'int64', 'int64', 'decimal(19,0)', 'decimal(38,0)', 'decimal(38,0)', 'decimal(38,0)',
    ]);
    expect(['NUMBER', 'FLOAT', 'FLOAT(63)', 'REAL', 'DOUBLE PRECISION', 'NUMBER(10,2)', 'DECIMAL(7,3)'].map(logical)).toEqual([
      'decimal', 'decimal', 'decimal', 'decimal', 'decimal', 'decimal(10,2)', 'decimal(7,3)',
    ]);
    // A negative scale rounds to tens, hundreds…: integers of p − s digits; a scale above the precision holds small fractions only.
    expect(logical('NUMBER(5,-2)')).toBe('int32');
    expect(logical('NUMBER(17,-3)')).toBe('decimal(20,0)');
    expect(logical('NUMBER(2,5)')).toBe('decimal(5,5)');
  });

  it('maps DATE to a timestamp (it has a time of day) and keeps 7–9 fraction digits as text', () => {
    expect(['DATE', 'TIMESTAMP', 'TIMESTAMP(3)', 'TIMESTAMP(0) WITH TIME ZONE', 'TIMESTAMP(6) WITH LOCAL TIME ZONE'].map(logical)).toEqual([
      'timestamp(0)', 'timestamp(6)', 'timestamp(3)', 'timestamptz(0)', 'timestamptz(6)',
    ]);
    expect(logical('TIMESTAMP(9)')).toBe('other(TIMESTAMP(9))');
    expect(logical('INTERVAL DAY(3) TO SECOND(9)')).toBe('other(INTERVAL DAY(3) TO SECOND(9))');
    expect(['INTERVAL YEAR TO MONTH', 'INTERVAL DAY TO SECOND', 'INTERVAL DAY(9) TO SECOND(0)'].map(logical)).toEqual(['interval(0)', 'interval(6)', 'interval(0)']);
  });

  it('maps character, binary and other types', () => {
    expect(['VARCHAR2(20 BYTE)', 'VARCHAR2(20 CHAR)', 'NVARCHAR2(7)', 'CHAR', 'NCHAR(3)', 'CLOB', 'NCLOB', 'LONG', 'ROWID', 'UROWID(100)'].map(logical)).toEqual([
      'varchar(20)', 'varchar(20)', 'varchar(7)', 'char(1)', 'char(3)', 'text', 'text', 'text', 'varchar(18)', 'varchar(100)',
    ]);
    expect(['RAW(16)', 'BLOB', 'LONG RAW', 'BINARY_FLOAT', 'BINARY_DOUBLE', 'JSON', 'BOOLEAN', 'XMLTYPE', 'SYS.XMLTYPE', 'MDSYS.SDO_GEOMETRY'].map(logical)).toEqual([
      'varbinary(16)', 'binary', 'binary', 'float32', 'float64', 'jsonb', 'bool', 'other(xmltype)', 'other(xmltype)', 'other(sdo_geometry)',
    ]);
  });

  it('refuses text that is no Oracle type, and names the types it cannot read', () => {
    for (const text of ['VARCHAR2', 'NUMBER(', 'CLOB(10)', 'NVARCHAR2(10 CHAR)', 'TIMESTAMP WITH ZONE', 'integer unsigned']) expect(parseOracleType(text), text).toBeUndefined();
    expect(oracleReadProblem(parseOracleType('BFILE')!)).toMatch(/outside the database/);
    expect(oracleReadProblem({ name: 'hr.address_t', params: [], unsigned: false, text: 'HR.ADDRESS_T' })).toMatch(/HR\.ADDRESS_T is a type dmsplan cannot read/);
    for (const text of ['NUMBER', 'DATE', 'XMLTYPE', 'SDO_GEOMETRY', 'TIMESTAMP(9)', 'LONG RAW']) expect(oracleReadProblem(parseOracleType(text)!), text).toBeUndefined();
  });

  it('renders every type so that it parses back to the same type', () => {
    const typeText = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 38 }), fc.integer({ min: -84, max: 127 })).map(([p, s]) => `NUMBER(${p},${s})`),
      fc.integer({ min: 1, max: 126 }).map((b) => `FLOAT(${b})`),
      fc.tuple(fc.constantFrom('VARCHAR2', 'CHAR'), fc.integer({ min: 1, max: 4000 }), fc.constantFrom('', ' BYTE', ' CHAR')).map(([n, l, s]) => `${n}(${l}${s})`),
      fc.tuple(fc.constantFrom('NVARCHAR2', 'NCHAR', 'RAW', 'UROWID'), fc.integer({ min: 1, max: 2000 })).map(([n, l]) => `${n}(${l})`),
      fc.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom('', ' WITH TIME ZONE', ' WITH LOCAL TIME ZONE')).map(([p, z]) => `TIMESTAMP(${p})${z}`),
      fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([d, s]) => `INTERVAL DAY(${d}) TO SECOND(${s})`),
      fc.integer({ min: 0, max: 9 }).map((y) => `INTERVAL YEAR(${y}) TO MONTH`),
      fc.constantFrom('NUMBER', 'DATE', 'CLOB', 'NCLOB', 'BLOB', 'LONG', 'LONG RAW', 'BINARY_FLOAT', 'BINARY_DOUBLE', 'ROWID', 'XMLTYPE', 'JSON', 'BOOLEAN', 'SDO_GEOMETRY'),
    );
    fc.assert(
      fc.property(typeText, (text) => {
        const parsed = parseOracleType(text)!;
        expect(parsed, text).toBeDefined();
        const again = parseOracleType(renderOracleType(parsed))!;
        expect([again.name, again.params]).toEqual([parsed.name, parsed.params]);
        expect(oracleToLogical(again)).toEqual(oracleToLogical(parsed));
      }),
    );
  });

  it('gives every logical type a native type that holds it (as a target would use it)', () => {
    expect(renderOracleType(oracleFromLogical({ kind: 'int', bits: 64, unsigned: true }))).toBe('NUMBER(20,0)');
    expect(renderOracleType(oracleFromLogical({ kind: 'text', length: 10, fixed: false }))).toBe('VARCHAR2(10 CHAR)');
    expect(renderOracleType(oracleFromLogical({ kind: 'text', length: 5000, fixed: false }))).toBe('NCLOB');
    expect(renderOracleType(oracleFromLogical({ kind: 'timestamptz', precision: 3 }))).toBe('TIMESTAMP(3) WITH TIME ZONE');
    expect(renderOracleType(oracleFromLogical({ kind: 'decimal', precision: 65, scale: 30 }))).toBe('NUMBER');
  });
});
