import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mysqlFromLogical, mysqlToLogical, parseMysqlType, renderMysqlType } from '../../../src/engines/mysql/mysql-types.js';
import type { NativeType } from '../../../src/schema/catalog.js';
import type { LogicalType } from '../../../src/types/logical.js';

function parse(text: string): NativeType {
  const t = parseMysqlType(text);
  if (!t) throw new Error(`did not parse: ${text}`);
  return t;
}

describe('parseMysqlType: COLUMN_TYPE as the server prints it', () => {
  it.each([
    ['int(10) unsigned', 'int', [10], true],
    ['tinyint(1)', 'tinyint', [1], false],
    ['bigint(20) unsigned zerofill', 'bigint', [20], true],
    ['decimal(65,30)', 'decimal', [65, 30], false],
    ['datetime(6)', 'datetime', [6], false],
    ['bit(8)', 'bit', [8], false],
    ['varchar(255)', 'varchar', [255], false],
    ['longtext', 'longtext', [], false],
    ['json', 'json', [], false],
    ['year(4)', 'year', [4], false],
    ['double', 'double', [], false],
    ['float', 'float', [], false],
    ['binary(16)', 'binary', [16], false],
    ['geometry', 'geometry', [], false],
    ['time(3)', 'time', [3], false],
  ])('%s', (text, name, params, unsigned) => {
    const t = parse(text);
    expect(t.name).toBe(name);
    expect(t.params).toEqual(params);
    expect(t.unsigned).toBe(unsigned);
  });

  it('enum and set labels, with doubled quotes, backslashes and commas', () => {
    const e = parse(String.raw`enum('a','b''c','d\\e','x,y')`);
    expect(e.name).toBe('enum');
    expect(e.values).toEqual(['a', "b'c", 'd\\e', 'x,y']);
    expect(parse("set('p','q')").values).toEqual(['p', 'q']);
  });

  it('plan spellings and aliases map to the names MySQL prints', () => {
    expect(parse('INTEGER UNSIGNED').text).toBe('int unsigned');
    expect(parse('boolean').text).toBe('tinyint(1)');
    expect(parse('double precision').name).toBe('double');
    expect(parse('numeric(10,2)').text).toBe('decimal(10,2)');
    expect(parse('character varying(20)').text).toBe('varchar(20)');
    expect(parse('NVARCHAR(160)').text).toBe('varchar(160)');
    expect(parse('float(30)').name).toBe('double');
    expect(parse('float(10)').name).toBe('float');
    expect(parse('serial').text).toBe('bigint unsigned');
  });

  it('refuses what is not a MySQL type', () => {
    for (const bad of ['', 'varchar', 'int(x)', 'decimal(70,2)', 'bit(65)', 'datetime(7)', 'integerx', 'int unsigned banana', "enum('a'", 'text[]']) {
      expect(parseMysqlType(bad), bad).toBeUndefined();
    }
  });
});

describe('toLogical', () => {
  const cases: [string, LogicalType][] = [
    ['tinyint(1)', { kind: 'int', bits: 8, unsigned: false }],
    ['int(10) unsigned', { kind: 'int', bits: 32, unsigned: true }],
    ['mediumint', { kind: 'int', bits: 24, unsigned: false }],
    ['bigint unsigned', { kind: 'int', bits: 64, unsigned: true }],
    ['bit(1)', { kind: 'bit', length: 1, varying: false }],
    ['decimal', { kind: 'decimal', precision: 10, scale: 0 }],
    ['decimal(65,30)', { kind: 'decimal', precision: 65, scale: 30 }],
    ['float', { kind: 'float', bits: 32 }],
    ['double', { kind: 'float', bits: 64 }],
    ['time(6)', { kind: 'interval', precision: 6 }],
    ['timestamp(3)', { kind: 'timestamptz', precision: 3 }],
    ['datetime', { kind: 'timestamp', precision: 0 }],
    ['char(3)', { kind: 'text', length: 3, fixed: true }],
    ['varchar(255)', { kind: 'text', length: 255, fixed: false }],
    ['tinytext', { kind: 'text', length: 255, fixed: false }],
    ['longtext', { kind: 'text', length: undefined, fixed: false }],
    ['binary(16)', { kind: 'binary', length: 16, fixed: true }],
    ['longblob', { kind: 'binary', length: undefined, fixed: false }],
    ['year', { kind: 'year' }],
    ['json', { kind: 'json', binary: true }],
    ["enum('a','b')", { kind: 'enum', values: ['a', 'b'], name: undefined }],
    ["set('a','b')", { kind: 'set', values: ['a', 'b'] }],
    ['geometry', { kind: 'other', native: 'geometry' }],
  ];
  it.each(cases)('%s', (text, logical) => expect(mysqlToLogical(parse(text))).toEqual(logical));
});

describe('fromLogical', () => {
  const cases: [LogicalType, string][] = [
    [{ kind: 'bool' }, 'tinyint(1)'],
    [{ kind: 'int', bits: 64, unsigned: true }, 'bigint unsigned'],
    [{ kind: 'decimal', precision: 20, scale: 0 }, 'decimal(20,0)'],
    [{ kind: 'decimal', precision: undefined, scale: undefined }, 'longtext'],
    [{ kind: 'decimal', precision: 100, scale: 2 }, 'longtext'],
    [{ kind: 'uuid' }, 'char(36)'],
    [{ kind: 'json', binary: true }, 'json'],
    [{ kind: 'timestamptz', precision: 6 }, 'datetime(6)'],
    [{ kind: 'timestamp', precision: 0 }, 'datetime'],
    [{ kind: 'interval', precision: 6 }, 'time(6)'],
    [{ kind: 'array', element: { kind: 'int', bits: 32, unsigned: false } }, 'json'],
    [{ kind: 'text', length: 40, fixed: false }, 'varchar(40)'],
    [{ kind: 'text', length: 100000, fixed: false }, 'mediumtext'],
    [{ kind: 'text', length: undefined, fixed: false }, 'longtext'],
    [{ kind: 'binary', length: undefined, fixed: false }, 'longblob'],
    [{ kind: 'bit', length: 64, varying: false }, 'bit(64)'],
    [{ kind: 'bit', length: 100, varying: true }, 'varchar(100)'],
    [{ kind: 'enum', values: ["it's", 'b'], name: 'mood' }, "enum('it''s','b')"],
  ];
  it.each(cases)('%j → %s', (logical, text) => expect(mysqlFromLogical(logical).text).toBe(text));

  it('keeps the logical type where MySQL has an exact equivalent', () => {
    for (const text of ['int unsigned', 'decimal(12,4)', 'varchar(300)', 'datetime(3)', 'time(2)', 'year', "set('x','y')", 'bit(5)', 'binary(4)']) {
      const logical = mysqlToLogical(parse(text));
      expect(mysqlToLogical(mysqlFromLogical(logical))).toEqual(logical);
    }
  });
});

// Arbitrary native types as MySQL prints them.
const label = fc.string({ unit: fc.constantFrom('a', 'b', "'", '\\', ',', ' ', 'é', '😀', '\n', '\t'), minLength: 0, maxLength: 6 });
const nativeType: fc.Arbitrary<Pick<NativeType, 'name' | 'params' | 'unsigned' | 'values'>> = fc.oneof(
  fc.record({ name: fc.constantFrom('tinyint', 'smallint', 'mediumint', 'int', 'bigint'), params: fc.oneof(fc.constant([]), fc.tuple(fc.integer({ min: 1, max: 255 }))), unsigned: fc.boolean() }),
  fc.integer({ min: 1, max: 65 }).chain((p) => fc.record({ name: fc.constant('decimal'), params: fc.tuple(fc.constant(p), fc.integer({ min: 0, max: Math.min(p, 30) })), unsigned: fc.constant(false) })),
  fc.record({ name: fc.constantFrom('time', 'datetime', 'timestamp'), params: fc.oneof(fc.constant([]), fc.tuple(fc.integer({ min: 0, max: 6 }))), unsigned: fc.constant(false) }),
  fc.record({ name: fc.constantFrom('varchar', 'varbinary'), params: fc.tuple(fc.integer({ min: 1, max: 65535 })), unsigned: fc.constant(false) }),
  fc.record({ name: fc.constant('bit'), params: fc.tuple(fc.integer({ min: 1, max: 64 })), unsigned: fc.constant(false) }),
  fc.record({
    name: fc.constantFrom('float', 'double', 'date', 'year', 'json', 'tinytext', 'text', 'mediumtext', 'longtext', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'geometry', 'point'),
    params: fc.constant([]),
    unsigned: fc.constant(false),
  }),
  fc.record({ name: fc.constantFrom('enum', 'set'), params: fc.constant([]), unsigned: fc.constant(false), values: fc.array(label, { minLength: 1, maxLength: 5 }) }),
);

describe('properties', () => {
  it('parseNative(render(t)) round-trips', () => {
    fc.assert(
      fc.property(nativeType, (t) => {
        const text = renderMysqlType(t);
        const back = parse(text);
        expect(back.name).toBe(t.name);
        expect(back.params).toEqual(t.params);
        expect(back.unsigned).toBe(t.unsigned);
        if (t.values) expect(back.values).toEqual(t.values);
        expect(back.text).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('fromLogical always yields a type that parses, for every logical type toLogical produces', () => {
    fc.assert(
      fc.property(nativeType, (t) => {
        const logical = mysqlToLogical(parse(renderMysqlType(t)));
        const native = mysqlFromLogical(logical);
        expect(parseMysqlType(native.text)).toEqual(native);
      }),
      { numRuns: 500 },
    );
  });
});
