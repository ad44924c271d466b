/**
 * `cast`: through the value's text form, like SQL CAST: the source value is rendered as text and
 * parsed as the target kind; malformed results are rejected per row, never guessed at. Numbers
 * take a direct path; arrays are cast element by element.
 */
import type { LogicalType, Value } from '../logical.js';
import { reject } from '../rejection.js';
import { isRejectionValue } from '../fit.js';
import { compileFromText } from '../values/parse-text.js';
import { ARRAY_BOUNDS_REASON, isBoundedArrayLiteral } from '../values/array-bounds.js';
import { compileToText } from '../values/render-text.js';
import { quoteForReason } from '../values/text-scan.js';
import { identity, type ConversionDefinition, type Reshape } from './definition.js';
import { compileSameRepresentation, sameRepresentation } from './none.js';

function castApplies(source: LogicalType, target: LogicalType): boolean {
  if (target.kind === 'array') return source.kind === 'set' || (source.kind === 'array' && castApplies(source.element, target.element));
  return true;
}

export function compileCast(source: LogicalType, target: LogicalType): Reshape {
  if (sameRepresentation(source, target)) return compileSameRepresentation(source, target);
  if (target.kind === 'array') {
    if (source.kind === 'set') return identity;
    if (source.kind !== 'array') return () => reject('cannot cast a scalar to an array');
    const element = compileCast(source.element, target.element);
    return (v) => {
      // Converting the elements here would lose the bounds the literal keeps.
      if (isBoundedArrayLiteral(v)) return reject(`${quoteForReason(v)} ${ARRAY_BOUNDS_REASON}`);
      if (!Array.isArray(v)) return reject('is not an array');
      const out: Value[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const item = v[i] as Value;
        const r = item === null ? null : element(item);
        if (r !== null && isRejectionValue(r)) return reject(`element ${i + 1}: ${r.reason}`);
        out[i] = r;
      }
      return out;
    };
  }
  if (source.kind === 'bool' && (target.kind === 'int' || target.kind === 'decimal' || target.kind === 'float' || target.kind === 'bit')) {
    return (v) => (v === true ? '1' : '0');
  }
  const toText = compileToText(source);
  const fromText = compileFromText(target);
  if (source.kind === 'array') return (v) => (isBoundedArrayLiteral(v) ? reject(`${quoteForReason(v)} ${ARRAY_BOUNDS_REASON}`) : fromText(toText(v)));
  return (v) => fromText(toText(v));
}

export const cast: ConversionDefinition = {
  name: 'cast',
  summary: 'Converts through the text form of the value, like SQL CAST; values that do not parse as the target type are rejected.',
  domain: 'any type to any type except arrays (which need an array or set source)',
  applies: castApplies,
  compile: compileCast,
};
