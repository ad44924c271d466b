/**
 * One MariaDB column per supported source type, with the value each must become in a PostgreSQL or
 * a MariaDB target under the built-in rules (plans/types/mysql-to-*.dmsplan).
 */
import fc from 'fast-check';
import {
  BINARY_EDGES,
  JSON_EDGES,
  REJECT,
  TEXT_EDGES,
  bytesArb,
  dateText,
  decimalEdges,
  decimalText,
  float32Arb,
  float64Arb,
  floatEqual,
  intEdges,
  intText,
  isZeroDate,
  jsonArb,
  jsonEqual,
  latin1Text,
  textWithoutNul,
  timeOfDay,
  timestampText,
  trimFraction,
  type FidelityColumn,
} from './support.js';

export type MysqlTarget = 'postgres' | 'mysql';

const INT_TYPES = [
  ['tinyint', 8],
  ['smallint', 16],
  ['mediumint', 24],
  ['int', 32],
  ['bigint', 64],
] as const;

// No 4-byte UTF-8 in labels: MariaDB's metadata (information_schema, SHOW CREATE TABLE) prints them
// as '?', so no tool can read such a label back (see the report of issue 4).
export const ENUM_LABELS = ['a', 'b c', 'é', 'ü€', "it's", 'x\\y'] as const;
const SET_LABELS = ['red', 'green', 'blue', 'é'] as const;

const sqlString = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

const same = (s: string) => s;

/** Text columns: MariaDB takes U+0000 too, PostgreSQL does not (tested as a rejection elsewhere). */
function textArb(target: MysqlTarget, max: number): fc.Arbitrary<string> {
  const base = textWithoutNul(max);
  return target === 'mysql' ? fc.oneof(base, fc.constantFrom('a\u0000b', '\u0000')) : base;
}

const hex = (q: string) => `HEX(${q})`;

export function mysqlColumns(target: MysqlTarget): FidelityColumn[] {
  const toPg = target === 'postgres';
  const columns: FidelityColumn[] = [];
  for (const [name, bits] of INT_TYPES) {
    for (const unsigned of [false, true]) {
      columns.push({
        name: `c_${name}${unsigned ? '_u' : ''}`,
        type: `${name}${unsigned ? ' unsigned' : ''}`,
        arb: intText(bits, unsigned),
        edges: intEdges(bits, unsigned),
        expected: same,
      });
    }
  }
  columns.push(
    {
      name: 'c_bool',
      type: 'tinyint(1)',
      arb: fc.constantFrom('0', '1'),
      edges: ['0', '1'],
      expected: toPg ? (s) => (s === '1' ? 't' : s === '0' ? 'f' : REJECT) : same,
    },
    { name: 'c_dec', type: 'decimal(10,2)', arb: decimalText(10, 2), edges: decimalEdges(10, 2), expected: same },
    { name: 'c_dec65', type: 'decimal(65,30)', arb: decimalText(65, 30), edges: decimalEdges(65, 30), expected: same },
    { name: 'c_dec65_0', type: 'decimal(65,0) unsigned', arb: decimalText(65, 0).map((d) => d.replace(/^-/, '')), edges: decimalEdges(65, 0).filter((d) => !d.startsWith('-')), expected: same },
    {
      name: 'c_float',
      type: 'float',
      arb: float32Arb,
      edges: ['3.4028234663852886e+38', '-3.4028234663852886e+38', '1.401298464324817e-45', '1.1754943508222875e-38', '-0', '0.1'],
      sourceSql: (q) => `CAST(${q} AS DOUBLE)`,
      targetSql: toPg ? undefined : (q) => `CAST(${q} AS DOUBLE)`,
      expected: same,
      equal: floatEqual(32),
    },
    {
      name: 'c_double',
      type: 'double',
      arb: float64Arb,
      edges: ['1.7976931348623157e+308', '-1.7976931348623157e+308', '5e-324', '2.2250738585072014e-308', '-0', '0.1'],
      expected: same,
      equal: floatEqual(64),
    },
    {
      name: 'c_bit1',
      type: 'bit(1)',
      arb: fc.constantFrom('0', '1'),
      edges: ['0', '1'],
      insertAs: (p) => `CAST(CONV(${p}, 2, 10) AS UNSIGNED)`,
      sourceSql: (q) => `BIN(${q})`,
      targetSql: toPg ? undefined : (q) => `BIN(${q})`,
      expected: toPg ? (s) => (s === '1' ? 't' : 'f') : same,
    },
    ...([8, 64] as const).map((n) => ({
      name: `c_bit${n}`,
      type: `bit(${n})`,
      arb: fc.string({ unit: fc.constantFrom('0', '1'), minLength: n, maxLength: n }),
      edges: ['0'.repeat(n), '1'.repeat(n), `1${'0'.repeat(n - 1)}`],
      insertAs: (p: string) => `CAST(CONV(${p}, 2, 10) AS UNSIGNED)`,
      sourceSql: (q: string) => `LPAD(BIN(${q}), ${n}, '0')`,
      targetSql: toPg ? undefined : (q: string) => `LPAD(BIN(${q}), ${n}, '0')`,
      expected: same,
    })),
    // CHAR drops trailing spaces on read in MariaDB; PostgreSQL char(n)::text drops them too.
    { name: 'c_char', type: 'char(10)', arb: textArb(target, 10), edges: ['', ' x ', '😀😀😀😀😀😀😀😀😀😀', 'tab\there'], targetSql: toPg ? (q) => `${q}::text` : undefined, expected: (s) => s.replace(/ +$/, '') },
    { name: 'c_varchar', type: 'varchar(200)', arb: textArb(target, 200), edges: TEXT_EDGES, expected: same },
    { name: 'c_tinytext', type: 'tinytext', arb: textArb(target, 60), edges: ['', '😀'], expected: same },
    { name: 'c_text', type: 'text', arb: textArb(target, 300), edges: TEXT_EDGES, expected: same },
    { name: 'c_mediumtext', type: 'mediumtext', arb: textArb(target, 300), edges: ['\\\\', 'x'.repeat(70000)], expected: same },
    { name: 'c_longtext', type: 'longtext', arb: textArb(target, 300), edges: ['', 'é😀'.repeat(40000)], expected: same },
    { name: 'c_latin1', type: 'varchar(50) character set latin1', arb: latin1Text(50), edges: ['€ Œ œ ™ ‰', 'ÿé ß Ø', '\u0081\u008d', ''], expected: same },
    {
      name: 'c_binary',
      type: 'binary(8)',
      arb: bytesArb(8),
      edges: [Buffer.alloc(0), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([255, 0, 92, 39, 10, 13, 9, 1])],
      sourceSql: hex,
      targetSql: toPg ? (q) => `upper(encode(${q}, 'hex'))` : hex,
      expected: same, // MariaDB pads BINARY(n) with NUL bytes; the padded value is the value
    },
    ...(['varbinary(100)', 'tinyblob', 'blob', 'mediumblob', 'longblob'] as const).map((type) => ({
      name: `c_${type.replace(/\(.*/, '')}`,
      type,
      arb: bytesArb(type === 'tinyblob' ? 255 : 100),
      edges: BINARY_EDGES,
      sourceSql: hex,
      targetSql: toPg ? (q: string) => `upper(encode(${q}, 'hex'))` : hex,
      expected: same,
    })),
    {
      name: 'c_date',
      type: 'date',
      arb: fc.oneof(dateText(1, 9999), fc.constantFrom('0000-00-00', '2020-00-15', '2020-05-00')),
      edges: ['0000-00-00', '2020-00-15', '2020-05-00', '0001-01-01', '9999-12-31', '2024-02-29', '1000-01-01'],
      expected: toPg ? (s) => (isZeroDate(s) ? null : s) : same,
    },
    ...[0, 1, 2, 3, 4, 5, 6].map((p) => ({
      name: `c_datetime${p}`,
      type: `datetime${p ? `(${p})` : ''}`,
      arb: fc.oneof({ weight: 9, arbitrary: timestampText(p, 1000, 9999) }, { weight: 1, arbitrary: fc.constant('0000-00-00 00:00:00') }),
      edges: ['0000-00-00 00:00:00', '2020-00-15 10:00:00', '2021-03-28 02:30:00', '2021-10-31 02:30:00', `9999-12-31 23:59:59${p ? `.${'9'.repeat(p)}` : ''}`, '1000-01-01 00:00:00'],
      expected: toPg ? (s: string) => (isZeroDate(s) ? null : trimFraction(s)) : same,
    })),
    {
      name: 'c_timestamp6',
      type: 'timestamp(6) NULL',
      arb: timestampText(6, 1971, 2037),
      // 01:00 UTC on the last Sunday of March/October is when Europe changes its clocks.
      edges: ['1970-01-01 00:00:01', '2038-01-19 03:14:07.999999', '2021-03-28 00:59:59.999999', '2021-03-28 01:00:00', '2021-10-31 00:30:00', '2021-10-31 01:30:00', '0000-00-00 00:00:00'],
      expected: toPg ? (s) => (isZeroDate(s) ? null : `${trimFraction(s)}+00`) : same,
    },
    {
      name: 'c_time',
      type: 'time',
      arb: mysqlTime(0),
      edges: ['838:59:59', '-838:59:59', '00:00:00', '-00:00:01', '24:00:00', '-12:30:00'],
      expected: same,
    },
    {
      name: 'c_time6',
      type: 'time(6)',
      arb: mysqlTime(6),
      edges: ['838:59:59.000000', '-838:59:59.000000', '-00:00:00.000001', '00:00:00.5'],
      expected: toPg ? trimFraction : same,
    },
    // YEAR also holds 0000 (what MySQL stores for 0).
    { name: 'c_year', type: 'year', arb: fc.integer({ min: 1901, max: 2155 }).map(String), edges: ['1901', '2155', '2000', '0'], expected: toPg ? (s) => String(Number(s)) : same },
    {
      name: 'c_enum',
      type: `enum(${ENUM_LABELS.map(sqlString).join(',')})`,
      arb: fc.constantFrom(...ENUM_LABELS),
      edges: [...ENUM_LABELS],
      expected: same,
    },
    {
      name: 'c_set',
      type: `set(${SET_LABELS.map(sqlString).join(',')})`,
      arb: fc.subarray([...SET_LABELS]).map((labels) => labels.join(',')),
      edges: ['', 'red', 'red,green,blue,é'],
      targetSql: toPg ? (q) => `array_to_json(${q})::text` : undefined,
      expected: toPg ? (s) => JSON.stringify(s === '' ? [] : s.split(',')) : same,
    },
    { name: 'c_json', type: 'json', arb: jsonArb, edges: JSON_EDGES, expected: same, equal: jsonEqual },
  );
  return columns;
}

/** MySQL TIME: a signed duration up to ±838:59:59(.999999). */
function mysqlTime(precision: number): fc.Arbitrary<string> {
  return fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 838 }), timeOfDay(precision)).map(([neg, h, t]) => {
    const text = `${String(h).padStart(2, '0')}${t.slice(2)}`;
    return neg && /[1-9]/.test(text) ? `-${text}` : text;
  });
}
