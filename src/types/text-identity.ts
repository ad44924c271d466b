/**
 * When a column's converter provably leaves a value unchanged, the bulk copy can move the source's
 * bytes as they are instead of decoding, converting and encoding them. `textIdentity` says when:
 * it returns a check of the bytes that, for a canonical value of the source type (given as its
 * UTF-8 bytes), passes only if compileConverter(source, target, conversion, limits) returns that
 * very value — or undefined when no cheap check can promise that. A value the check refuses simply
 * takes the decoded path, which converts or rejects it as always; so a check may be stricter than
 * needed, never looser. test/types/text-identity.test.ts checks this against the converter.
 *
 * The check comes in two parts so that a writer can do the costly one while it copies the bytes:
 * `shape`, on the value as a whole (a length, a date's digits, an enum's labels), and `content`, a
 * rule on every byte (byte-rules.ts: well-formed UTF-8, no NUL…) that the writer checks in the
 * pass it makes anyway to escape them. `identityGuard` is the two together, one after the other.
 */
import { passesByteRule, type ByteRule } from './byte-rules.js';
import type { ConversionName } from './conversion-names.js';
import type { LogicalType } from './logical.js';
import type { TargetValueLimits } from './value-limits.js';
import { intBounds, intDigits, type IntBounds } from './values/numeric-text.js';

/** Checks the bytes [start, end) of `buf`: true = the converter keeps this value as it is. */
export type TextGuard = (buf: Buffer, start: number, end: number) => boolean;

export interface TextIdentity {
  /** The check of the value as a whole; undefined when every value passes it. */
  readonly shape: TextGuard | undefined;
  /** The rule every byte must follow besides. */
  readonly content: ByteRule;
}

/** The source's bytes as they relate to the canonical text (RawTextSource.form). */
export interface TextForm {
  /**
   * 'exact' when the bytes are the canonical text itself (followed by `suffix`), 'same_value'
   * when they spell the same value differently (a server's float text).
   */
  readonly spelling: 'exact' | 'same_value';
  readonly suffix: string;
}

/** The shape and content checks of textIdentity, one after the other. */
export function identityGuard(source: LogicalType, target: LogicalType, conversion: ConversionName, limits: TargetValueLimits | undefined, form: TextForm): TextGuard | undefined {
  const identity = textIdentity(source, target, conversion, limits, form);
  if (!identity) return undefined;
  const { shape, content } = identity;
  return (b, s, e) => (shape === undefined || shape(b, s, e)) && passesByteRule(content, b, s, e);
}

const whole = (shape: TextGuard | undefined): TextIdentity => ({ shape, content: 'any' });
const ANY: TextIdentity = whole(undefined);

export function textIdentity(source: LogicalType, target: LogicalType, conversion: ConversionName, limits: TargetValueLimits | undefined, form: TextForm): TextIdentity | undefined {
  const lim = limits ?? {};
  if (!keepsRepresentation(source, target, conversion)) return undefined;
  if (form.spelling === 'same_value') {
    // Any spelling of a finite double reads back as the same double.
    return source.kind === 'float' && target.kind === 'float' && source.bits === 64 && target.bits === 64 && form.suffix === '' && lim.floatRejectsSpecials !== true ? ANY : undefined;
  }
  if (form.suffix !== '' && !(form.suffix === '+00:00' && source.kind === 'timestamptz')) return undefined;
  switch (target.kind) {
    case 'int':
      // A narrower integer (a rule marked lossy) keeps every value within its bounds.
      if (source.kind !== 'int') return undefined;
      return contains(target, source) ? ANY : whole(intRangeGuard(intBounds(target.bits, target.unsigned)));
    case 'decimal':
      return decimalIdentity(source, target);
    case 'float':
      return source.kind === 'float' && source.bits === 64 && target.bits === 64 && lim.floatRejectsSpecials !== true ? ANY : undefined;
    case 'text':
      return textContent(source, target.length, lim.textRejectsNul === true);
    case 'enum':
      return source.kind === 'enum' || source.kind === 'text' ? whole(labelGuard(target.values)) : undefined;
    case 'json':
      if (source.kind !== 'json') return undefined;
      // The escape \u0000 is refused only by a parsed document (jsonb); json keeps its text as written.
      return { shape: undefined, content: lim.textRejectsNul === true && target.binary ? 'json_utf8_no_nul_escape' : 'utf8' };
    case 'date':
      return source.kind === 'date' && lim.dateRange === undefined ? whole((b, s, e) => e - s === 10 && isDateBytes(b, s)) : undefined;
    case 'timestamp':
    case 'timestamptz': {
      if (source.kind !== target.kind) return undefined;
      const range = target.kind === 'timestamp' ? lim.timestampRange : lim.timestamptzRange;
      if (range !== undefined) return undefined;
      // A timestamptz's canonical text ends '+00:00'; only sources that leave it off (the suffix) qualify.
      if (target.kind === 'timestamptz' && form.suffix !== '+00:00') return undefined;
      const precision = target.precision;
      return whole((b, s, e) => isTimestampBytes(b, s, e, precision));
    }
    case 'binary':
      return source.kind === 'binary' && (target.length === undefined || (source.length !== undefined && source.length <= target.length && !source.fixed && !target.fixed)) ? ANY : undefined;
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
export function keepsRepresentation(source: LogicalType, target: LogicalType, conversion: ConversionName): boolean {
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

export function contains(outer: { bits: 8 | 16 | 24 | 32 | 64; unsigned: boolean }, inner: { bits: 8 | 16 | 24 | 32 | 64; unsigned: boolean }): boolean {
  const o = intBounds(outer.bits, outer.unsigned);
  const i = intBounds(inner.bits, inner.unsigned);
  const neg = (b: typeof o) => (b.minNegative ? -BigInt(b.minMagnitude) : BigInt(b.minMagnitude));
  return neg(o) <= neg(i) && BigInt(o.max) >= BigInt(i.max);
}

function decimalIdentity(source: LogicalType, target: Extract<LogicalType, { kind: 'decimal' }>): TextIdentity | undefined {
  if (source.kind === 'int') {
    if (target.precision === undefined) return ANY;
    const places = target.precision - (target.scale ?? 0);
    return places >= intDigits(source.bits, source.unsigned) ? ANY : whole(intRangeGuard({ minMagnitude: '9'.repeat(places), minNegative: true, max: '9'.repeat(places) }));
  }
  if (source.kind !== 'decimal' || source.precision === undefined || source.scale === undefined) return undefined;
  if (target.precision === undefined) return ANY;
  const targetScale = target.scale ?? 0;
  return source.scale <= targetScale && source.precision - source.scale <= target.precision - targetScale ? ANY : undefined;
}

function textContent(source: LogicalType, length: number | undefined, noNul: boolean): TextIdentity | undefined {
  if (source.kind !== 'text' && source.kind !== 'enum') return undefined;
  // The length is checked here rather than trusted from the source's declared type: a byte count
  // within the limit settles it, otherwise the code points are counted (UTF-8 lead bytes). The
  // bytes must be well-formed UTF-8 (the decoded path would replace what is not), and hold no NUL
  // when the target refuses it.
  const shape: TextGuard | undefined = length === undefined ? undefined : (b, s, e) => e - s <= length || codePoints(b, s, e) <= length;
  return { shape, content: noNul ? 'utf8_no_nul' : 'utf8' };
}

/**
 * A canonical integer ('-'? digits, no leading zero) between the bounds: fewer digits than a bound
 * settles it, as many are compared digit by digit.
 */
function intRangeGuard(bounds: IntBounds): TextGuard {
  const max = Buffer.from(bounds.max, 'latin1');
  const min = Buffer.from(bounds.minMagnitude, 'latin1');
  return (b, s, e) => {
    let p = s;
    let bound = max;
    if (b[p] === 45) {
      if (!bounds.minNegative) return false;
      p++;
      bound = min;
    }
    const n = e - p;
    if (n < 1 || n > bound.length || (b[p] === 48 && (n > 1 || p > s))) return false;
    for (let i = p; i < e; i++) if (digit(b, i) < 0) return false;
    if (n < bound.length) return true;
    for (let i = 0; i < n; i++) if (b[p + i] !== bound[i]) return b[p + i]! < bound[i]!;
    return true;
  };
}

function codePoints(b: Buffer, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((b[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Labels compared byte by byte with the ones of the same length (an enum has few). */
function labelGuard(labels: readonly string[]): TextGuard {
  // Indexed by byte length: a Map lookup per value cost more than the comparison itself.
  const byLength: (readonly Buffer[] | undefined)[] = [];
  for (const l of labels) {
    const bytes = Buffer.from(l, 'utf8');
    byLength[bytes.length] = [...(byLength[bytes.length] ?? []), bytes];
  }
  return (b, s, e) => {
    const candidates = byLength[e - s];
    if (!candidates) return false;
    next: for (const label of candidates) {
      for (let i = 0; i < label.length; i++) if (label[i] !== b[s + i]) continue next;
      return true;
    }
    return false;
  };
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
  // Every month has 28 days: most dates are settled without the divisions of the leap-year rule.
  if (day <= 28) return true;
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
