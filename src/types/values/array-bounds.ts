/**
 * PostgreSQL arrays whose lower bounds are not all 1 ('[0:1]={1,2}', '[-2:-1][1:2]={{…},{…}}').
 * The canonical array value (Value[]) has no place for bounds, so a PostgreSQL reader hands such a
 * value over as its literal: a PostgreSQL target (keepsArrayBounds) reads the literal back as the
 * same array, any other target rejects the row — numbering the elements from 1 would change what
 * every subscript of the application finds.
 */
import type { Value } from '../logical.js';

/** Whether an array's text has explicit bounds (PostgreSQL prints them only where a lower bound is not 1). */
export function hasArrayBounds(text: string): boolean {
  return text.charCodeAt(0) === 0x5b; // '['
}

/** Whether the value of an array column is such a literal rather than an array. */
export function isBoundedArrayLiteral(v: Value): v is string {
  return typeof v === 'string' && hasArrayBounds(v);
}

/** The end of a rejection reason for such a value (after the value itself). */
export const ARRAY_BOUNDS_REASON = 'has array lower bounds other than 1, which only a PostgreSQL target keeps (numbering the elements from 1 would change every subscript)';
