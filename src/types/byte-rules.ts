/**
 * Rules on every byte of a value's text, named so that a bulk writer can check them while it copies
 * the bytes, in the one pass it makes anyway to escape them, instead of a guard scanning them first
 * (text-identity.ts says which rule a column needs; `passesByteRule` is the reference a writer's
 * fused check must agree with, and the building blocks below are what both are made of).
 */

/**
 * - `any`: every byte sequence passes;
 * - `utf8`: well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF);
 * - `utf8_no_nul`: well-formed UTF-8 without a NUL byte (a target whose text cannot hold U+0000);
 * - `json_utf8_no_nul_escape`: well-formed UTF-8 JSON text without the escape \u0000 (a target
 *   whose JSON cannot hold U+0000: PostgreSQL jsonb).
 */
export type ByteRule = 'any' | 'utf8' | 'utf8_no_nul' | 'json_utf8_no_nul_escape';

/**
 * The length of the well-formed UTF-8 sequence whose lead byte (0x80 or above) is at `i`, within
 * [i, e); 0 when it is not one.
 */
export function utf8SequenceLength(b: Uint8Array, i: number, e: number): number {
  const c = b[i]!;
  if (c >= 0xc2 && c <= 0xdf) return i + 1 < e && (b[i + 1]! & 0xc0) === 0x80 ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (i + 2 >= e) return 0;
    const c1 = b[i + 1]!;
    if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80) return 0;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (i + 3 >= e) return 0;
    const c1 = b[i + 1]!;
    if ((c1 & 0xc0) !== 0x80 || (b[i + 2]! & 0xc0) !== 0x80 || (b[i + 3]! & 0xc0) !== 0x80) return 0;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return 0;
    return 4;
  }
  return 0;
}

/**
 * Whether [s, e) is well-formed UTF-8, checked in place: Buffer's isUtf8 wants a view of its own
 * per value, which cost more than this.
 */
export function wellFormedUtf8(b: Uint8Array, s: number, e: number): boolean {
  let i = s;
  while (i < e) {
    if (b[i]! < 0x80) {
      i++;
      continue;
    }
    const n = utf8SequenceLength(b, i, e);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

/** Whether the backslash at `i` (within [i, e)) starts the JSON escape \u0000. */
export function jsonNulEscapeAt(b: Uint8Array, i: number, e: number): boolean {
  return i + 5 < e && b[i + 1] === 0x75 && b[i + 2] === 0x30 && b[i + 3] === 0x30 && b[i + 4] === 0x30 && b[i + 5] === 0x30;
}

/** Whether the JSON text holds the escape \u0000 (an escaped backslash before 'u0000' is not one). */
export function hasJsonNulEscape(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    if (b[i] !== 0x5c) continue;
    if (jsonNulEscapeAt(b, i, e)) return true;
    i++; // the escaped character, whatever it is
  }
  return false;
}

/** The reference check of `rule` on [s, e) of `b`, one concern after the other. */
export function passesByteRule(rule: ByteRule, b: Uint8Array, s: number, e: number): boolean {
  switch (rule) {
    case 'any':
      return true;
    case 'utf8':
      return wellFormedUtf8(b, s, e);
    case 'utf8_no_nul':
      return b.subarray(s, e).indexOf(0) < 0 && wellFormedUtf8(b, s, e);
    case 'json_utf8_no_nul_escape':
      return !hasJsonNulEscape(b, s, e) && wellFormedUtf8(b, s, e);
    default: {
      const never: never = rule;
      return never;
    }
  }
}
