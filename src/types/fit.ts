/**
 * The last step of every converter: a value already in the target kind's canonical form is checked
 * against the target column's domain and the target engine's limits. Where a value has more
 * precision than the column keeps, it is narrowed — decimals are rounded half away from zero as a
 * SQL cast does, float32 takes the nearest float, fractional seconds are truncated (rounding could
 * carry a timestamp into the next day) — a lossless rule never produces such values, and a lossy
 * rule has acknowledged the narrowing.
 * Where there is no sensible narrowing (out of range, too long, not a label, not JSON) the value
 * is rejected with a precise reason. Compiled once per column.
 */
import { isUtf8 } from 'node:buffer';
import { describeLogical, type LogicalType, type Value } from './logical.js';
import { reject, type Rejection } from './rejection.js';
import type { DateTimeRange, TargetValueLimits } from './value-limits.js';
import { ARRAY_BOUNDS_REASON, isBoundedArrayLiteral } from './values/array-bounds.js';
import {
  compareDateTimeText,
  hasUtcSuffix,
  isDateAt,
  isZeroDate,
  parseInterval,
  timeFractionDigits,
  truncateFraction,
  UTC_SUFFIX,
} from './values/datetime-text.js';
import { float32Text, intBounds, integerPart, isDecimalSpecial, isFloatText, magnitudeFits, roundDecimalText, scanDecimal } from './values/numeric-text.js';
import { containsNul, isBitText, isJsonText, isUuidText, longerThan, quoteForReason } from './values/text-scan.js';

export type Fit = (value: Value) => Value | Rejection;

/**
 * `sourceIsJson`: the value comes from a JSON column, which every engine but SQLite validates on
 * write. Parsing each value again was the costliest check of a MySQL → PostgreSQL copy; a value
 * that is not JSON after all (SQLite) is still refused by a JSON target and then rejected alone.
 */
export function compileFit(target: LogicalType, limits: TargetValueLimits, options: { readonly sourceIsJson?: boolean; readonly exactDecimals?: boolean } = {}): Fit {
  const what = describeLogical(target);
  const bad = (value: Value, why: string): Rejection => reject(`${describeForReason(value)} ${why}`);
  switch (target.kind) {
    case 'bool':
      return (v) => (typeof v === 'boolean' ? v : bad(v, 'is not a boolean'));
    case 'int': {
      const bounds = intBounds(target.bits, target.unsigned);
      const range = `${bounds.minNegative ? '-' : ''}${bounds.minMagnitude}..${bounds.max}`;
      return (v) => {
        if (typeof v !== 'string') return bad(v, `is not an integer`);
        const d = scanDecimal(v);
        if (!d || d.fracStart !== d.fracEnd) return bad(v, `is not an integer`);
        return magnitudeFits(v, d, bounds) ? v : bad(v, `is out of range for ${what} (${range})`);
      };
    }
    case 'decimal': {
      const precision = target.precision;
      const scale = target.scale ?? 0;
      // PostgreSQL numeric(p,s) holds NaN but not ±Infinity (no precision bounds an infinity).
      const acceptsSpecial = (v: string) => limits.decimalRejectsSpecials !== true && (precision === undefined || v === 'NaN');
      return (v) => {
        if (typeof v !== 'string') return bad(v, 'is not a decimal number');
        const d = scanDecimal(v);
        if (!d) {
          if (isDecimalSpecial(v) && acceptsSpecial(v)) return v;
          return bad(v, isDecimalSpecial(v) ? `cannot be stored in ${what}` : 'is not a decimal number');
        }
        if (precision === undefined) return v;
        const intDigits = d.intEnd - d.intStart;
        if (intDigits > precision - scale) {
          return bad(v, `has ${intDigits} integer digits; ${what} keeps ${precision - scale}`);
        }
        const fracDigits = d.fracEnd - d.fracStart;
        if (fracDigits <= scale) return v;
        // Significant digits only: '1.50000' in a scale-2 column is 1.5.
        if (options.exactDecimals && /[1-9]/.test(v.slice(d.fracStart + scale, d.fracEnd))) {
          return bad(v, `has ${fracDigits} digits after the point; ${what} keeps ${scale} (rounding would change the value)`);
        }
        const rounded = roundDecimalText(v, d, scale);
        const roundedShape = scanDecimal(rounded);
        if (roundedShape && roundedShape.intEnd - roundedShape.intStart > precision - scale) {
          return bad(v, `rounds to ${rounded}, which has more integer digits than ${what} keeps`);
        }
        return rounded;
      };
    }
    case 'float': {
      const single = target.bits === 32;
      const rejectSpecials = limits.floatRejectsSpecials === true;
      return (v) => {
        if (typeof v !== 'string' || !isFloatText(v)) return bad(v, 'is not a floating-point number');
        const x = Number(v);
        if (!Number.isFinite(x)) return rejectSpecials ? bad(v, 'cannot be stored by this target (no NaN or Infinity)') : v;
        if (single) {
          if (!Number.isFinite(Math.fround(x))) return bad(v, `is out of range for ${what}`);
          return Math.fround(x) === x ? v : float32Text(x);
        }
        return v;
      };
    }
    case 'text': {
      const length = target.length;
      const noNul = limits.textRejectsNul === true;
      return (v) => {
        if (typeof v !== 'string') return bad(v, Buffer.isBuffer(v) && !isUtf8(v) ? 'is not valid UTF-8 text' : 'is not text');
        if (noNul && containsNul(v)) return bad(v, 'contains the character U+0000, which this target cannot store in text');
        if (length !== undefined && longerThan(v, length)) return bad(v, `is longer than ${length} characters`);
        return v;
      };
    }
    case 'binary': {
      const length = target.length;
      return (v) => {
        if (!Buffer.isBuffer(v)) return bad(v, 'is not binary data');
        if (length !== undefined && v.length > length) return bad(v, `is ${v.length} bytes; ${what} holds ${length}`);
        return v;
      };
    }
    case 'date': {
      const range = limits.dateRange;
      const zeroDates = limits.acceptsZeroDates === true;
      const postgresForms = limits.acceptsPostgresDateForms === true;
      return (v) => {
        if (postgresForms && typeof v === 'string' && isPostgresDateForm(v, POSTGRES_DATE)) return v;
        if (typeof v !== 'string' || v.length !== 10) return bad(v, 'is not a date');
        if (zeroDates && isZeroDate(v)) return v;
        if (!isDateAt(v)) return bad(v, isZeroDate(v) ? 'is a zero date, which is not a date (use zero_dates_to_null)' : 'is not a date');
        return outOfRange(v, range) ? bad(v, `is outside the target's date range ${range!.min}..${range!.max}`) : v;
      };
    }
    case 'timestamp':
    case 'timestamptz': {
      const withZone = target.kind === 'timestamptz';
      const precision = target.precision;
      const range = withZone ? limits.timestamptzRange : limits.timestampRange;
      const zeroDates = limits.acceptsZeroDates === true;
      const postgresForms = limits.acceptsPostgresDateForms === true;
      const form = withZone ? POSTGRES_TIMESTAMPTZ : POSTGRES_TIMESTAMP;
      return (v) => {
        if (typeof v !== 'string') return bad(v, `is not a ${target.kind}`);
        if (postgresForms && isPostgresDateForm(v, form)) return v;
        if (withZone !== hasUtcSuffix(v)) return bad(v, withZone ? 'has no UTC offset' : 'has a time zone offset');
        const end = withZone ? v.length - UTC_SUFFIX.length : v.length;
        if (zeroDates && isZeroDate(v)) {
          const digits = timeFractionDigits(v, 11, end);
          return digits < 0 ? bad(v, `is not a ${target.kind}`) : digits > precision ? truncateFraction(v, 20, end, precision) : v;
        }
        if (!isDateAt(v) || v.charCodeAt(10) !== 32) return bad(v, isZeroDate(v) ? 'is a zero date, which is not a date (use zero_dates_to_null)' : `is not a ${target.kind}`);
        const digits = timeFractionDigits(v, 11, end);
        if (digits < 0) return bad(v, `is not a ${target.kind}`);
        const kept = digits > precision ? truncateFraction(v, 20, end, precision) : v;
        if (range) {
          const bare = withZone ? kept.slice(0, kept.length - UTC_SUFFIX.length) : kept;
          if (outOfRange(bare, range)) return bad(v, `is outside the target's range ${range.min}..${range.max}${withZone ? ' UTC' : ''}`);
        }
        return kept;
      };
    }
    case 'time': {
      const precision = target.precision;
      const withZone = target.withTimeZone;
      return (v) => {
        if (typeof v !== 'string') return bad(v, 'is not a time of day');
        const end = withZone ? zoneStart(v) : v.length;
        if (end < 0) return bad(v, 'has no time zone offset');
        const digits = timeFractionDigits(v, 0, end);
        if (digits < 0) return bad(v, 'is not a time of day (00:00:00–24:00:00)');
        return digits > precision ? truncateFraction(v, 9, end, precision) : v;
      };
    }
    case 'interval': {
      const precision = target.precision;
      const maxHours = limits.intervalMaxHours;
      const hoursOnly = limits.intervalHoursOnly === true;
      return (v) => {
        if (typeof v !== 'string') return bad(v, 'is not an interval');
        const p = parseInterval(v);
        if (!p) return bad(v, 'is not an interval');
        if (hoursOnly && (p.years !== 0 || p.months !== 0 || p.days !== 0)) return bad(v, 'has years, months or days, which this target cannot hold');
        if (maxHours !== undefined && Math.abs(p.hours) > maxHours) return bad(v, `is beyond ±${maxHours}:59:59.999999`);
        if (p.fractionDigits <= precision) return v;
        const dot = v.lastIndexOf('.');
        return truncateFraction(v, dot + 1, v.length, precision);
      };
    }
    case 'year':
      return (v) => {
        if (typeof v !== 'string' || v.length !== 4) return bad(v, 'is not a year');
        const y = Number(v);
        return (y >= 1901 && y <= 2155) || y === 0 ? v : bad(v, 'is not a year in 1901..2155');
      };
    case 'uuid':
      return (v) => {
        if (typeof v !== 'string' || !isUuidText(v)) return bad(v, 'is not a UUID');
        return v;
      };
    case 'json': {
      // Only a parsed document (jsonb) holds the NUL the escape \u0000 stands for; PostgreSQL's
      // json keeps the text as written, escape included, so it refuses nothing here.
      const noNul = limits.textRejectsNul === true && target.binary;
      return (v) => {
        if (typeof v !== 'string' || (!options.sourceIsJson && !isJsonText(v))) return bad(v, 'is not valid JSON');
        if (noNul && hasNulEscape(v)) return bad(v, 'contains \\u0000, which this target cannot store in JSON');
        return v;
      };
    }
    case 'enum': {
      const labels = new Set(target.values);
      return (v) => (typeof v === 'string' && labels.has(v) ? v : bad(v, `is not one of the labels of ${what}`));
    }
    case 'set': {
      const labels = new Set(target.values);
      return (v) => {
        if (!Array.isArray(v)) return bad(v, 'is not a set');
        for (const item of v) if (typeof item !== 'string' || !labels.has(item)) return bad(v, `has ${describeForReason(item)}, which is not a label of ${what}`);
        return v;
      };
    }
    case 'array': {
      const element = compileFit(target.element, limits);
      // A PostgreSQL array of any declared type may have several dimensions ('{{1,2},{3,4}}'): a
      // nested array is a sub-array of the same element type, not an element.
      const nested = target.element.kind !== 'array';
      const fitArray = (v: Value): Value | Rejection => {
        if (!Array.isArray(v)) return bad(v, 'is not an array');
        let out: Value[] | undefined;
        for (let i = 0; i < v.length; i++) {
          const item = v[i] as Value;
          if (item === null) continue;
          const fitted = nested && Array.isArray(item) ? fitArray(item) : element(item);
          if (isRejectionValue(fitted)) return reject(`element ${i + 1}: ${fitted.reason}`);
          if (fitted !== item) (out ??= v.slice())[i] = fitted;
        }
        return out ?? v;
      };
      // Only the whole value carries bounds: a sub-array of a multi-dimensional array never does.
      return (v) => (isBoundedArrayLiteral(v) ? (limits.keepsArrayBounds === true ? v : bad(v, ARRAY_BOUNDS_REASON)) : fitArray(v));
    }
    case 'bit': {
      const length = target.length;
      const varying = target.varying;
      return (v) => {
        if (typeof v !== 'string' || !isBitText(v)) return bad(v, 'is not a bit string');
        if (length === undefined) return v;
        if (v.length > length) return bad(v, `has ${v.length} bits; ${what} holds ${length}`);
        return varying || v.length === length ? v : v.padStart(length, '0');
      };
    }
    case 'other': {
      const noNul = limits.textRejectsNul === true;
      return (v) => {
        // A SQLite column with no declared type holds BLOBs among its text and numbers: between
        // SQLite databases (the only pair where 'other' meets 'other' with such a value) it stays a BLOB.
        if (Buffer.isBuffer(v)) return v;
        if (typeof v !== 'string') return bad(v, `is not a ${target.native} value in text form`);
        return noNul && containsNul(v) ? bad(v, 'contains the character U+0000') : v;
      };
    }
    default:
      return assertNever(target);
  }
}

function zoneStart(v: string): number {
  for (let i = v.length - 1; i >= 8; i--) {
    const c = v.charCodeAt(i);
    if (c === 43 || c === 45) return i;
  }
  return -1;
}

function outOfRange(v: string, range: DateTimeRange | undefined): boolean {
  if (!range) return false;
  // Compare on the shorter common shape: a date against 'YYYY-MM-DD', a timestamp against its bound.
  return compareDateTimeText(v, range.min) < 0 || compareDateTimeText(v, range.max) > 0;
}

export function isRejectionValue(v: Value | Rejection): v is Rejection {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** A value as a rejection reason shows it. */
export function describeForReason(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return quoteForReason(v);
  if (typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return v.length > 32 ? `${v.length} bytes` : `\\x${v.toString('hex')}`;
  return quoteForReason(JSON.stringify(v));
}

function assertNever(value: never): never {
  throw new Error(`unexpected logical type: ${JSON.stringify(value)}`);
}

/** PostgreSQL's text of dates beyond the canonical domain: BC, or a year past 9999. */
const PG_DAY = String.raw`\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])`;
const PG_TIME = String.raw` (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?`;
const POSTGRES_DATE = new RegExp(`^${PG_DAY}(?: BC)?$`);
const POSTGRES_TIMESTAMP = new RegExp(`^${PG_DAY}${PG_TIME}(?: BC)?$`);
const POSTGRES_TIMESTAMPTZ = new RegExp(`^${PG_DAY}${PG_TIME}\\+00(?::00)?(?: BC)?$`);

/** 'infinity', '-infinity', or a BC / five-digit-year date in PostgreSQL's text (not the canonical 0001–9999 form). */
function isPostgresDateForm(v: string, form: RegExp): boolean {
  if (v === 'infinity' || v === '-infinity') return true;
  return (v.endsWith(' BC') || /^\d{5}/.test(v)) && form.test(v);
}

/**
 * Whether JSON text holds the escape \u0000 (a NUL in a string). An escaped backslash followed by
 * 'u0000' is not one: `"\\u0000"` is six characters of text, which every target stores.
 */
export function hasNulEscape(json: string): boolean {
  for (let i = json.indexOf('\\'); i >= 0 && i < json.length; i = json.indexOf('\\', i)) {
    if (json.startsWith('u0000', i + 1)) return true;
    i += 2; // the escaped character, whatever it is
  }
  return false;
}
