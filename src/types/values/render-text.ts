/**
 * Canonical values → text, for `to_text`, `cast` and `array_to_json`. Every rendering is injective
 * for its kind, so a text target long enough keeps the value exactly.
 */
import type { LogicalType, Value } from '../logical.js';

export type ToText = (v: Value) => string;

/** The text form of a value of `source`: booleans 'true'/'false', binary '\x…' hex, sets 'a,b', arrays JSON. */
export function compileToText(source: LogicalType): ToText {
  switch (source.kind) {
    case 'bool':
      return (v) => (v === true ? 'true' : 'false');
    case 'binary':
      return (v) => (Buffer.isBuffer(v) ? hexText(v) : String(v));
    case 'set':
      return (v) => (Array.isArray(v) ? v.join(',') : String(v));
    case 'array': {
      const json = compileToJson(source);
      return (v) => json(v);
    }
    default:
      // Bytes under another kind — a BLOB in a SQLite column with no declared type ('other') or
      // in a TEXT column, which the reader hands over as bytes — take binary's text form too:
      // String() would decode them as UTF-8 and silently turn invalid sequences into U+FFFD.
      return (v) => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? hexText(v) : String(v));
  }
}

function hexText(v: Buffer): string {
  return `\\x${v.toString('hex')}`;
}

/** JSON text of a value of `type`: numbers keep every digit; NaN/Infinity and binary become strings. */
export function compileToJson(type: LogicalType): (v: Value) => string {
  switch (type.kind) {
    case 'bool':
      return (v) => (v === null ? 'null' : v === true ? 'true' : 'false');
    case 'int':
      return (v) => (v === null ? 'null' : String(v));
    case 'decimal':
    case 'float':
      return (v) => (v === null ? 'null' : typeof v === 'string' && isJsonNumber(v) ? v : JSON.stringify(String(v)));
    case 'json':
      return (v) => (v === null ? 'null' : String(v));
    case 'binary':
      return (v) => (v === null ? 'null' : JSON.stringify(Buffer.isBuffer(v) ? hexText(v) : String(v)));
    case 'set':
      return (v) => (v === null ? 'null' : JSON.stringify(v));
    case 'array': {
      const element = compileToJson(type.element);
      // Sub-arrays of a multi-dimensional PostgreSQL array hold elements of the same type.
      const nested = type.element.kind !== 'array';
      const render = (v: Value): string => {
        if (v === null) return 'null';
        if (!Array.isArray(v)) return JSON.stringify(v);
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          const item = v[i] as Value;
          out += nested && Array.isArray(item) ? render(item) : element(item);
        }
        return `${out}]`;
      };
      return render;
    }
    default:
      return (v) => (v === null ? 'null' : JSON.stringify(typeof v === 'string' ? v : Buffer.isBuffer(v) ? hexText(v) : String(v)));
  }
}

/** Whether a canonical number text is also a JSON number ('-0', '1e+300' are; 'NaN', '.5' are not). */
function isJsonNumber(s: string): boolean {
  const first = s.charCodeAt(s.charCodeAt(0) === 45 ? 1 : 0);
  return first >= 48 && first <= 57 && s !== 'Infinity';
}
