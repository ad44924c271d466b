/**
 * Canonical integers and decimals are digit strings ('-12', '3.1400'). These helpers check and
 * narrow them with charCode scans and string comparisons: no regex, no BigInt, no allocation on
 * the success path.
 */

const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const DOT = 46;

/** Inclusive bounds of an integer type, as digit strings of their magnitudes. */
export interface IntBounds {
  readonly minMagnitude: string;
  readonly minNegative: boolean;
  readonly max: string;
}

export function intBounds(bits: 8 | 16 | 24 | 32 | 64, unsigned: boolean): IntBounds {
  const full = 2n ** BigInt(bits);
  if (unsigned) return { minMagnitude: '0', minNegative: false, max: (full - 1n).toString() };
  const half = full / 2n;
  return { minMagnitude: half.toString(), minNegative: true, max: (half - 1n).toString() };
}

/** The number of decimal digits an integer type may need (int64 → 19, uint64 → 20, int24 → 7). */
export function intDigits(bits: 8 | 16 | 24 | 32 | 64, unsigned: boolean): number {
  const b = intBounds(bits, unsigned);
  return Math.max(b.max.length, b.minMagnitude.length);
}

/** Compares two magnitudes without leading zeros: −1, 0, 1. */
function compareMagnitude(s: string, start: number, end: number, bound: string): number {
  const length = end - start;
  if (length !== bound.length) return length < bound.length ? -1 : 1;
  for (let i = 0; i < length; i++) {
    const a = s.charCodeAt(start + i);
    const b = bound.charCodeAt(i);
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Shape of a decimal digit string, filled in place by `scanDecimal` (one shared object: converters
 * run synchronously, so no caller keeps it across another scan).
 */
export interface DecimalShape {
  negative: boolean;
  /** First significant integer digit (leading zeros skipped) and the end of the integer part. */
  intStart: number;
  intEnd: number;
  /** The fraction part, without the dot; fracStart === fracEnd when there is none. */
  fracStart: number;
  fracEnd: number;
}

const shape: DecimalShape = { negative: false, intStart: 0, intEnd: 0, fracStart: 0, fracEnd: 0 };

/** Scans `-?digits(.digits)?`; returns the shared shape, or undefined when the text is not one. */
export function scanDecimal(s: string): DecimalShape | undefined {
  const n = s.length;
  let i = 0;
  shape.negative = false;
  if (n > 0 && s.charCodeAt(0) === MINUS) {
    shape.negative = true;
    i = 1;
  }
  const digitsStart = i;
  while (i < n && s.charCodeAt(i) === ZERO) i++;
  shape.intStart = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    i++;
  }
  shape.intEnd = i;
  if (i === digitsStart) return undefined;
  if (i === n) {
    shape.fracStart = shape.fracEnd = n;
    return shape;
  }
  if (s.charCodeAt(i) !== DOT) return undefined;
  i++;
  shape.fracStart = i;
  if (i === n) return undefined;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return undefined;
    i++;
  }
  shape.fracEnd = n;
  return shape;
}

/** Whether the fraction part of a scanned decimal is all zeros (or absent). */
export function fractionIsZero(s: string, d: DecimalShape): boolean {
  for (let i = d.fracStart; i < d.fracEnd; i++) if (s.charCodeAt(i) !== ZERO) return false;
  return true;
}

/** Whether an integer digit string (already scanned, no fraction) lies within the bounds. */
export function magnitudeFits(s: string, d: DecimalShape, bounds: IntBounds): boolean {
  const isZero = d.intStart === d.intEnd;
  if (d.negative && !isZero) {
    if (!bounds.minNegative) return false;
    return compareMagnitude(s, d.intStart, d.intEnd, bounds.minMagnitude) <= 0;
  }
  return compareMagnitude(s, d.intStart, d.intEnd, bounds.max) <= 0;
}

/** The integer part of a scanned decimal in canonical form ('-0012.5' → '-12'; '-0.5' → '0'). */
export function integerPart(s: string, d: DecimalShape): string {
  if (d.intStart === d.intEnd) return '0';
  const digits = s.slice(d.intStart, d.intEnd);
  return d.negative ? `-${digits}` : digits;
}

export function isDecimalSpecial(s: string): boolean {
  return s === 'NaN' || s === 'Infinity' || s === '-Infinity';
}

/** Whether `s` is a canonical float: a JS number literal or NaN / ±Infinity. */
export function isFloatText(s: string): boolean {
  if (s.length === 0) return false;
  if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return true;
  const c = s.charCodeAt(s.length - 1);
  if (c < ZERO || c > NINE) return false;
  return !Number.isNaN(Number(s)) && s.trim() === s;
}

/** The shortest text that reads back as the same float32 ('0.1', not '0.10000000149011612'). */
export function float32Text(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return 'Infinity';
  if (f === -Infinity) return '-Infinity';
  if (Object.is(f, -0)) return '-0';
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(f.toPrecision(digits));
    if (Math.fround(text) === f) return String(text);
  }
  return String(f);
}

/** The canonical float64 text of a number ('-0', 'NaN', '1e+300'). */
export function float64Text(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/**
 * `s` (scanned as `d`) rounded to `scale` fraction digits, half away from zero — what a SQL cast to
 * numeric(p, s) does on PostgreSQL and MySQL alike. The carry may add an integer digit (99.995 →
 * 100.00); the caller checks the result against the precision.
 */
export function roundDecimalText(s: string, d: DecimalShape, scale: number): string {
  const cut = d.fracStart + scale;
  const next = cut < d.fracEnd ? s.charCodeAt(cut) - ZERO : 0;
  const sign = d.negative ? '-' : '';
  const intDigits = s.slice(d.intStart, d.intEnd);
  const fracDigits = s.slice(d.fracStart, cut);
  let digits = intDigits + fracDigits;
  if (next >= 5) {
    const chars = digits.split('');
    let i = chars.length - 1;
    while (i >= 0 && chars[i] === '9') chars[i--] = '0';
    if (i >= 0) chars[i] = String.fromCharCode(chars[i]!.charCodeAt(0) + 1);
    else chars.unshift('1');
    digits = chars.join('');
  }
  const intLength = digits.length - scale;
  const intPart = intLength > 0 ? digits.slice(0, intLength) : '0';
  const fracPart = digits.slice(Math.max(0, intLength));
  const isZero = /^0*$/.test(intPart + fracPart);
  return `${isZero ? '' : sign}${intPart}${scale > 0 ? `.${fracPart}` : ''}`;
}
