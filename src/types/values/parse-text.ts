/**
 * Text → a canonical value of the target kind, for `cast`. The result still goes through the
 * target's fit check (range, length, labels). Malformed text is rejected, never guessed at.
 */
import type { LogicalType, Value } from '../logical.js';
import { reject, type Rejection } from '../rejection.js';
import { isDateAt, parseInterval, timeFractionDigits, UTC_SUFFIX } from './datetime-text.js';
import { float64Text, integerPart, isFloatText, scanDecimal } from './numeric-text.js';
import { isBitText, isUuidText, quoteForReason } from './text-scan.js';

export type FromText = (s: string) => Value | Rejection;

export function compileFromText(target: LogicalType): FromText {
  const notA = (s: string, what: string): Rejection => reject(`${quoteForReason(s)} is not ${what}`);
  switch (target.kind) {
    case 'bool':
      return (s) => {
        const t = s.length <= 5 ? s.toLowerCase() : s;
        if (t === 'true' || t === 't' || t === '1' || t === 'yes' || t === 'on') return true;
        if (t === 'false' || t === 'f' || t === '0' || t === 'no' || t === 'off') return false;
        return notA(s, 'a boolean');
      };
    case 'int':
    case 'year':
      return (s) => {
        const d = scanDecimal(s);
        if (d) return integerPart(s, d);
        if (isFloatText(s)) {
          const x = Number(s);
          if (Number.isFinite(x)) return BigInt(Math.trunc(x)).toString();
        }
        return notA(s, 'a number');
      };
    case 'decimal':
      return (s) => {
        if (scanDecimal(s)) return s;
        if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') return s;
        if (isFloatText(s)) return expandExponent(s);
        return notA(s, 'a number');
      };
    case 'float':
      return (s) => (isFloatText(s) ? float64Text(Number(s)) : scanDecimal(s) ? float64Text(Number(s)) : notA(s, 'a number'));
    case 'text':
    case 'enum':
    case 'json':
    case 'other':
      return (s) => s;
    case 'binary':
      return (s) => {
        if (s.length >= 2 && s.charCodeAt(0) === 92 && s.charCodeAt(1) === 120 && s.length % 2 === 0 && /^\\x[0-9a-fA-F]*$/.test(s)) {
          return Buffer.from(s.slice(2), 'hex');
        }
        return Buffer.from(s, 'utf8');
      };
    case 'date':
      return (s) => (isDateAt(s) && (s.length === 10 || s.charCodeAt(10) === 32) ? (s.length === 10 ? s : s.slice(0, 10)) : notA(s, 'a date'));
    case 'timestamp':
    case 'timestamptz': {
      const withZone = target.kind === 'timestamptz';
      return (s) => {
        const utc = toUtcTimestamp(s);
        if (utc === undefined) return notA(s, `a ${target.kind}`);
        return withZone ? utc + UTC_SUFFIX : utc;
      };
    }
    case 'time':
      return (s) => {
        const from = s.length >= 19 && isDateAt(s) ? 11 : 0;
        // An offset '+HH:MM', or '+HH:MM:SS' (PostgreSQL's timetz keeps offsets to the second).
        const offsetAt = (n: number): boolean => s.length - from >= 8 + n && (s.charCodeAt(s.length - n) === 43 || s.charCodeAt(s.length - n) === 45);
        const end = offsetAt(6) ? s.length - 6 : offsetAt(9) ? s.length - 9 : s.length;
        if (timeFractionDigits(s, from, end) < 0) return notA(s, 'a time of day');
        const time = s.slice(from, end);
        return target.withTimeZone ? time + (end < s.length ? s.slice(end) : UTC_SUFFIX) : time;
      };
    case 'interval':
      return (s) => (parseInterval(s) ? s : notA(s, 'an interval'));
    case 'uuid':
      return (s) => (isUuidText(s) ? s.toLowerCase() : notA(s, 'a UUID'));
    case 'set':
      return (s) => (s.length === 0 ? [] : s.split(','));
    case 'bit':
      return (s) => {
        if (isBitText(s)) return s;
        const d = scanDecimal(s);
        if (d && !d.negative && d.fracStart === d.fracEnd) return BigInt(s).toString(2);
        return notA(s, 'a bit string');
      };
    case 'array':
      return (s) => reject(`${quoteForReason(s)} cannot be cast to an array; convert arrays element by element`);
    default:
      return assertNever(target);
  }
}

/** '1.5e-3' → '0.0015', '-2e+3' → '-2000': exact, digit by digit. */
export function expandExponent(s: string): string {
  const negative = s.charCodeAt(0) === 45;
  const body = negative ? s.slice(1) : s;
  const e = body.search(/[eE]/);
  const mantissa = e < 0 ? body : body.slice(0, e);
  const exponent = e < 0 ? 0 : Number(body.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exponent;
  let text: string;
  if (pointAt <= 0) text = `0.${'0'.repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) text = digits + '0'.repeat(pointAt - digits.length);
  else text = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  text = text.replace(/^0+(?=\d)/, '');
  if (text.includes('.')) text = text.replace(/\.?0+$/, '');
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * A timestamp text in UTC without offset: 'YYYY-MM-DD[ HH:MM:SS[.f]]' with an optional offset
 * ('+00:00', 'Z', '+05:30', '-08') which is applied. Undefined when malformed.
 */
function toUtcTimestamp(s: string): string | undefined {
  if (!isDateAt(s)) return undefined;
  if (s.length === 10) return `${s} 00:00:00`;
  if (s.charCodeAt(10) !== 32 && s.charCodeAt(10) !== 84) return undefined;
  let end = s.length;
  let offsetMinutes = 0;
  if (s.endsWith('Z')) end--;
  else {
    for (let i = s.length - 1; i > 18; i--) {
      const c = s.charCodeAt(i);
      if (c === 43 || c === 45) {
        const sign = c === 45 ? -1 : 1;
        const hh = Number(s.slice(i + 1, i + 3));
        const mm = s.length > i + 3 ? Number(s.slice(i + 4, i + 6)) : 0;
        if (!Number.isInteger(hh) || !Number.isInteger(mm)) return undefined;
        offsetMinutes = sign * (hh * 60 + mm);
        end = i;
        break;
      }
    }
  }
  const digits = timeFractionDigits(s, 11, end);
  if (digits < 0) return undefined;
  const naive = `${s.slice(0, 10)} ${s.slice(11, end)}`;
  if (offsetMinutes === 0) return naive;
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const shifted = new Date(0);
  shifted.setUTCFullYear(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)));
  shifted.setUTCHours(Number(s.slice(11, 13)), Number(s.slice(14, 16)) - offsetMinutes, Number(s.slice(17, 19)), 0);
  const year = shifted.getUTCFullYear();
  if (year < 1 || year > 9999) return undefined;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())} ${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}${naive.slice(19)}`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected logical type: ${JSON.stringify(value)}`);
}
