/** Text checks in characters (Unicode code points), as SQL lengths count them — not UTF-16 units. */

/** Number of code points; a lone surrogate counts as one. */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Whether `s` has more than `max` characters; O(1) when its UTF-16 length already fits. */
export function longerThan(s: string, max: number): boolean {
  if (s.length <= max) return false;
  if (s.length > 2 * max) return true;
  return codePointLength(s) > max;
}

export function containsNul(s: string): boolean {
  return s.indexOf('\u0000') !== -1;
}

/** Whether `s` is a UUID in 8-4-4-4-12 hex form (either case). */
export function isUuidText(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

/** Whether `s` is a string of '0'/'1'. */
export function isBitText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 48 && c !== 49) return false;
  }
  return true;
}

/** Whether `s` is valid JSON text. JSON.parse is the fastest complete validator available here. */
export function isJsonText(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

/** A value shown inside a rejection reason: quoted, cut when long. */
export function quoteForReason(s: string): string {
  const shown = s.length > 60 ? `${s.slice(0, 57)}...` : s;
  return `'${shown.replace(/\u0000/g, '\\0')}'`;
}
