/**
 * The per-column value converter the executor runs on every row: the named conversion reshapes the
 * source value, then the target's fit check validates it (and truncates surplus precision). Never
 * throws: a value that cannot be written comes back as a Rejection with the reason.
 */
import type { ConversionName } from './conversion-names.js';
import { CONVERSIONS } from './conversions/index.js';
import { compileFit, isRejectionValue } from './fit.js';
import { describeLogical, type LogicalType, type Value } from './logical.js';
import { reject, type Rejection } from './rejection.js';
import type { TargetValueLimits } from './value-limits.js';

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
  const fit = compileFit(target, limits ?? {}, { sourceIsJson: source.kind === 'json' });
  return (value) => {
    if (value === null) return null;
    const reshaped = reshape(value);
    if (reshaped === null || isRejectionValue(reshaped)) return reshaped;
    return fit(reshaped);
  };
}
