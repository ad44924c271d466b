/**
 * A column's literal default carried to another type: read as a value of the source column's type,
 * converted as the column's rows are (the same conversion, the same fit to the target type), and
 * written back as the target's canonical text. So PostgreSQL's `DEFAULT true` becomes a MySQL
 * tinyint(1)'s 1 (each dialect renders `true`/`false` for its boolean type), MySQL's tinyint(1)
 * `DEFAULT '0'` becomes a boolean's `false` under int_to_boolean, and a default the target type
 * cannot hold (too long, out of range, a zero date) is not carried rather than failing the CREATE
 * TABLE.
 */
import type { ConversionName } from './conversion-names.js';
import { compileConverter } from './convert.js';
import { isRejectionValue } from './fit.js';
import type { LogicalType, Value } from './logical.js';
import type { TargetValueLimits } from './value-limits.js';

export type CarriedLiteral = { readonly text: string } | { readonly dropped: string };

const TRUE_TEXT = /^(?:t|true|y|yes|on|1)$/i;
const FALSE_TEXT = /^(?:f|false|n|no|off|0)$/i;

export function carryLiteralDefault(text: string, source: LogicalType, target: LogicalType, conversion: ConversionName, limits: TargetValueLimits | undefined): CarriedLiteral {
  const value = literalValue(text, source);
  if (value === undefined) return { dropped: `${JSON.stringify(text)} is not a ${source.kind} value` };
  const converted = compileConverter(source, target, conversion, limits)(value);
  if (converted === null) return { dropped: `it becomes NULL under ${conversion}` };
  if (isRejectionValue(converted)) return { dropped: converted.reason };
  if (typeof converted === 'boolean') return { text: converted ? 'true' : 'false' };
  if (typeof converted === 'string') return { text: converted };
  return { dropped: 'it is not a text, number or boolean literal' };
}

/** The literal as the canonical value of its column's type; undefined when it is not one. */
function literalValue(text: string, type: LogicalType): Value | undefined {
  switch (type.kind) {
    case 'bool':
      return TRUE_TEXT.test(text.trim()) ? true : FALSE_TEXT.test(text.trim()) ? false : undefined;
    case 'binary':
    case 'array':
      return undefined; // engine-specific spellings (\x…, {…}): not read here
    default:
      return text;
  }
}
