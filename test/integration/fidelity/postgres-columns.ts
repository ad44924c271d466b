/**
 * One PostgreSQL column per supported source type, with the value each must become in a
 * PostgreSQL, MariaDB or SQLite target under the built-in rules (plans/types/postgres-to-*.dmsplan).
 * Source texts are read in a UTC session with IntervalStyle postgres (the canonical forms).
 */
import fc from 'fast-check';
import { valueArb } from '../../arbitraries/values.js';
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
  jsonArb,
  jsonEqual,
  textWithoutNul,
  timeOfDay,
  timestampText,
  trimFraction,
  insertRows,
  quotePg,
  withPostgres,
  type FidelityColumn,
} from './support.js';

export type PostgresTarget = 'postgres' | 'mysql' | 'sqlite';

export const MOOD_LABELS = ['sad', 'ok', 'happy', '😀 joy', "it's", 'back\\slash'] as const;
export const MOOD_DDL = `CREATE TYPE mood AS ENUM (${MOOD_LABELS.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ')})`;

const same = (s: string) => s;
const fractionsEqual = (a: string, b: string) => trimFraction(a) === trimFraction(b);
const hexPg = (q: string) => `upper(encode(${q}, 'hex'))`;

const BEYOND_DATES = ['infinity', '-infinity', '0044-03-15 BC', '10000-01-01'];
const BEYOND_TIMESTAMPS = ['infinity', '-infinity', '0044-03-15 10:00:00 BC', '10000-01-01 00:00:00'];
const isBeyond = (s: string) => /infinity| BC$|^\d{5}/.test(s);

/** '+02' → '+02:00' (canonical timetz offsets have minutes). */
const offsetWithMinutes = (s: string) => s.replace(/([+-]\d\d)$/, '$1:00');

export function postgresColumns(target: PostgresTarget): FidelityColumn[] {
  const pg = target === 'postgres';
  const my = target === 'mysql';
  const hexTarget = pg ? hexPg : my ? (q: string) => `HEX(${q})` : undefined;
  const ints = ([['smallint', 16], ['integer', 32], ['bigint', 64]] as const).map(([type, bits]) => ({
    name: `c_${type}`,
    type,
    arb: intText(bits, false),
    edges: intEdges(bits, false),
    expected: same,
  }));
  // MariaDB has no NaN/Infinity (rejected); MariaDB and SQLite store IEEE -0 as 0 (equal as numbers; a known limit).
  // PostgreSQL's dates beyond 0001–9999 ('infinity', BC, year 10000): PostgreSQL and SQLite keep
  // them, MariaDB has no such dates.
  const beyond = (s: string) => (isBeyond(s) && my ? REJECT : s);
  const floatSpecial = (s: string) => (my && /nan|inf/i.test(s) ? REJECT : !pg && s === '-0' ? '0' : s);
  return [
    ...ints,
    { name: 'c_numeric', type: 'numeric(20,5)', arb: decimalText(20, 5), edges: [...decimalEdges(20, 5), 'NaN'], expected: (s) => (my && s === 'NaN' ? REJECT : s) },
    { name: 'c_numeric65', type: 'numeric(65,30)', arb: decimalText(65, 30), edges: decimalEdges(65, 30), expected: same },
    { name: 'c_numeric100', type: 'numeric(100,10)', arb: decimalText(100, 10), edges: decimalEdges(100, 10), expected: same },
    {
      name: 'c_numeric_free',
      type: 'numeric',
      arb: fc.oneof(decimalText(60, 40), decimalText(20, 0)),
      edges: ['NaN', '0.000000000000000000000000000000000000000000000001', `1${'0'.repeat(120)}`, '-1.5', '0'],
      expected: same,
    },
    { name: 'c_real', type: 'real', arb: float32Arb, edges: ['NaN', 'Infinity', '-Infinity', '-0', '3.4028235e+38', '1e-45', '0.1'], targetSql: my ? (q) => `CAST(${q} AS DOUBLE)` : undefined, expected: floatSpecial, equal: floatEqual(32) },
    { name: 'c_double', type: 'double precision', arb: float64Arb, edges: ['NaN', 'Infinity', '-Infinity', '-0', '1.7976931348623157e+308', '5e-324', '0.1'], expected: floatSpecial, equal: floatEqual(64) },
    { name: 'c_bool', type: 'boolean', arb: fc.boolean(), edges: [true, false], expected: pg ? same : (s) => (s === 't' ? '1' : '0') },
    { name: 'c_text', type: 'text', arb: textWithoutNul(300), edges: [...TEXT_EDGES, 'é😀'.repeat(30000)], expected: same },
    { name: 'c_varchar', type: 'varchar(100)', arb: textWithoutNul(100), edges: TEXT_EDGES.filter((t) => [...t].length <= 100), expected: same },
    { name: 'c_varchar_free', type: 'varchar', arb: textWithoutNul(100), edges: ['', '\\'], expected: same },
    // char(n)::text drops the padding on both sides (MariaDB drops it on read); SQLite keeps the
    // value as PostgreSQL holds it, padded to n characters.
    {
      name: 'c_char',
      type: 'char(10)',
      arb: textWithoutNul(10),
      edges: ['', ' x ', '😀😀😀😀😀😀😀😀😀😀'],
      sourceSql: (q) => `${q}::text`,
      targetSql: pg ? (q) => `${q}::text` : undefined,
      expected: (s) => (target === 'sqlite' ? s + ' '.repeat(10 - [...s].length) : s.replace(/ +$/, '')),
    },
    { name: 'c_bytea', type: 'bytea', arb: bytesArb(100), edges: BINARY_EDGES, sourceSql: hexPg, targetSql: hexTarget, expected: same },
    { name: 'c_date', type: 'date', arb: dateText(1, 9999), edges: ['0001-01-01', '9999-12-31', '2000-02-29', '1970-01-01', ...BEYOND_DATES], expected: beyond },
    ...[0, 3, 6].map((p) => ({
      name: `c_ts${p}`,
      type: `timestamp(${p})`,
      arb: timestampText(p),
      edges: ['2021-03-28 02:30:00', '2021-10-31 02:30:00', '0001-01-01 00:00:00', `9999-12-31 23:59:59${p ? `.${'9'.repeat(p)}` : ''}`, ...BEYOND_TIMESTAMPS],
      expected: beyond,
      equal: fractionsEqual,
    })),
    ...[3, 6].map((p) => ({
      name: `c_tstz${p}`,
      type: `timestamptz(${p})`,
      arb: timestampText(p, 1, 9998).map((t) => `${t}+00`),
      // Written in a Europe/Berlin session: a time that does not exist, one that exists twice.
      edges: ['2021-03-28 02:30:00', '2021-10-31 02:30:00', '2021-10-31 02:30:00+01', '2021-03-28 01:00:00+00', '1969-12-31 23:59:59.999+00', '0001-01-01 00:00:00+00', ...BEYOND_TIMESTAMPS],
      // MariaDB: DATETIME in UTC; SQLite: the canonical text, offset '+00:00'.
      expected: (s: string) => (isBeyond(s) ? beyond(s) : pg ? s : my ? s.replace(/\+00$/, '') : s.replace(/\+00$/, '+00:00')),
      equal: fractionsEqual,
    })),
    { name: 'c_time', type: 'time', arb: timeOfDay(6), edges: ['00:00:00', '23:59:59.999999', '24:00:00'], expected: same, equal: fractionsEqual },
    { name: 'c_time3', type: 'time(3)', arb: timeOfDay(3), edges: ['12:00:00.5'], expected: same, equal: fractionsEqual },
    {
      name: 'c_timetz',
      type: 'timetz',
      arb: fc.tuple(timeOfDay(6), fc.constantFrom('+00', '+02', '-05', '+05:30', '+14', '-12')).map(([t, z]) => `${t}${z}`),
      edges: ['00:00:00+00', '23:59:59.999999-12', '12:34:56+05:30'],
      expected: pg ? same : offsetWithMinutes,
      equal: pg ? undefined : fractionsEqual,
    },
    {
      name: 'c_interval',
      type: 'interval',
      arb: valueArb({ kind: 'interval', precision: 6 }),
      edges: ['00:00:00', '-838:59:59', '838:59:59.999999', '1 year 2 mons 3 days 04:05:06.789', '-1 years -2 mons +3 days -04:05:06', '10000:00:00', '1 day'],
      expected: same,
    },
    { name: 'c_uuid', type: 'uuid', arb: fc.uuid(), edges: ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'], expected: same },
    // json keeps its text in PostgreSQL; MariaDB JSON too, but compare as documents everywhere but PG → PG.
    { name: 'c_json', type: 'json', arb: jsonArb, edges: [...JSON_EDGES, '{"a": 1, "a": 2}', ' [ 1 ,2 ] '], expected: same, equal: pg ? undefined : jsonEqual },
    { name: 'c_jsonb', type: 'jsonb', arb: jsonArb, edges: JSON_EDGES, expected: same, equal: pg ? undefined : jsonEqual },
    {
      name: 'c_text_arr',
      type: 'text[]',
      arb: fc.array(fc.option(textWithoutNul(20), { nil: null }), { maxLength: 5 }),
      edges: [[], ['NULL', null, '', '{}', 'a,b', '"q"', '\\', ' '], ['😀']],
      sourceSql: pg ? undefined : (q) => `array_to_json(${q})::text`,
      expected: same,
      equal: pg ? undefined : jsonEqual,
    },
    {
      name: 'c_int_arr',
      type: 'integer[]',
      arb: fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 5 }),
      edges: [[], [-2147483648, 2147483647, null], [[1, 2], [3, null]]],
      sourceSql: pg ? undefined : (q) => `array_to_json(${q})::text`,
      expected: same,
      equal: pg ? undefined : jsonEqual,
    },
    {
      name: 'c_bigint_arr',
      type: 'bigint[]',
      arb: fc.array(fc.option(intText(64, false), { nil: null }), { maxLength: 5 }),
      edges: [['-9223372036854775808', '9223372036854775807']],
      sourceSql: pg ? undefined : (q) => `array_to_json(${q})::text`,
      expected: same,
      // Exact digits: JSON.parse would round both sides alike, so compare the texts without spaces.
      equal: pg ? undefined : (a, b) => a.replace(/\s/g, '') === b.replace(/\s/g, ''),
    },
    {
      name: 'c_bit',
      type: 'bit(12)',
      arb: fc.string({ unit: fc.constantFrom('0', '1'), minLength: 12, maxLength: 12 }),
      edges: ['000000000000', '111111111111', '100000000001'],
      targetSql: my ? (q) => `LPAD(BIN(${q}), 12, '0')` : undefined,
      expected: same,
    },
    { name: 'c_varbit', type: 'varbit(20)', arb: fc.string({ unit: fc.constantFrom('0', '1'), maxLength: 20 }), edges: ['', '0', '1'.repeat(20)], expected: same },
    { name: 'c_varbit_free', type: 'varbit', arb: fc.string({ unit: fc.constantFrom('0', '1'), maxLength: 100 }), edges: ['', '0'.repeat(300)], expected: same },
    { name: 'c_enum', type: 'mood', arb: fc.constantFrom(...MOOD_LABELS), edges: [...MOOD_LABELS], expected: same },
    ...(pg ? OTHER_TYPES : []),
  ];
}

/** Types with no neutral equivalent ('other'): carried as their text form, PostgreSQL → PostgreSQL only. */
const OTHER_TYPES: readonly FidelityColumn[] = [
  { name: 'c_inet', type: 'inet', arb: fc.ipV4().map((ip) => `${ip}/24`), edges: ['::1', '2001:db8::/32', '10.0.0.1'], expected: (s) => s },
  { name: 'c_macaddr', type: 'macaddr', arb: fc.constantFrom('08:00:2b:01:02:03', '00:00:00:00:00:00'), edges: [], expected: (s) => s },
  { name: 'c_xml', type: 'xml', arb: fc.constantFrom('<a>é😀</a>', '<b x="1"/>'), edges: ['<r>\t&amp;</r>'], expected: (s) => s },
  { name: 'c_tsvector', type: 'tsvector', arb: fc.constantFrom("'a' 'b':1", "'é😀':2A"), edges: [], expected: (s) => s },
  { name: 'c_point', type: 'point', arb: fc.constantFrom('(1,2)', '(-1.5,1e+300)'), edges: [], expected: (s) => s },
  { name: 'c_range', type: 'int4range', arb: fc.constantFrom('[1,5)', 'empty', '(,3)'), edges: [], expected: (s) => s },
  { name: 'c_money', type: 'money', arb: fc.constantFrom('12.34', '-0.01'), edges: ['92233720368547758.07'], expected: (s) => s },
];

/**
 * Creates the `every_type` table (and the `mood` enum) in a PostgreSQL database and writes the rows
 * through a session whose zone is Europe/Berlin, so local times near the clock changes are data.
 * The database's own default zone is Berlin too: the engines must not depend on it.
 */
export async function createPostgresSource(url: string, dbName: string, columns: readonly FidelityColumn[], rows: readonly (readonly unknown[])[]): Promise<void> {
  await withPostgres(url, async (c) => {
    await c.query(`ALTER DATABASE ${quotePg(dbName)} SET timezone = 'Europe/Berlin'`);
    await c.query(MOOD_DDL);
    await c.query(`CREATE TABLE every_type (id integer PRIMARY KEY, ${columns.map((col) => `${quotePg(col.name)} ${col.type}`).join(', ')})`);
    await insertRows((sql, params) => c.query(sql, params), 'every_type', quotePg, columns, rows, (i) => `$${i}`);
  }, 'Europe/Berlin');
}
