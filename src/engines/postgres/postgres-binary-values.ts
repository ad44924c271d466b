/**
 * PostgreSQL's binary forms of values (what the types' `*_recv` functions read in a binary COPY),
 * built from a value's canonical text (types/logical.ts) given as bytes — the source's wire text,
 * or a decoded value's string. Each writer returns the position after what it wrote into `out`, or
 * -1 when the text is not a spelling it knows: the caller then leaves the value to the text format,
 * which hands the text to the server's own `*_in` (so nothing here may accept a text that `*_in`
 * would read as another value, or refuse).
 *
 * Moving this parsing here takes it off the server, where it was the largest share of a COPY's
 * work: one stream of the benchmark's orders loads in 2.3–2.4 s as binary against 3.5–3.8 s as
 * text (docs/performance.md).
 */

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
/** 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
const PG_EPOCH_DAYS = 10_957;
const TWO_32 = 4_294_967_296;
const SECONDS_PER_DAY = 86_400;
/** Seconds whose count of microseconds stays an exact double (2^53 / 10^6). */
const EXACT_SECONDS = 9_007_199_254;
/** numeric_recv refuses more base-10000 digits than this (NUMERIC_MAX_PRECISION + NUMERIC_MAX_RESULT_SCALE). */
const NUMERIC_MAX_GROUPS = 3000;
/** The largest display scale a numeric carries (NUMERIC_DSCALE_MASK). */
const NUMERIC_MAX_DSCALE = 0x3fff;
const POW10 = [1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function digitAt(b: Uint8Array, i: number): number {
  const d = b[i]! - ZERO;
  return d >= 0 && d <= 9 ? d : -1;
}

function twoDigits(b: Uint8Array, i: number): number {
  const h = digitAt(b, i);
  const l = digitAt(b, i + 1);
  return h < 0 || l < 0 ? -1 : h * 10 + l;
}

function sameAscii(b: Uint8Array, s: number, e: number, text: string): boolean {
  if (e - s !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/*
 * Big-endian stores written out as byte stores: Buffer's writeInt16BE and kin check their
 * arguments on every call, which the profile showed costing more than the parsing around them.
 */

export function put16(out: Uint8Array, p: number, v: number): void {
  out[p] = v >>> 8;
  out[p + 1] = v;
}

export function put32(out: Uint8Array, p: number, v: number): void {
  out[p] = v >>> 24;
  out[p + 1] = v >>> 16;
  out[p + 2] = v >>> 8;
  out[p + 3] = v;
}

/** Writes a signed 64-bit integer held exactly by a double (|v| < 2^53). */
function writeExactInt64(out: Buffer, p: number, v: number): number {
  const hi = Math.floor(v / TWO_32);
  put32(out, p, hi);
  put32(out, p + 4, v - hi * TWO_32);
  return p + 8;
}

// ───────────────────────────── integers ─────────────────────────────

/** smallint (2), integer (4) or bigint (8 bytes) from '-?[0-9]+'; -1 outside the type's range. */
export function writeInteger(b: Buffer, s: number, e: number, out: Buffer, p: number, bytes: 2 | 4 | 8): number {
  const negative = b[s] === MINUS;
  const first = negative ? s + 1 : s;
  if (first >= e) return -1;
  if (e - first > 15) {
    // Past what a double holds exactly: only a bigint can take it.
    if (bytes !== 8) return -1;
    for (let i = first; i < e; i++) if (digitAt(b, i) < 0) return -1;
    const v = BigInt(b.toString('latin1', s, e));
    if (v < -(2n ** 63n) || v >= 2n ** 63n) return -1;
    out.writeBigInt64BE(v, p);
    return p + 8;
  }
  let v = 0;
  for (let i = first; i < e; i++) {
    const d = digitAt(b, i);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return writeIntegerValue(negative ? -v : v, out, p, bytes);
}

// ───────────────────────────── numeric ─────────────────────────────

/**
 * numeric from '-?[0-9]+(.[0-9]+)?', 'NaN', 'Infinity' or '-Infinity': a header of four 16-bit
 * words (digit count, weight, sign, display scale) and the digits in base 10000, the integer part
 * grouped from the point leftwards and the fraction from the point rightwards. Zero groups are
 * left for the server, which strips them (and rounds to the column's scale) as numeric_in does.
 * Needs `e - s + 16` bytes of room.
 */
export function writeNumeric(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  const negative = b[s] === MINUS;
  let i = negative ? s + 1 : s;
  const intStart = i;
  while (i < e && digitAt(b, i) >= 0) i++;
  const intEnd = i;
  if (intEnd === intStart) return writeNumericSpecial(b, s, e, out, p);
  let fracStart = i;
  let fracEnd = i;
  if (i < e) {
    if (b[i] !== DOT) return -1;
    fracStart = ++i;
    while (i < e && digitAt(b, i) >= 0) i++;
    fracEnd = i;
    if (fracEnd === fracStart || i !== e) return -1;
  }
  let lead = intStart;
  while (lead < intEnd && b[lead] === ZERO) lead++;
  const intDigits = intEnd - lead;
  if (fracEnd === fracStart && intDigits <= 15) return writeWholeNumeric(b, lead, intEnd, negative, out, p);
  const fracDigits = fracEnd - fracStart;
  const intGroups = (intDigits + 3) >> 2;
  const fracGroups = (fracDigits + 3) >> 2;
  const groups = intGroups + fracGroups;
  if (groups > NUMERIC_MAX_GROUPS || fracDigits > NUMERIC_MAX_DSCALE) return -1;
  put16(out, p, groups);
  put16(out, p + 2, intGroups - 1);
  put16(out, p + 4, negative ? 0x4000 : 0);
  put16(out, p + 6, fracDigits);
  let q = p + 8;
  // The integer part: a first group of 1–4 digits, then groups of 4.
  let d = lead;
  let take = intDigits - ((intGroups - 1) << 2);
  while (d < intEnd) {
    let group = 0;
    for (const stop = d + take; d < stop; d++) group = group * 10 + (b[d]! - ZERO);
    put16(out, q, group);
    q += 2;
    take = 4;
  }
  // The fraction: groups of 4, the last one padded with zeros on the right.
  for (d = fracStart; d < fracEnd; ) {
    let group = 0;
    let n = 0;
    for (; n < 4 && d < fracEnd; n++, d++) group = group * 10 + (b[d]! - ZERO);
    put16(out, q, group * POW10[4 - n]!);
    q += 2;
  }
  return q;
}

/** A whole number of at most 15 digits (an exact double): its groups by division, from the last. */
function writeWholeNumeric(b: Buffer, s: number, e: number, negative: boolean, out: Buffer, p: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (b[i]! - ZERO);
  return putWholeNumeric(v, (e - s + 3) >> 2, negative, out, p);
}

/** The magnitude `v` (an exact double) of `groups` base-10000 digits, as a numeric. */
function putWholeNumeric(v: number, groups: number, negative: boolean, out: Buffer, p: number): number {
  put16(out, p, groups);
  put16(out, p + 2, groups - 1);
  put16(out, p + 4, negative ? 0x4000 : 0);
  put16(out, p + 6, 0);
  for (let q = p + 6 + 2 * groups; q > p + 6; q -= 2) {
    const rest = Math.floor(v / 10_000);
    put16(out, q, v - rest * 10_000);
    v = rest;
  }
  return p + 8 + 2 * groups;
}

function writeNumericSpecial(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  const sign = sameAscii(b, s, e, 'NaN') ? 0xc000 : sameAscii(b, s, e, 'Infinity') ? 0xd000 : sameAscii(b, s, e, '-Infinity') ? 0xf000 : -1;
  if (sign < 0) return -1;
  put16(out, p, 0);
  put16(out, p + 2, 0);
  put16(out, p + 4, sign);
  put16(out, p + 6, 0);
  return p + 8;
}

// ───────────────────────────── double precision ─────────────────────────────

/**
 * The double a decimal text spells, as float8in (strtod) reads it, or undefined when the text is
 * not '-?digits[.digits][e[+-]digits]' or a canonical special, or when float8in would refuse it
 * (out of range: a nonzero text that rounds to zero or to infinity).
 *
 * Short texts take Clinger's fast path: a mantissa below 10^15 and a power of ten up to 10^22 are
 * both exact doubles, so one multiplication or division rounds once, correctly. The rest go through
 * Number(), which also rounds correctly.
 */
export function parseDouble(b: Buffer, s: number, e: number): number | undefined {
  const negative = b[s] === MINUS;
  let i = negative ? s + 1 : s;
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  let nonzero = false;
  for (; i < e; i++) {
    const d = digitAt(b, i);
    if (d < 0) break;
    digits++;
    if (d !== 0) nonzero = true;
    if (significant > 0 || d !== 0) significant++;
    mantissa = mantissa * 10 + d;
  }
  if (i < e && b[i] === DOT) {
    for (i++; i < e; i++) {
      const d = digitAt(b, i);
      if (d < 0) break;
      digits++;
      scale++;
      if (d !== 0) nonzero = true;
      if (significant > 0 || d !== 0) significant++;
      mantissa = mantissa * 10 + d;
    }
  }
  if (digits === 0) return special(b, s, e);
  let exponent = 0;
  if (i < e) {
    if (b[i] !== 0x65 && b[i] !== 0x45) return undefined;
    i++;
    const expNegative = b[i] === MINUS;
    if (expNegative || b[i] === 0x2b) i++;
    const expStart = i;
    for (; i < e; i++) {
      const d = digitAt(b, i);
      if (d < 0) return undefined;
      // Beyond any double either way; kept finite so that the sum below stays exact.
      if (exponent < 100_000) exponent = exponent * 10 + d;
    }
    if (i === expStart) return undefined;
    if (expNegative) exponent = -exponent;
  }
  const power = exponent - scale;
  let value: number;
  if (significant <= 15 && power >= -22 && power <= 22) value = power < 0 ? mantissa / POW10[-power]! : mantissa * POW10[power]!;
  else value = Math.abs(Number(b.toString('latin1', negative ? s + 1 : s, e)));
  if (value === Infinity || (value === 0 && nonzero)) return undefined;
  return negative ? -value : value;
}

function special(b: Buffer, s: number, e: number): number | undefined {
  if (sameAscii(b, s, e, 'NaN')) return NaN;
  if (sameAscii(b, s, e, 'Infinity')) return Infinity;
  if (sameAscii(b, s, e, '-Infinity')) return -Infinity;
  return undefined;
}

/** A double's bytes, read back in big-endian order (the host's order is checked once). */
const DOUBLE = new Float64Array(1);
const DOUBLE_BYTES = new Uint8Array(DOUBLE.buffer);
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function writeDouble(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  const v = parseDouble(b, s, e);
  if (v === undefined) return -1;
  DOUBLE[0] = v;
  if (HOST_LITTLE_ENDIAN) for (let i = 0; i < 8; i++) out[p + i] = DOUBLE_BYTES[7 - i]!;
  else for (let i = 0; i < 8; i++) out[p + i] = DOUBLE_BYTES[i]!;
  return p + 8;
}

// ───────────────────────────── dates and timestamps ─────────────────────────────

/** Days from 1970-01-01 to a proleptic Gregorian date (year 1 or later). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Days from 2000-01-01 to January 1st of each year 0–9999, and whether it is a leap year: a date
 * becomes two lookups and an addition instead of the divisions of daysFromCivil (a tenth of the
 * binary writer's time went to them).
 */
const YEAR_START = new Int32Array(10_000);
const LEAP = new Uint8Array(10_000);
for (let y = 1; y < 10_000; y++) {
  YEAR_START[y] = daysFromCivil(y, 1, 1) - PG_EPOCH_DAYS;
  LEAP[y] = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 1 : 0;
}
/** Days before the first of each month in a common year. */
const MONTH_START = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/** Days since 2000-01-01 of 'YYYY-MM-DD' at `s` (a real date, years 0001–9999), or NaN. */
function pgDays(b: Uint8Array, s: number): number {
  if (b[s + 4] !== MINUS || b[s + 7] !== MINUS) return NaN;
  const hi = twoDigits(b, s);
  const lo = twoDigits(b, s + 2);
  if (hi < 0 || lo < 0) return NaN;
  return civilDays(hi * 100 + lo, twoDigits(b, s + 5), twoDigits(b, s + 8));
}

/** Days since 2000-01-01 of a real date in years 0001–9999, or NaN. */
function civilDays(year: number, month: number, day: number): number {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return NaN;
  const leap = LEAP[year]!;
  if (day > 28) {
    const last = month === 2 ? 28 + leap : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
    if (day > last) return NaN;
  }
  return YEAR_START[year]! + MONTH_START[month]! + (month > 2 ? leap : 0) + day - 1;
}

/** date from 'YYYY-MM-DD': days since 2000-01-01, 32 bits. */
export function writeDate(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  if (e - s !== 10) return -1;
  const days = pgDays(b, s);
  if (Number.isNaN(days)) return -1;
  put32(out, p, days);
  return p + 4;
}

/**
 * timestamp (and timestamptz, given in UTC) from 'YYYY-MM-DD HH:MM:SS[.f{1,6}]': microseconds since
 * 2000-01-01 00:00:00, 64 bits. The column's precision is the server's to apply, as for text.
 */
export function writeTimestamp(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  const length = e - s;
  if (length < 19 || b[s + 10] !== 0x20 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return -1;
  const days = pgDays(b, s);
  const hour = twoDigits(b, s + 11);
  const minute = twoDigits(b, s + 14);
  const second = twoDigits(b, s + 17);
  if (Number.isNaN(days) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return -1;
  let micros = 0;
  if (length > 19) {
    const fraction = length - 20;
    if (b[s + 19] !== DOT || fraction < 1 || fraction > 6) return -1;
    for (let i = s + 20; i < e; i++) {
      const d = digitAt(b, i);
      if (d < 0) return -1;
      micros = micros * 10 + d;
    }
    micros *= POW10[6 - fraction]!;
  }
  const seconds = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  if (seconds > -EXACT_SECONDS && seconds < EXACT_SECONDS) return writeExactInt64(out, p, seconds * 1e6 + micros);
  out.writeBigInt64BE(BigInt(seconds) * 1_000_000n + BigInt(micros), p);
  return p + 8;
}

// ───────────────────────────── from a binary protocol's forms ─────────────────────────────

/** smallint, integer or bigint from an integer; -1 outside the type's range. */
export function writeIntegerValue(v: number | bigint, out: Buffer, p: number, bytes: 2 | 4 | 8): number {
  if (typeof v === 'bigint') {
    if (bytes !== 8 || v < -(2n ** 63n) || v >= 2n ** 63n) return -1;
    out.writeBigInt64BE(v, p);
    return p + 8;
  }
  if (bytes === 2) {
    if (v < -32768 || v > 32767) return -1;
    put16(out, p, v);
    return p + 2;
  }
  if (bytes === 4) {
    if (v < -2147483648 || v > 2147483647) return -1;
    put32(out, p, v);
    return p + 4;
  }
  return writeExactInt64(out, p, v);
}

/** numeric from an integer. Needs 28 bytes of room. */
export function writeNumericValue(v: number | bigint, out: Buffer, p: number): number {
  if (typeof v === 'bigint') {
    const text = Buffer.from(v.toString(), 'latin1');
    return writeNumeric(text, 0, text.length, out, p);
  }
  const magnitude = Math.abs(v);
  let groups = 0;
  for (let x = magnitude; x >= 1; x = Math.floor(x / 10_000)) groups++;
  return putWholeNumeric(magnitude, groups, v < 0, out, p);
}

/** double precision from a little-endian IEEE double: its bytes in the other order. */
export function writeDoubleLE(b: Buffer, s: number, out: Buffer, p: number): number {
  for (let i = 0; i < 8; i++) out[p + i] = b[s + 7 - i]!;
  return p + 8;
}

/** Days since 2000-01-01 of a wire date (year 16 bits, month, day) at `s`, or NaN when it is not a real date. */
function wireDays(b: Buffer, s: number): number {
  return civilDays(b[s]! | (b[s + 1]! << 8), b[s + 2]!, b[s + 3]!);
}

/** date from a wire date of 4 bytes; -1 for the zero date or one that is not real. */
export function writeWireDate(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  if (e - s !== 4) return -1;
  const days = wireDays(b, s);
  if (Number.isNaN(days)) return -1;
  put32(out, p, days);
  return p + 4;
}

/** timestamp (or timestamptz, given in UTC) from a wire datetime of 4, 7 or 11 bytes; -1 otherwise. */
export function writeWireTimestamp(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  const n = e - s;
  if (n !== 4 && n !== 7 && n !== 11) return -1;
  const days = wireDays(b, s);
  const hour = n > 4 ? b[s + 4]! : 0;
  const minute = n > 4 ? b[s + 5]! : 0;
  const second = n > 4 ? b[s + 6]! : 0;
  const micros = n > 7 ? b.readUInt32LE(s + 7) : 0;
  if (Number.isNaN(days) || hour > 23 || minute > 59 || second > 59 || micros > 999_999) return -1;
  const seconds = days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  if (seconds > -EXACT_SECONDS && seconds < EXACT_SECONDS) return writeExactInt64(out, p, seconds * 1e6 + micros);
  out.writeBigInt64BE(BigInt(seconds) * 1_000_000n + BigInt(micros), p);
  return p + 8;
}

// ───────────────────────────── uuid ─────────────────────────────

/** uuid from its 36-character form (hex digits in either case): 16 bytes. */
export function writeUuid(b: Buffer, s: number, e: number, out: Buffer, p: number): number {
  if (e - s !== 36) return -1;
  let q = p;
  for (let i = s; i < e; ) {
    if (i - s === 8 || i - s === 13 || i - s === 18 || i - s === 23) {
      if (b[i] !== MINUS) return -1;
      i++;
      continue;
    }
    const h = hexDigit(b[i]!);
    const l = hexDigit(b[i + 1]!);
    if (h < 0 || l < 0) return -1;
    out[q++] = (h << 4) | l;
    i += 2;
  }
  return q;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
