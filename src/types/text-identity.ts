/**
 * When a column's converter provably leaves a value unchanged, the bulk copy can move the source's
 * bytes as they are instead of decoding, converting and encoding them. `identityGuard` says when:
 * it returns a byte-level check that, for a canonical value of the source type (given as its UTF-8
 * bytes), passes only if compileConverter(source, target, conversion, limits) returns that very
 * value — or undefined when no cheap check can promise that. A value the guard refuses simply takes
 * the decoded path, which converts or rejects it as always; so a guard may be stricter than
 * needed, never looser. test/types/text-identity.test.ts checks this against the converter.
 */
import type { ConversionName } from './conversion-names.js';
import type { LogicalType } from './logical.js';
import type { TargetValueLimits } from './value-limits.js';
import { intBounds, intDigits } from './values/numeric-text.js';

/** Checks the bytes [start, end) of `buf`: true = the converter keeps this value as it is. */
export type TextGuard = (buf: Buffer, start: number, end: number) => boolean;

const always: TextGuard = () => true;

/**
 * `spelling`: 'exact' when the bytes are the canonical text itself (followed by `suffix`),
 * 'same_value' when they spell the same value differently (a server's float text).
 */
export function identityGuard(
  source: LogicalType,
  target: LogicalType,
  conversion: ConversionName,
  limits: TargetValueLimits | undefined,
  form: { readonly spelling: 'exact' | 'same_value'; readonly suffix: string },
): TextGuard | undefined {
  const lim = limits ?? {};
  if (!keepsRepresentation(source, target, conversion)) return undefined;
  if (form.spelling === 'same_value') {
    // Any spelling of a finite double reads back as the same double.
    return source.kind === 'float' && target.kind === 'float' && source.bits === 64 && target.bits === 64 && form.suffix === '' && lim.floatRejectsSpecials !== true ? always : undefined;
  }
  if (form.suffix !== '' && !(form.suffix === '+00:00' && source.kind === 'timestamptz')) return undefined;
  switch (target.kind) {
    case 'int':
      return source.kind === 'int' && contains(target, source) ? always : undefined;
    case 'decimal':
      return decimalGuard(source, target);
    case 'float':
      return source.kind === 'float' && source.bits === 64 && target.bits === 64 && lim.floatRejectsSpecials !== true ? always : undefined;
    case 'text':
      return textGuard(source, target.length, lim.textRejectsNul === true);
    case 'enum':
      return source.kind === 'enum' || source.kind === 'text' ? labelGuard(target.values) : undefined;
    case 'json':
      if (source.kind !== 'json') return undefined;
      return lim.textRejectsNul === true ? (b, s, e) => !hasJsonNulEscape(b, s, e) && validUtf8(b, s, e) : validUtf8;
    case 'date':
      return source.kind === 'date' && lim.dateRange === undefined ? (b, s, e) => e - s === 10 && isDateBytes(b, s) : undefined;
    case 'timestamp':
    case 'timestamptz': {
      if (source.kind !== target.kind) return undefined;
      const range = target.kind === 'timestamp' ? lim.timestampRange : lim.timestamptzRange;
      if (range !== undefined) return undefined;
      // A timestamptz's canonical text ends '+00:00'; only sources that leave it off (the suffix) qualify.
      if (target.kind === 'timestamptz' && form.suffix !== '+00:00') return undefined;
      const precision = target.precision;
      return (b, s, e) => isTimestampBytes(b, s, e, precision);
    }
    case 'binary':
      return source.kind === 'binary' && (target.length === undefined || (source.length !== undefined && source.length <= target.length && !source.fixed && !target.fixed)) ? always : undefined;
    case 'bool':
    case 'time':
    case 'interval':
    case 'year':
    case 'uuid':
    case 'set':
    case 'array':
    case 'bit':
    case 'other':
      return undefined;
    default: {
      const never: never = target;
      return never;
    }
  }
}

/** The conversions whose reshaping step returns the value itself for these two kinds. */
function keepsRepresentation(source: LogicalType, target: LogicalType, conversion: ConversionName): boolean {
  switch (conversion) {
    case 'none':
    case 'cast':
      return source.kind === target.kind || (source.kind === 'int' && target.kind === 'decimal') || (source.kind === 'enum' && target.kind === 'text') || (source.kind === 'text' && target.kind === 'enum');
    case 'zero_dates_to_null':
      // Zero dates become NULL; the guards of dates and timestamps let only real dates through.
      return source.kind === target.kind && (source.kind === 'date' || source.kind === 'timestamp');
    default:
      return false;
  }
}

function contains(outer: { bits: 8 | 16 | 24 | 32 | 64; unsigned: boolean }, inner: { bits: 8 | 16 | 24 | 32 | 64; unsigned: boolean }): boolean {
  const o = intBounds(outer.bits, outer.unsigned);
  const i = intBounds(inner.bits, inner.unsigned);
  const neg = (b: typeof o) => (b.minNegative ? -BigInt(b.minMagnitude) : BigInt(b.minMagnitude));
  return neg(o) <= neg(i) && BigInt(o.max) >= BigInt(i.max);
}

function decimalGuard(source: LogicalType, target: Extract<LogicalType, { kind: 'decimal' }>): TextGuard | undefined {
  if (source.kind === 'int') {
    if (target.precision === undefined) return always;
    return target.precision - (target.scale ?? 0) >= intDigits(source.bits, source.unsigned) ? always : undefined;
  }
  if (source.kind !== 'decimal' || source.precision === undefined || source.scale === undefined) return undefined;
  if (target.precision === undefined) return always;
  const targetScale = target.scale ?? 0;
  return source.scale <= targetScale && source.precision - source.scale <= target.precision - targetScale ? always : undefined;
}

function textGuard(source: LogicalType, length: number | undefined, noNul: boolean): TextGuard | undefined {
  if (source.kind !== 'text' && source.kind !== 'enum') return undefined;
  // The length is checked here rather than trusted from the source's declared type: a byte count
  // within the limit settles it, otherwise the code points are counted (UTF-8 lead bytes).
  return (b, s, e) => {
    if (length !== undefined && e - s > length && codePoints(b, s, e) > length) return false;
    // NUL refused (when the target refuses it); from the first non-ASCII byte on, the rest must be
    // well-formed UTF-8 (the decoded path would replace what is not).
    let firstHigh = -1;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (c === 0 && noNul) return false;
      if (c >= 0x80 && firstHigh < 0) firstHigh = i;
    }
    return firstHigh < 0 || wellFormedUtf8(b, firstHigh, e);
  };
}

function codePoints(b: Buffer, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((b[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Labels compared byte by byte with the ones of the same length (an enum has few). */
function labelGuard(labels: readonly string[]): TextGuard {
  const byLength = new Map<number, Buffer[]>();
  for (const l of labels) {
    const bytes = Buffer.from(l, 'utf8');
    byLength.set(bytes.length, [...(byLength.get(bytes.length) ?? []), bytes]);
  }
  return (b, s, e) => {
    const candidates = byLength.get(e - s);
    if (!candidates) return false;
    next: for (const label of candidates) {
      for (let i = 0; i < label.length; i++) if (label[i] !== b[s + i]) continue next;
      return true;
    }
    return false;
  };
}

/** ASCII needs no check; anything else must be well-formed UTF-8 (the decoded path would replace it). */
function validUtf8(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i]! >= 0x80) return wellFormedUtf8(b, i, e);
  return true;
}

/**
 * Whether [s, e) is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF),
 * checked in place: Buffer's isUtf8 wants a view of its own per value, which cost more than this.
 */
export function wellFormedUtf8(b: Buffer, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
    } else if (c >= 0xc2 && c <= 0xdf) {
      if (i + 1 >= e || (b[i + 1]! & 0xc0) !== 0x80) return false;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (i + 2 >= e) return false;
      const c1 = b[i + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80) return false;
      if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return false;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (i + 3 >= e) return false;
      const c1 = b[i + 1]!;
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80 || (b[i + 3]! & 0xc0) !== 0x80) return false;
      if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return false;
      i += 4;
    } else return false;
  }
  return true;
}

/** Whether the JSON text holds the escape \u0000 (an escaped backslash before 'u0000' is not one). */
function hasJsonNulEscape(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e - 5; i++) {
    if (b[i] !== 0x5c) continue;
    if (b[i + 1] === 0x75 && b[i + 2] === 0x30 && b[i + 3] === 0x30 && b[i + 4] === 0x30 && b[i + 5] === 0x30) return true;
    i++; // the escaped character, whatever it is
  }
  return false;
}

function digit(b: Buffer, i: number): number {
  const c = b[i]! - 48;
  return c >= 0 && c <= 9 ? c : -100_000;
}

function two(b: Buffer, i: number): number {
  return digit(b, i) * 10 + digit(b, i + 1);
}

/** 'YYYY-MM-DD' at `s`: a real calendar date in 0001–9999. */
export function isDateBytes(b: Buffer, s: number): boolean {
  if (b[s + 4] !== 45 || b[s + 7] !== 45) return false;
  const year = two(b, s) * 100 + two(b, s + 2);
  const month = two(b, s + 5);
  const day = two(b, s + 8);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

/** 'YYYY-MM-DD HH:MM:SS[.f…]' in [s, e) with at most `precision` fraction digits and hours below 24. */
export function isTimestampBytes(b: Buffer, s: number, e: number, precision: number): boolean {
  if (e - s < 19 || !isDateBytes(b, s) || b[s + 10] !== 32 || b[s + 13] !== 58 || b[s + 16] !== 58) return false;
  const h = two(b, s + 11);
  const m = two(b, s + 14);
  const sec = two(b, s + 17);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return false;
  if (e - s === 19) return true;
  if (b[s + 19] !== 46) return false;
  const digits = e - s - 20;
  if (digits < 1 || digits > precision) return false;
  for (let i = s + 20; i < e; i++) if (digit(b, i) < 0) return false;
  return true;
}
