/**
 * Values in a source's binary protocol (MySQL's prepared-statement rows) rather than its text: the
 * forms, how to read them, and their canonical text (types/logical.ts), which is what the text
 * protocol would have sent for the same value. Reading a number or a date in this form spares the
 * server formatting it and the reader parsing it back.
 */

/**
 * A field's layout, little-endian throughout: `int` — `bytes` bytes, two's complement or unsigned;
 * `float64` — an IEEE double; `date` — 0 bytes (the zero date) or 4: year (16 bits), month, day;
 * `datetime` — 0, 4, 7 or 11 bytes: year (16 bits), month, day, hour, minute, second,
 * microseconds (32 bits), the ones left off zero.
 */
export type WireForm =
  | { readonly kind: 'int'; readonly bytes: 1 | 2 | 4 | 8; readonly unsigned: boolean }
  | { readonly kind: 'float64' }
  | { readonly kind: 'date' }
  | { readonly kind: 'datetime' };

const TWO_32 = 4_294_967_296;
/** 2^21: a high word below it keeps a 64-bit integer within a double's exact range. */
const EXACT_HIGH = 2_097_152;

/** The integer at `s`: a number when a double holds it exactly, a bigint otherwise. */
export function wireInt(b: Buffer, s: number, bytes: 1 | 2 | 4 | 8, unsigned: boolean): number | bigint {
  switch (bytes) {
    case 1:
      return unsigned ? b[s]! : (b[s]! << 24) >> 24;
    case 2: {
      const v = b[s]! | (b[s + 1]! << 8);
      return unsigned ? v : (v << 16) >> 16;
    }
    case 4: {
      const v = b[s]! | (b[s + 1]! << 8) | (b[s + 2]! << 16) | (b[s + 3]! << 24);
      return unsigned ? v >>> 0 : v;
    }
    case 8: {
      const lo = (b[s]! | (b[s + 1]! << 8) | (b[s + 2]! << 16) | (b[s + 3]! << 24)) >>> 0;
      const hi = b[s + 4]! | (b[s + 5]! << 8) | (b[s + 6]! << 16) | (b[s + 7]! << 24);
      if (unsigned) {
        const uhi = hi >>> 0;
        return uhi < EXACT_HIGH ? uhi * TWO_32 + lo : b.readBigUInt64LE(s);
      }
      return hi >= -EXACT_HIGH && hi < EXACT_HIGH ? hi * TWO_32 + lo : b.readBigInt64LE(s);
    }
  }
}

/** Whether [s, e) is a real calendar date in years 1–9999 (4 bytes). */
export function isWireDate(b: Buffer, s: number, e: number): boolean {
  if (e - s !== 4) return false;
  return realDate(b[s]! | (b[s + 1]! << 8), b[s + 2]!, b[s + 3]!);
}

/**
 * Whether [s, e) is a real date and time of day whose microseconds are a multiple of `unit` (10^(6 −
 * the fraction digits kept): fractionUnit).
 */
export function isWireDatetime(b: Buffer, s: number, e: number, unit: number): boolean {
  const n = e - s;
  if (n !== 4 && n !== 7 && n !== 11) return false;
  if (!realDate(b[s]! | (b[s + 1]! << 8), b[s + 2]!, b[s + 3]!)) return false;
  if (n === 4) return true;
  if (b[s + 4]! > 23 || b[s + 5]! > 59 || b[s + 6]! > 59) return false;
  if (n === 7) return true;
  const micros = (b[s + 7]! | (b[s + 8]! << 8) | (b[s + 9]! << 16) | (b[s + 10]! << 24)) >>> 0;
  return micros < 1_000_000 && micros % unit === 0;
}

/** The microseconds' unit of a fraction of `precision` digits (1 for 6, 1000 for 3, 10^6 for 0). */
export function fractionUnit(precision: number): number {
  return 10 ** (6 - Math.max(0, Math.min(6, precision)));
}

function realDate(year: number, month: number, day: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  if (day <= 28) return true;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= days;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');

/**
 * The canonical text of a field in `form` — the server's text for it: integers in decimal, a double
 * as JavaScript's shortest spelling ('-0' kept), 'YYYY-MM-DD', and 'YYYY-MM-DD HH:MM:SS' followed by
 * `precision` fraction digits when the column has any (zero dates included, as the server prints them).
 */
export function wireText(form: WireForm, b: Buffer, s: number, e: number, precision: number): string {
  switch (form.kind) {
    case 'int':
      return String(wireInt(b, s, form.bytes, form.unsigned));
    case 'float64': {
      const x = b.readDoubleLE(s);
      return Object.is(x, -0) ? '-0' : String(x);
    }
    case 'date':
      return e - s < 4 ? '0000-00-00' : `${pad4(b[s]! | (b[s + 1]! << 8))}-${pad2(b[s + 2]!)}-${pad2(b[s + 3]!)}`;
    case 'datetime': {
      const n = e - s;
      const date = n < 4 ? '0000-00-00' : `${pad4(b[s]! | (b[s + 1]! << 8))}-${pad2(b[s + 2]!)}-${pad2(b[s + 3]!)}`;
      const time = n < 7 ? '00:00:00' : `${pad2(b[s + 4]!)}:${pad2(b[s + 5]!)}:${pad2(b[s + 6]!)}`;
      if (precision <= 0) return `${date} ${time}`;
      const micros = n < 11 ? 0 : b.readUInt32LE(s + 7);
      return `${date} ${time}.${String(micros).padStart(6, '0').slice(0, Math.min(6, precision))}`;
    }
    default: {
      const never: never = form;
      return never;
    }
  }
}
