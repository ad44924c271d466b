/**
 * The per-column value converter the executor runs on every row: the named conversion reshapes the
 * source value, then the target's fit check validates it (and truncates surplus precision). Never
 * throws: a value that cannot be written comes back as a Rejection with the reason.
 */
import type { ConversionName } from './conversion-names.js';
import { CONVERSIONS } from './conversions/index.js';
import { compileFit, describeForReason, isRejectionValue } from './fit.js';
import { describeLogical, type LogicalType, type Value } from './logical.js';
import { reject, type Rejection } from './rejection.js';
import type { TargetValueLimits } from './value-limits.js';
import { isInvalidText } from './values/invalid-text.js';

export type { Rejection } from './rejection.js';

export function compileConverter(
  source: LogicalType,
  target: LogicalType,
  conversion: ConversionName,
  limits: TargetValueLimits | undefined,
): (value: Value) => Value | Rejection {
  const definition = CONVERSIONS[conversion];
  if (!definition.applies(source, target)) {
    // The checker reports this as an error before any run; a converter still must not throw.
    const rejection = reject(`${conversion} does not convert ${describeLogical(source)} to ${describeLogical(target)}`);
    return (value) => (value === null ? null : rejection);
  }
  const reshape = definition.compile(source, target);
  const fit = compileFit(target, limits ?? {}, { sourceIsJson: source.kind === 'json', exactDecimals: keepsEveryDecimalDigit(source, target) });
  return (value) => {
    if (value === null) return null;
    if (isInvalidText(value)) return reject(`${describeForReason(value)} is not valid UTF-8 text`);
    const reshaped = reshape(value);
    if (reshaped === null || isRejectionValue(reshaped)) return reshaped;
    return fit(reshaped);
  };
}

/**
 * Whether a decimal → decimal pair keeps every digit its source type declares (the target's scale
 * is at least the source's). Then a value with more digits after the point is outside its own
 * column's type — SQLite does not enforce DECIMAL(p,s) — and is rejected: rounding it would be a
 * silent change under a rule that says it is lossless. A narrowing rule (marked lossy) rounds.
 */
function keepsEveryDecimalDigit(source: LogicalType, target: LogicalType): boolean {
  return source.kind === 'decimal' && target.kind === 'decimal' && source.scale !== undefined && source.precision !== undefined && target.scale !== undefined && source.scale <= target.scale;
}

/**
 * A value moved as its engine stores it (ColumnMapping.keepsStoredValues): the target declares the
 * column as the source does and stores what it is given, so the value is written as it was read —
 * but for text that is not UTF-8, which no writer can hand over as text.
 */
export function keepStoredValue(value: Value): Value | Rejection {
  return value !== null && isInvalidText(value) ? reject(`${describeForReason(value)} is not valid UTF-8 text`) : value;
}
