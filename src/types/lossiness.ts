/**
 * Whether every value of a source type survives a conversion into a target type — exactly and
 * recoverably — decided on logical types alone, before any data is read. "Lossless" means: for
 * every value of the source domain the converter yields a target value, and distinct source values
 * stay distinct (no rounding, truncation, clamping, zone guess or rejection of valid values).
 *
 * Decisions worth knowing (also in docs/type-mapping.md):
 * - Engine value limits (NUL in PostgreSQL text, MySQL date ranges) are per-value rejections at run
 *   time, reported in the rejects table; they do not make a type pair lossy.
 * - A zero or partial-zero MySQL date is not a date. Under `zero_dates_to_null` it becomes NULL, by
 *   definition of that documented conversion, so date → date with it is lossless; without it such a
 *   value is rejected at run time.
 * - timestamp ⇄ timestamptz is lossless only under a conversion that fixes the zone rule (UTC):
 *   `timestamptz_to_utc` or `zero_dates_to_null`.
 * - JSON documents are compared as JSON: whitespace and key order are not data (json → jsonb is lossless).
 */
import type { ConversionName } from './conversion-names.js';
import { CONVERSIONS } from './conversions/index.js';
import { describeLogical, type LogicalType } from './logical.js';
import { intBounds, intDigits } from './values/numeric-text.js';

export type Fit = { readonly lossless: true } | { readonly lossless: false; readonly reason: string };

const LOSSLESS: Fit = { lossless: true };
const lossy = (reason: string): Fit => ({ lossless: false, reason });

/**
 * No value a real engine hands over is longer than PostgreSQL's 1 GB field limit, so a target of
 * at least this many characters (MySQL LONGTEXT: 4 GB) holds any "unbounded" source value.
 */
export const EFFECTIVELY_UNBOUNDED = 1_073_741_823;

/** PostgreSQL's widest numeric: 131072 digits before the point, 16383 after, a sign and a point. */
const WIDEST_DECIMAL_TEXT = 131_072 + 16_383 + 2;

/** PostgreSQL's longest interval text: '-178000000 years -11 mons -2147483648 days -2562047788:00:54.775807'. */
const WIDEST_INTERVAL_TEXT = 80;

const ZONE_RULES: ReadonlySet<ConversionName> = new Set(['timestamptz_to_utc', 'zero_dates_to_null']);

export function analyseFit(source: LogicalType, target: LogicalType, conversion: ConversionName): Fit {
  if (!CONVERSIONS[conversion].applies(source, target)) {
    return lossy(`${conversion} does not convert ${describeLogical(source)} to ${describeLogical(target)}`);
  }
  switch (conversion) {
    case 'int_to_boolean':
      // 0 and 1 map exactly; any other number is rejected (not changed), so nothing is lost silently.
      return LOSSLESS;
    case 'bit_to_boolean':
      return source.kind === 'bit' && source.length === 1 && !source.varying ? LOSSLESS : lossy(`${describeLogical(source)} has more than one bit; any set bit becomes true`);
    case 'interval_to_time':
      return source.kind === 'time' ? timePrecision(source.precision, target) : lossy('an interval may have years or months or exceed the range of a TIME; such values are rejected');
    case 'time_to_interval':
      return target.kind === 'interval' && (source.kind === 'time' || source.kind === 'interval') ? precisionFit(source.precision, target.precision) : LOSSLESS;
    default:
      return fitOfKinds(source, target, conversion);
  }
}

function fitOfKinds(source: LogicalType, target: LogicalType, conversion: ConversionName): Fit {
  switch (target.kind) {
    case 'text':
      return intoText(source, target.length, target.fixed);
    case 'int':
      return intoInt(source, target);
    case 'decimal':
      return intoDecimal(source, target.precision, target.scale ?? 0);
    case 'float':
      return intoFloat(source, target.bits);
    case 'bool':
      return source.kind === 'bool' ? LOSSLESS : lossy(`${describeLogical(source)} has more values than true and false`);
    case 'date':
      if (source.kind === 'date') return LOSSLESS;
      if (source.kind === 'timestamp' || source.kind === 'timestamptz') return lossy('the time of day is dropped');
      return notAlways(source, 'a date');
    case 'timestamp':
    case 'timestamptz': {
      const zoneChange = (source.kind === 'timestamp' || source.kind === 'date') !== (target.kind === 'timestamp');
      if (source.kind === 'date') return zoneChange && !ZONE_RULES.has(conversion) ? zoneLoss(source, target) : LOSSLESS;
      if (source.kind !== 'timestamp' && source.kind !== 'timestamptz') return notAlways(source, `a ${target.kind}`);
      if (zoneChange && !ZONE_RULES.has(conversion)) return zoneLoss(source, target);
      return precisionFit(source.precision, target.precision);
    }
    case 'time':
      if (source.kind === 'time') {
        if (source.withTimeZone !== target.withTimeZone) return lossy(source.withTimeZone ? 'the time zone offset is dropped' : 'no time zone is known for the source times');
        return precisionFit(source.precision, target.precision);
      }
      if (source.kind === 'timestamp' || source.kind === 'timestamptz') return lossy('the date is dropped');
      return notAlways(source, 'a time of day');
    case 'interval':
      if (source.kind === 'interval') return precisionFit(source.precision, target.precision);
      if (source.kind === 'time' && !source.withTimeZone) return precisionFit(source.precision, target.precision);
      return notAlways(source, 'an interval');
    case 'year':
      return source.kind === 'year' ? LOSSLESS : notAlways(source, 'a year in 1901–2155');
    case 'uuid':
      return source.kind === 'uuid' ? LOSSLESS : notAlways(source, 'a UUID');
    case 'json':
      if (source.kind === 'json') return LOSSLESS;
      if ((source.kind === 'array' || source.kind === 'set') && conversion === 'array_to_json') return LOSSLESS;
      return notAlways(source, 'JSON');
    case 'enum':
      if (source.kind === 'enum') return missingLabels(source.values, target.values);
      return notAlways(source, `one of the labels of ${describeLogical(target)}`);
    case 'set':
      if (source.kind === 'set') return missingLabels(source.values, target.values);
      return notAlways(source, 'a set of the target labels');
    case 'array':
      if (source.kind === 'array') {
        const element = analyseFit(source.element, target.element, conversion === 'set_to_array' || conversion === 'array_to_json' ? 'cast' : conversion);
        return element.lossless ? LOSSLESS : lossy(`array elements: ${element.reason}`);
      }
      if (source.kind === 'set') {
        if (target.element.kind === 'enum') return missingLabels(source.values, target.element.values);
        if (target.element.kind === 'text') return labelsFitText(source.values, target.element.length);
      }
      return notAlways(source, 'an array');
    case 'bit':
      if (source.kind !== 'bit') return notAlways(source, 'a bit string');
      if (target.length === undefined) return LOSSLESS;
      if (source.length === undefined) return lossy(`bit strings of any length do not fit ${describeLogical(target)}`);
      if (source.length > target.length) return lossy(`${describeLogical(source)} holds ${source.length} bits; ${describeLogical(target)} holds ${target.length}`);
      if (source.varying && !target.varying && source.length !== target.length) return lossy('shorter bit strings are padded to the fixed length');
      return LOSSLESS;
    case 'binary':
      if (source.kind !== 'binary') return source.kind === 'text' ? (target.length === undefined ? LOSSLESS : lossy(`text longer than ${target.length} bytes in UTF-8 does not fit`)) : notAlways(source, 'binary data');
      if (target.length === undefined || target.length >= EFFECTIVELY_UNBOUNDED) return LOSSLESS;
      if (source.length === undefined || source.length > target.length) return lossy(`${describeLogical(source)} holds ${source.length === undefined ? 'any number of' : source.length} bytes; ${describeLogical(target)} holds ${target.length}`);
      if (!source.fixed && target.fixed && source.length !== target.length) return lossy('shorter values are padded with zero bytes to the fixed length');
      return LOSSLESS;
    case 'other':
      return source.kind === 'other' && source.native === target.native ? LOSSLESS : notAlways(source, `a ${target.native} value`);
    default:
      return assertNever(target);
  }
}

// ───────────────────────────── text ─────────────────────────────

/** The longest text form of a source value, in characters; undefined = unbounded. */
export function longestText(source: LogicalType): number | undefined {
  switch (source.kind) {
    case 'bool':
      return 5;
    case 'int':
      return intDigits(source.bits, source.unsigned) + (source.unsigned ? 0 : 1);
    case 'decimal':
      return source.precision === undefined ? WIDEST_DECIMAL_TEXT : source.precision + 1 + ((source.scale ?? 0) > 0 ? 1 : 0) + ((source.scale ?? 0) >= source.precision ? 1 : 0);
    case 'float':
      return 24;
    case 'text':
      return source.length;
    case 'binary':
      return source.length === undefined ? undefined : 2 + 2 * source.length;
    case 'date':
      return 10;
    case 'time':
      return 8 + fractionWidth(source.precision) + (source.withTimeZone ? 6 : 0);
    case 'timestamp':
      return 19 + fractionWidth(source.precision);
    case 'timestamptz':
      return 25 + fractionWidth(source.precision);
    case 'year':
      return 4;
    case 'uuid':
      return 36;
    case 'enum':
      return Math.max(0, ...source.values.map(charLength));
    case 'set':
      return source.values.reduce((sum, v) => sum + charLength(v), 0) + Math.max(0, source.values.length - 1);
    case 'bit':
      return source.length;
    case 'interval':
      return WIDEST_INTERVAL_TEXT;
    case 'json':
    case 'array':
    case 'other':
      return undefined;
    default:
      return assertNever(source);
  }
}

/** Kinds whose text form always has the same width: padding a char(n) of that width changes nothing. */
function constantTextWidth(source: LogicalType): number | undefined {
  switch (source.kind) {
    case 'uuid':
      return 36;
    case 'date':
      return 10;
    case 'year':
      return 4;
    case 'bit':
      return source.varying ? undefined : source.length;
    default:
      return undefined;
  }
}

function intoText(source: LogicalType, length: number | undefined, fixed: boolean): Fit {
  if (fixed && !(source.kind === 'text' && source.fixed) && !(length !== undefined && constantTextWidth(source) === length)) {
    return lossy(`char(${length ?? ''}) pads with spaces: trailing spaces of the source values are not kept apart`);
  }
  if (length === undefined || length >= EFFECTIVELY_UNBOUNDED) return LOSSLESS;
  const longest = longestText(source);
  if (longest === undefined) return lossy(`${describeLogical(source)} values of any length do not fit ${length} characters`);
  if (longest > length) return lossy(`${describeLogical(source)} values take up to ${longest} characters; the target keeps ${length}`);
  return LOSSLESS;
}

function labelsFitText(labels: readonly string[], length: number | undefined): Fit {
  if (length === undefined) return LOSSLESS;
  const longest = Math.max(0, ...labels.map(charLength));
  return longest <= length ? LOSSLESS : lossy(`labels take up to ${longest} characters; the target keeps ${length}`);
}

function missingLabels(source: readonly string[], target: readonly string[]): Fit {
  const have = new Set(target);
  const missing = source.filter((v) => !have.has(v));
  return missing.length === 0 ? LOSSLESS : lossy(`the target lacks the label${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`);
}

function charLength(s: string): number {
  return [...s].length;
}

// ───────────────────────────── numbers ─────────────────────────────

function intoInt(source: LogicalType, target: { readonly bits: 8 | 16 | 24 | 32 | 64; readonly unsigned: boolean }): Fit {
  const t = intBounds(target.bits, target.unsigned);
  const name = `${target.unsigned ? 'uint' : 'int'}${target.bits}`;
  switch (source.kind) {
    case 'bool':
      return LOSSLESS;
    case 'int': {
      const s = intBounds(source.bits, source.unsigned);
      const maxFits = BigInt(s.max) <= BigInt(t.max);
      const minFits = !s.minNegative || (t.minNegative && BigInt(s.minMagnitude) <= BigInt(t.minMagnitude));
      if (maxFits && minFits) return LOSSLESS;
      return lossy(`${describeLogical(source)} holds ${s.minNegative ? '-' : ''}${s.minMagnitude}..${s.max}; ${name} holds ${t.minNegative ? '-' : ''}${t.minMagnitude}..${t.max}`);
    }
    case 'year':
      return BigInt(t.max) >= 2155n ? LOSSLESS : lossy(`years up to 2155 do not fit ${name}`);
    case 'decimal': {
      if (source.precision === undefined) return lossy(`an unbounded decimal does not fit ${name}`);
      if ((source.scale ?? 0) > 0) return lossy(`the ${source.scale} fractional digits are dropped`);
      const digits = source.precision;
      const largest = 10n ** BigInt(digits) - 1n;
      const fits = largest <= BigInt(t.max) && (!t.minNegative ? false : largest <= BigInt(t.minMagnitude));
      return fits ? LOSSLESS : lossy(`${describeLogical(source)} has up to ${digits} digits; ${name} holds ${t.minNegative ? '-' : ''}${t.minMagnitude}..${t.max}`);
    }
    case 'bit':
      return source.length !== undefined && source.length <= target.bits - (target.unsigned ? 0 : 1) ? LOSSLESS : lossy(`${describeLogical(source)} may not fit ${name}`);
    case 'float':
      return lossy('fractions are dropped and large floats do not fit an integer');
    default:
      return notAlways(source, 'an integer');
  }
}

function intoDecimal(source: LogicalType, precision: number | undefined, scale: number): Fit {
  const target = precision === undefined ? 'an unbounded decimal' : `decimal(${precision},${scale})`;
  switch (source.kind) {
    case 'bool':
      return precision === undefined || precision - scale >= 1 ? LOSSLESS : lossy(`${target} has no integer digits`);
    case 'int': {
      const digits = intDigits(source.bits, source.unsigned);
      if (precision === undefined || precision - scale >= digits) return LOSSLESS;
      return lossy(`${describeLogical(source)} needs ${digits} integer digits; ${target} keeps ${precision - scale}`);
    }
    case 'year':
      return precision === undefined || precision - scale >= 4 ? LOSSLESS : lossy(`years need 4 digits; ${target} keeps ${precision - scale}`);
    case 'decimal': {
      if (precision === undefined) return LOSSLESS;
      if (source.precision === undefined) return lossy(`an unbounded decimal does not fit ${target}`);
      const sourceScale = source.scale ?? 0;
      const sourceInt = source.precision - sourceScale;
      if (sourceInt > precision - scale) return lossy(`${describeLogical(source)} has up to ${sourceInt} integer digits; ${target} keeps ${precision - scale}`);
      if (sourceScale > scale) return lossy(`${describeLogical(source)} keeps ${sourceScale} fractional digits; ${target} keeps ${scale}`);
      return LOSSLESS;
    }
    case 'float':
      return lossy('-0, NaN and Infinity have no exact decimal form, and floats need up to 17 significant digits with large exponents');
    default:
      return notAlways(source, 'a number');
  }
}

function intoFloat(source: LogicalType, bits: 32 | 64): Fit {
  const mantissaBits = bits === 64 ? 53 : 24;
  const name = bits === 64 ? 'float64 (double precision)' : 'float32 (real)';
  switch (source.kind) {
    case 'float':
      return source.bits <= bits ? LOSSLESS : lossy('float64 values are rounded to float32 (about 7 significant digits)');
    case 'bool':
      return LOSSLESS;
    case 'int': {
      const magnitudeBits = source.unsigned ? source.bits : source.bits - 1;
      return magnitudeBits <= mantissaBits ? LOSSLESS : lossy(`${describeLogical(source)} values beyond 2^${mantissaBits} are rounded in ${name}`);
    }
    case 'year':
      return LOSSLESS;
    case 'decimal': {
      const exactDigits = bits === 64 ? 15 : 6;
      if (source.precision !== undefined && (source.scale ?? 0) === 0 && source.precision <= exactDigits) return LOSSLESS;
      return lossy(`${describeLogical(source)} values are rounded to the nearest ${name}`);
    }
    default:
      return notAlways(source, 'a number');
  }
}

// ───────────────────────────── time ─────────────────────────────

function fractionWidth(precision: number): number {
  return precision > 0 ? precision + 1 : 0;
}

/** 'microseconds', 'milliseconds', 'whole seconds', '4 fractional-second digits'. */
export function describePrecision(precision: number): string {
  switch (precision) {
    case 0:
      return 'whole seconds';
    case 3:
      return 'milliseconds';
    case 6:
      return 'microseconds';
    default:
      return `${precision} fractional-second digit${precision === 1 ? '' : 's'}`;
  }
}

function precisionFit(source: number, target: number): Fit {
  return source <= target ? LOSSLESS : lossy(`the source keeps ${describePrecision(source)}; the target keeps ${describePrecision(target)}`);
}

function timePrecision(source: number, target: LogicalType): Fit {
  return target.kind === 'time' || target.kind === 'interval' ? precisionFit(source, target.precision) : LOSSLESS;
}

function zoneLoss(source: LogicalType, target: LogicalType): Fit {
  return target.kind === 'timestamptz'
    ? lossy(`${describeLogical(source)} has no time zone; write \`using timestamptz_to_utc\` to read it as UTC`)
    : lossy(`the time zone is dropped; write \`using timestamptz_to_utc\` to store UTC times`);
}

function notAlways(source: LogicalType, what: string): Fit {
  return lossy(`not every ${describeLogical(source)} value is ${what}`);
}

function assertNever(value: never): never {
  throw new Error(`unexpected logical type: ${JSON.stringify(value)}`);
}
