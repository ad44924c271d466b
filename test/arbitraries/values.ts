/**
 * fast-check arbitraries of canonical Values (src/types/logical.ts) for a logical type, biased
 * towards the edges: min/max per int width, 65-digit decimals, float specials, NUL, control
 * characters and 4-byte UTF-8, zero dates, MySQL TIME ±838:59:59.999999, leap days, DST dates.
 */
import fc from 'fast-check';
import type { LogicalType, Value } from '../../src/types/logical.js';

export interface ValueOptions {
  /** The source is MySQL: dates may be zero or partial-zero; `interval` is a TIME (±838 hours). */
  readonly mysql?: boolean;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

function intArb(bits: 8 | 16 | 24 | 32 | 64, unsigned: boolean): fc.Arbitrary<Value> {
  const full = 2n ** BigInt(bits);
  const min = unsigned ? 0n : -(full / 2n);
  const max = unsigned ? full - 1n : full / 2n - 1n;
  return fc.oneof(fc.constantFrom(min, max, 0n, 1n, min + 1n, max - 1n), fc.bigInt({ min, max })).map((n) => n.toString());
}

function decimalArb(precision: number | undefined, scale: number | undefined): fc.Arbitrary<Value> {
  const p = precision ?? 40;
  const s = precision === undefined ? 10 : (scale ?? 0);
  const intMax = p - s;
  const build = ([neg, i, f]: [boolean, string, string]) => {
    const integer = i.replace(/^0+(?=\d)/, '') || '0';
    const text = f.length > 0 ? `${integer}.${f}` : integer;
    return neg && /[1-9]/.test(text) ? `-${text}` : text;
  };
  const extremes = fc.constant<[boolean, string, string]>([true, '9'.repeat(Math.max(intMax, 1)).slice(0, Math.max(intMax, 0)) || '0', '9'.repeat(s)]);
  return fc.oneof(extremes.map(build), fc.tuple(fc.boolean(), digits(intMax > 0 ? 1 : 0, Math.max(intMax, 0)).map((d) => d || '0'), digits(0, s)).map(build));
}

function floatArb(bits: 32 | 64): fc.Arbitrary<Value> {
  const specials = fc.constantFrom('NaN', 'Infinity', '-Infinity', '-0', '0');
  if (bits === 64) return fc.oneof(specials, fc.double().map((x) => (Object.is(x, -0) ? '-0' : String(x))), fc.constantFrom('1.7976931348623157e+308', '5e-324'));
  return fc.oneof(specials, fc.float({ noNaN: true, noDefaultInfinity: true }).map(float32Text), fc.constantFrom('3.4028234663852886e+38'));
}

function float32Text(x: number): string {
  if (Object.is(x, -0)) return '-0';
  for (let d = 1; d <= 9; d++) {
    const t = Number(x.toPrecision(d));
    if (Math.fround(t) === x) return String(t);
  }
  return String(x);
}

const EDGE_TEXTS = ['', ' ', 'a\u0000b', '\u0000', '\t\n\r', '\u0001\u001f\u007f', '😀', '𝄞x😀', 'é', '\u2028', "O'Brien", '\\x00'];

function textArb(length: number | undefined): fc.Arbitrary<Value> {
  const max = Math.min(length ?? 200, 200);
  const edges = EDGE_TEXTS.filter((t) => [...t].length <= max);
  const withEdges = fc.oneof(fc.constantFrom(...(edges.length ? edges : [''])), fc.string({ unit: 'binary', maxLength: max }), fc.string({ unit: 'grapheme-ascii', maxLength: max }));
  if (length !== undefined && length <= 200) return fc.oneof(withEdges, fc.string({ unit: 'binary', minLength: length, maxLength: length }));
  return withEdges;
}

function dateArb(mysql: boolean): fc.Arbitrary<string> {
  const real = fc
    .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .filter(([y, m, d]) => d <= new Date(Date.UTC(2000, m, 0)).getUTCDate() && (m !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);
  const edges = fc.constantFrom('2000-02-29', '2024-02-29', '1900-02-28', '0001-01-01', '9999-12-31', '1970-01-01', '2021-03-28', '2021-10-31');
  const zero = fc.constantFrom('0000-00-00', '2020-00-15', '2020-05-00', '0000-01-01');
  return mysql ? fc.oneof(real, edges, zero) : fc.oneof(real, edges);
}

function fraction(precision: number): fc.Arbitrary<string> {
  if (precision === 0) return fc.constant('');
  return fc.oneof(fc.constant(''), digits(precision, precision).map((d) => `.${d}`), fc.constant(`.${'9'.repeat(precision)}`));
}

function timeOfDayArb(precision: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fraction(precision))
    .map(([h, m, s, f]) => `${pad(h)}:${pad(m)}:${pad(s)}${f}`);
}

/**
 * A time with time zone's offset as PostgreSQL prints it (canonical: with colons): whole hours to
 * ±15:59:59, seconds included — the widest, '-15:59:59', makes the longest text.
 */
const utcOffsetArb: fc.Arbitrary<string> = fc.oneof(
  fc.constant('+00:00'),
  fc.constantFrom('-15:59:59', '+15:59:59', '+05:30', '-03:30'),
  fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 59 }), fc.option(fc.integer({ min: 1, max: 59 }), { nil: undefined })).map(([sign, h, m, sec]) => `${sign}${pad(h)}:${pad(m)}${sec === undefined ? '' : `:${pad(sec)}`}`),
);

function timestampArb(precision: number, mysql: boolean): fc.Arbitrary<string> {
  const dst = fc.constantFrom('2021-03-28 02:30:00', '2021-10-31 02:30:00', '2021-03-14 02:30:00');
  return fc.oneof(
    fc.tuple(dateArb(mysql), timeOfDayArb(precision)).map(([d, t]) => `${d} ${t}`),
    dst,
    fc.constant(`9999-12-31 23:59:59${precision > 0 ? `.${'9'.repeat(precision)}` : ''}`),
  );
}

function intervalArb(precision: number, mysql: boolean): fc.Arbitrary<string> {
  const max = `838:59:59${precision > 0 ? `.${'9'.repeat(precision)}` : ''}`;
  const duration = fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 838 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), fraction(precision))
    .map(([neg, h, m, s, f]) => {
      const text = `${pad(h)}:${pad(m)}:${pad(s)}${f}`;
      return neg && /[1-9]/.test(text) ? `-${text}` : text;
    });
  if (mysql) return fc.oneof(duration, fc.constantFrom(max, `-${max}`, '00:00:00'));
  const calendar = fc
    .tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: -11, max: 11 }), fc.integer({ min: -1000, max: 1000 }), duration)
    .map(([y, mo, d, t]) => [y ? `${y} year${Math.abs(y) === 1 ? '' : 's'}` : '', mo ? `${mo} mon${Math.abs(mo) === 1 ? '' : 's'}` : '', d ? `${d} day${Math.abs(d) === 1 ? '' : 's'}` : '', t].filter(Boolean).join(' '));
  return fc.oneof(duration, calendar);
}

export function valueArb(type: LogicalType, options: ValueOptions = {}): fc.Arbitrary<Value> {
  const mysql = options.mysql === true;
  switch (type.kind) {
    case 'bool':
      return fc.boolean();
    case 'int':
      return intArb(type.bits, type.unsigned);
    case 'decimal':
      return decimalArb(type.precision, type.scale);
    case 'float':
      return floatArb(type.bits);
    case 'text':
      return textArb(type.length);
    case 'binary': {
      const max = Math.min(type.length ?? 64, 64);
      return fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
    }
    case 'date':
      return dateArb(mysql);
    case 'timestamp':
      return timestampArb(type.precision, mysql);
    case 'timestamptz':
      return timestampArb(type.precision, mysql).map((t) => `${t}+00:00`);
    case 'time':
      return type.withTimeZone ? fc.tuple(timeOfDayArb(type.precision), utcOffsetArb).map(([t, o]) => `${t}${o}`) : timeOfDayArb(type.precision);
    case 'interval':
      return intervalArb(type.precision, mysql);
    case 'year':
      return fc.integer({ min: 1901, max: 2155 }).map(String);
    case 'uuid':
      return fc.uuid();
    case 'json':
      return fc.oneof(fc.json(), fc.constantFrom('{}', '[]', '"\\u00e9"', '{"a":[1,2.5,null,true]}'));
    case 'enum':
      return fc.constantFrom(...(type.values.length ? type.values : ['']));
    case 'set':
      return fc.subarray([...type.values]);
    case 'array':
      return fc.array(fc.option(valueArb(type.element, options), { nil: null }), { maxLength: 5 });
    case 'bit': {
      const n = type.length ?? 16;
      return fc.string({ unit: fc.constantFrom('0', '1'), minLength: type.varying ? 0 : n, maxLength: n });
    }
    case 'other':
      return fc.string({ maxLength: 40 });
  }
}
