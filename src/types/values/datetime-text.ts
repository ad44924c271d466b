/**
 * Canonical dates, times, timestamps and intervals (see logical.ts) checked and narrowed with
 * charCode scans. Positions are fixed by the canonical forms: 'YYYY-MM-DD', 'HH:MM:SS[.ffffff]',
 * 'YYYY-MM-DD HH:MM:SS[.ffffff]', timestamptz with a trailing '+00:00'.
 */

const ZERO = 48;

function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - ZERO;
  return d >= 0 && d <= 9 ? d : -1;
}

function number2(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function number4(s: string, i: number): number {
  const a = number2(s, i);
  const b = number2(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** MySQL's zero date and partial-zero dates ('0000-00-00', '2020-00-15', '2020-05-00'): not dates. */
export function isZeroDate(s: string): boolean {
  // Shaped like a date first: '1700000000' (a Unix time in a SQLite DATETIME column) is no zero date.
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  return number4(s, 0) === 0 || number2(s, 5) === 0 || number2(s, 8) === 0;
}

/** Whether the first 10 characters are a real calendar date in 0001–9999. */
export function isDateAt(s: string): boolean {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = number4(s, 0);
  const month = number2(s, 5);
  const day = number2(s, 8);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Checks 'HH:MM:SS[.f{1,9}]' starting at `from` and ending at `to`; returns the number of fraction
 * digits, or −1 when malformed. Hours 00–23 (24:00:00 exactly is PostgreSQL's end of day).
 */
export function timeFractionDigits(s: string, from: number, to: number): number {
  if (to - from < 8 || s.charCodeAt(from + 2) !== 58 || s.charCodeAt(from + 5) !== 58) return -1;
  const h = number2(s, from);
  const m = number2(s, from + 3);
  const sec = number2(s, from + 6);
  if (h < 0 || m < 0 || sec < 0 || m > 59 || sec > 59 || h > 24) return -1;
  if (to === from + 8) return h === 24 && (m !== 0 || sec !== 0) ? -1 : 0;
  if (s.charCodeAt(from + 8) !== 46 || to === from + 9) return -1;
  let allZero = true;
  for (let i = from + 9; i < to; i++) {
    const d = digitAt(s, i);
    if (d < 0) return -1;
    if (d !== 0) allZero = false;
  }
  if (h === 24 && (m !== 0 || sec !== 0 || !allZero)) return -1;
  return to - from - 9;
}

/** Drops fraction digits beyond `precision` from a time-like text whose fraction ends at `end`. */
export function truncateFraction(s: string, fractionStart: number, end: number, precision: number): string {
  const digits = end - fractionStart;
  if (digits <= precision) return s;
  const cut = precision === 0 ? fractionStart - 1 : fractionStart + precision;
  return s.slice(0, cut) + s.slice(end);
}

export const UTC_SUFFIX = '+00:00';

export function hasUtcSuffix(s: string): boolean {
  return s.endsWith(UTC_SUFFIX);
}

/** Compares two canonical datetime texts of the same shape (lexicographic order is time order). */
export function compareDateTimeText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ───────────────────────────── intervals ─────────────────────────────

/** An interval split into its calendar parts and its time part (microseconds, signed). */
export interface IntervalParts {
  years: number;
  months: number;
  days: number;
  /** Whole hours of the time part, signed; may be huge (PostgreSQL allows ±2562047788 hours). */
  hours: number;
  /** Microseconds within the hour, with the time part's sign. */
  micros: number;
  /** Fraction digits as written in the time part. */
  fractionDigits: number;
}

const parts: IntervalParts = { years: 0, months: 0, days: 0, hours: 0, micros: 0, fractionDigits: 0 };

/**
 * Parses the canonical interval (`IntervalStyle = postgres`): '1 year 2 mons -3 days +04:05:06.5',
 * '-838:59:59', '00:00:00'. Returns the shared parts object, or undefined when malformed.
 */
export function parseInterval(s: string): IntervalParts | undefined {
  parts.years = parts.months = parts.days = parts.hours = parts.micros = parts.fractionDigits = 0;
  const n = s.length;
  let i = 0;
  if (n === 0) return undefined;
  while (i < n) {
    let sign = 1;
    const c = s.charCodeAt(i);
    if (c === 45 || c === 43) {
      sign = c === 45 ? -1 : 1;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < n && digitAt(s, i) >= 0) value = value * 10 + digitAt(s, i++);
    if (i === start) return undefined;
    if (i < n && s.charCodeAt(i) === 58) return parseTimePart(s, start, sign) ? parts : undefined;
    if (s.charCodeAt(i) !== 32) return undefined;
    i++;
    const unitStart = i;
    while (i < n && s.charCodeAt(i) !== 32) i++;
    const unit = s.slice(unitStart, i);
    if (unit === 'year' || unit === 'years') parts.years += sign * value;
    else if (unit === 'mon' || unit === 'mons') parts.months += sign * value;
    else if (unit === 'day' || unit === 'days') parts.days += sign * value;
    else return undefined;
    if (i < n) i++;
  }
  return parts;
}

function parseTimePart(s: string, hoursStart: number, sign: number): boolean {
  const n = s.length;
  let i = hoursStart;
  let hours = 0;
  while (i < n && digitAt(s, i) >= 0) hours = hours * 10 + digitAt(s, i++);
  if (s.charCodeAt(i) !== 58) return false;
  const minutes = number2(s, i + 1);
  if (s.charCodeAt(i + 3) !== 58) return false;
  const seconds = number2(s, i + 4);
  if (minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return false;
  i += 6;
  let micros = 0;
  let digits = 0;
  if (i < n) {
    if (s.charCodeAt(i) !== 46 || i + 1 === n) return false;
    i++;
    let scale = 100000;
    while (i < n) {
      const d = digitAt(s, i++);
      if (d < 0) return false;
      micros += d * scale;
      scale /= 10;
      digits++;
    }
    if (digits > 6) return false;
  }
  parts.hours = sign * hours;
  parts.micros = sign * ((minutes * 60 + seconds) * 1_000_000 + Math.round(micros));
  parts.fractionDigits = digits;
  return true;
}

/** Renders a signed duration as '[-]HH:MM:SS[.ffffff]' with `precision` fraction digits kept (truncated). */
export function renderDuration(hours: number, microsInHour: number, precision: number): string {
  let negative = hours < 0 || (hours === 0 && microsInHour < 0);
  let h = Math.abs(hours);
  let us = Math.abs(microsInHour);
  if (hours !== 0 && microsInHour !== 0 && Math.sign(hours) !== Math.sign(microsInHour)) {
    // Mixed signs: normalise into one signed total (only small values reach here).
    const total = hours * 3_600_000_000 + microsInHour;
    negative = total < 0;
    h = Math.floor(Math.abs(total) / 3_600_000_000);
    us = Math.abs(total) - h * 3_600_000_000;
  }
  const totalSeconds = Math.floor(us / 1_000_000);
  const fraction = us - totalSeconds * 1_000_000;
  const m = Math.floor(totalSeconds / 60);
  const sec = totalSeconds - m * 60;
  let text = `${negative ? '-' : ''}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${sec < 10 ? '0' : ''}${sec}`;
  if (precision > 0 && fraction > 0) {
    const digits = String(fraction).padStart(6, '0').slice(0, precision);
    if (Number(digits) > 0) text += `.${digits}`;
  }
  return negative && h === 0 && us === 0 ? text.slice(1) : text;
}
