/**
 * Independent domain predicates per logical type (regexes and BigInt: slow and obvious, unlike the
 * converters under test). A value "is in the domain" when a target column of that type can hold it.
 */
import type { LogicalType, Value } from '../../../src/types/logical.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(2000, mo, 0)).getUTCDate() && (mo !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
}

function fractionOk(f: string | undefined, precision: number): boolean {
  return f === undefined || f.length <= precision;
}

export function inDomain(v: Value, t: LogicalType, options: { readonly noNul?: boolean; readonly zeroDates?: boolean } = {}): boolean {
  if (v === null) return true;
  switch (t.kind) {
    case 'bool':
      return typeof v === 'boolean';
    case 'int': {
      if (typeof v !== 'string' || !/^-?\d+$/.test(v)) return false;
      const n = BigInt(v);
      const full = 2n ** BigInt(t.bits);
      return t.unsigned ? n >= 0n && n < full : n >= -(full / 2n) && n < full / 2n;
    }
    case 'decimal': {
      if (typeof v !== 'string') return false;
      const m = /^-?0*(\d*?)(?:\.(\d+))?$/.exec(v);
      if (!m || !/\d/.test(v)) return false;
      if (t.precision === undefined) return true;
      const scale = t.scale ?? 0;
      return (m[1] ?? '').length <= t.precision - scale && (m[2] ?? '').length <= scale;
    }
    case 'float':
      if (typeof v !== 'string') return false;
      if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return true;
      return !Number.isNaN(Number(v)) && (t.bits === 64 || Number.isFinite(Math.fround(Number(v))) || !Number.isFinite(Number(v)));
    case 'text':
      return typeof v === 'string' && (t.length === undefined || [...v].length <= t.length) && !(options.noNul && v.includes('\u0000'));
    case 'binary':
      return Buffer.isBuffer(v) && (t.length === undefined || v.length <= t.length);
    case 'date':
      return typeof v === 'string' && (isDate(v) || (options.zeroDates === true && /^\d{4}-\d{2}-\d{2}$/.test(v)));
    case 'timestamp':
    case 'timestamptz': {
      if (typeof v !== 'string') return false;
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(\+00:00)?$/.exec(v);
      return !!m && (isDate(m[1]!) || options.zeroDates === true) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 60 && fractionOk(m[5], t.precision) && (t.kind === 'timestamptz') === (m[6] !== undefined);
    }
    case 'time': {
      if (typeof v !== 'string') return false;
      const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([+-]\d{2}:\d{2}(?::\d{2})?)?$/.exec(v);
      return !!m && Number(m[1]) <= 24 && Number(m[2]) < 60 && Number(m[3]) < 60 && fractionOk(m[4], t.precision) && t.withTimeZone === (m[5] !== undefined);
    }
    case 'interval': {
      if (typeof v !== 'string') return false;
      const m = /^(?:[+-]?\d+ (?:years?|mons?|days?) ?)*(?:[+-]?\d+:\d{2}:\d{2}(?:\.(\d+))?)?$/.exec(v);
      return !!m && v.length > 0 && fractionOk(m[1], t.precision);
    }
    case 'year':
      return typeof v === 'string' && /^\d{4}$/.test(v) && Number(v) >= 1901 && Number(v) <= 2155;
    case 'uuid':
      return typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
    case 'json':
      try {
        JSON.parse(v as string);
        return typeof v === 'string';
      } catch {
        return false;
      }
    case 'enum':
      return typeof v === 'string' && t.values.includes(v);
    case 'set':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && t.values.includes(x));
    case 'array':
      return Array.isArray(v) && v.every((x) => inDomain(x as Value, t.element, options));
    case 'bit':
      return typeof v === 'string' && /^[01]*$/.test(v) && (t.length === undefined || (t.varying ? v.length <= t.length : v.length === t.length));
    case 'other':
      return typeof v === 'string';
  }
}
