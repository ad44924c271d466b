/**
 * textIdentity's counterpart for values read in a binary protocol (values/wire-values.ts): when a
 * column's converter provably keeps a value, its wire bytes can go to the target's bulk stream as
 * they are, re-laid out but never made into a JS value. `wireIdentity` returns the check of a
 * field's bytes (its `shape`; every byte passes `content`) that passes only if compileConverter(source, target, conversion, limits) returns the
 * field's canonical value (wireText) unchanged, or undefined when no cheap check can promise it.
 * test/types/wire-identity.test.ts checks this against the converter.
 */
import type { ConversionName } from './conversion-names.js';
import type { LogicalType } from './logical.js';
import { contains, keepsRepresentation, type TextGuard, type TextIdentity } from './text-identity.js';
import type { TargetValueLimits } from './value-limits.js';
import { intBounds } from './values/numeric-text.js';
import { fractionUnit, isWireDate, isWireDatetime, wireInt, type WireForm } from './values/wire-values.js';

const whole = (shape: TextGuard | undefined): TextIdentity => ({ shape, content: 'any' });
const ANY = whole(undefined);

export function wireIdentity(source: LogicalType, target: LogicalType, conversion: ConversionName, limits: TargetValueLimits | undefined, form: WireForm): TextIdentity | undefined {
  const lim = limits ?? {};
  if (!keepsRepresentation(source, target, conversion)) return undefined;
  switch (form.kind) {
    case 'int': {
      if (source.kind !== 'int') return undefined;
      const { bytes, unsigned } = form;
      if (target.kind === 'int') {
        if (contains(target, source)) return ANY;
        const b = intBounds(target.bits, target.unsigned);
        return whole(within(bytes, unsigned, b.minNegative ? -BigInt(b.minMagnitude) : 0n, BigInt(b.max)));
      }
      if (target.kind === 'decimal') {
        if (target.precision === undefined) return ANY;
        const largest = 10n ** BigInt(target.precision - (target.scale ?? 0)) - 1n;
        return whole(within(bytes, unsigned, -largest, largest));
      }
      return undefined;
    }
    case 'float64':
      return source.kind === 'float' && target.kind === 'float' && source.bits === 64 && target.bits === 64 && lim.floatRejectsSpecials !== true ? ANY : undefined;
    case 'date':
      return source.kind === 'date' && target.kind === 'date' && lim.dateRange === undefined ? whole(isWireDate) : undefined;
    case 'datetime': {
      if ((source.kind !== 'timestamp' && source.kind !== 'timestamptz') || source.kind !== target.kind) return undefined;
      if ((target.kind === 'timestamp' ? lim.timestampRange : lim.timestamptzRange) !== undefined) return undefined;
      // More fraction digits in the source's text than the target keeps: the converter rounds them.
      if (source.precision > target.precision) return undefined;
      const unit = fractionUnit(target.precision);
      return whole((b, s, e) => isWireDatetime(b, s, e, unit));
    }
    default: {
      const never: never = form;
      return never;
    }
  }
}

/** A check that the integer field is within [min, max]. */
function within(bytes: 1 | 2 | 4 | 8, unsigned: boolean, min: bigint, max: bigint): TextGuard {
  // A bound past a double's exact range rounds, but only bigints come near it.
  const lo = Number(min);
  const hi = Number(max);
  return (b, s) => {
    const v = wireInt(b, s, bytes, unsigned);
    return typeof v === 'number' ? v >= lo && v <= hi : v >= min && v <= max;
  };
}
