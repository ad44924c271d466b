/**
 * A plan's row filter evaluated in the executor, on canonical values — for captured changes, which
 * never pass through the source's SQL. SQL's three-valued logic: a comparison with NULL is unknown,
 * and a row passes only when the filter is true. Text compares exactly (binary), as a case- and
 * accent-sensitive collation would; numbers compare by value, dates and timestamps in their
 * canonical text order.
 */
import type { ExprIR, LiteralValue } from '../ir/ir.js';
import type { LogicalType, Value } from '../types/logical.js';

type Truth = boolean | null;
/** A scalar as compared: numbers as exact decimal text, everything else as text or boolean. */
type Scalar = { readonly kind: 'number'; readonly text: string } | { readonly kind: 'text'; readonly text: string } | { readonly kind: 'bool'; readonly value: boolean } | null;

export type RowFilter = (row: readonly Value[]) => boolean;

export interface FilterColumn {
  readonly index: number;
  readonly logical: LogicalType;
}

/** `column(name)` gives the read index and logical type of a source column. */
export function compileRowFilter(expr: ExprIR, column: (name: string) => FilterColumn): RowFilter {
  const truth = compileTruth(expr, column);
  return (row) => truth(row) === true;
}

function compileTruth(e: ExprIR, column: (name: string) => FilterColumn): (row: readonly Value[]) => Truth {
  const t = (x: ExprIR) => compileTruth(x, column);
  const v = (x: ExprIR) => compileScalar(x, column);
  switch (e.kind) {
    case 'literal': {
      const s = literalScalar(e.value);
      return () => (s === null ? null : s.kind === 'bool' ? s.value : null);
    }
    case 'column': {
      const s = compileScalar(e, column);
      return (row) => {
        const x = s(row);
        return x === null ? null : x.kind === 'bool' ? x.value : null;
      };
    }
    case 'not': {
      const a = t(e.operand);
      return (row) => {
        const x = a(row);
        return x === null ? null : !x;
      };
    }
    case 'logical': {
      const a = t(e.left);
      const b = t(e.right);
      return e.op === 'and'
        ? (row) => {
            const x = a(row);
            if (x === false) return false;
            const y = b(row);
            return y === false ? false : x === null || y === null ? null : true;
          }
        : (row) => {
            const x = a(row);
            if (x === true) return true;
            const y = b(row);
            return y === true ? true : x === null || y === null ? null : false;
          };
    }
    case 'compare': {
      const a = v(e.left);
      const b = v(e.right);
      const op = e.op;
      return (row) => {
        const c = compareScalars(a(row), b(row));
        if (c === null) return null;
        switch (op) {
          case '=':
            return c === 0;
          case '!=':
            return c !== 0;
          case '<':
            return c < 0;
          case '<=':
            return c <= 0;
          case '>':
            return c > 0;
          case '>=':
            return c >= 0;
          default: {
            const never: never = op;
            return never;
          }
        }
      };
    }
    case 'is_null': {
      const a = v(e.operand);
      return (row) => (a(row) === null) !== e.negated;
    }
    case 'in': {
      const a = v(e.operand);
      const list = e.list.map(v);
      return (row) => {
        const x = a(row);
        if (x === null) return null;
        let unknown = false;
        for (const item of list) {
          const c = compareScalars(x, item(row));
          if (c === 0) return !e.negated;
          if (c === null) unknown = true;
        }
        return unknown ? null : e.negated;
      };
    }
    case 'between': {
      const a = v(e.operand);
      const lo = v(e.low);
      const hi = v(e.high);
      return (row) => {
        const x = a(row);
        const l = compareScalars(x, lo(row));
        const h = compareScalars(x, hi(row));
        if (l === null || h === null) return null;
        return (l >= 0 && h <= 0) !== e.negated;
      };
    }
    case 'like': {
      const a = v(e.operand);
      const p = v(e.pattern);
      const cache = new Map<string, RegExp>();
      return (row) => {
        const x = a(row);
        const pattern = p(row);
        if (x === null || pattern === null || x.kind === 'bool' || pattern.kind === 'bool') return null;
        let re = cache.get(pattern.text);
        if (!re) {
          re = likeRegExp(pattern.text);
          cache.set(pattern.text, re);
        }
        return re.test(x.text) !== e.negated;
      };
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

function compileScalar(e: ExprIR, column: (name: string) => FilterColumn): (row: readonly Value[]) => Scalar {
  if (e.kind === 'literal') {
    const s = literalScalar(e.value);
    return () => s;
  }
  if (e.kind === 'column') {
    const { index, logical } = column(e.name);
    const numeric = logical.kind === 'int' || logical.kind === 'decimal' || logical.kind === 'float' || logical.kind === 'year';
    return (row) => {
      const value = row[index] ?? null;
      if (value === null) return null;
      if (typeof value === 'boolean') return { kind: 'bool', value };
      if (typeof value === 'string') return numeric ? { kind: 'number', text: value } : { kind: 'text', text: value };
      return { kind: 'text', text: Buffer.isBuffer(value) ? value.toString('utf8') : JSON.stringify(value) };
    };
  }
  // A condition used as a value (`(a > 1) = true`): its truth.
  const truth = compileTruth(e, column);
  return (row) => {
    const x = truth(row);
    return x === null ? null : { kind: 'bool', value: x };
  };
}

function literalScalar(v: LiteralValue): Scalar {
  switch (v.kind) {
    case 'null':
      return null;
    case 'bool':
      return { kind: 'bool', value: v.value };
    case 'number':
      return { kind: 'number', text: v.text };
    case 'string':
      return { kind: 'text', text: v.value };
    case 'date':
      return { kind: 'text', text: v.value };
    case 'timestamp':
      return { kind: 'text', text: v.value.replace('T', ' ') };
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** -1, 0, 1, or null (unknown: a NULL, or values that do not compare). */
export function compareScalars(a: Scalar, b: Scalar): number | null {
  if (a === null || b === null) return null;
  if (a.kind === 'bool' || b.kind === 'bool') {
    const x = a.kind === 'bool' ? a.value : a.text === '1' || a.text === 'true';
    const y = b.kind === 'bool' ? b.value : b.text === '1' || b.text === 'true';
    return x === y ? 0 : x ? 1 : -1;
  }
  if (a.kind === 'number' || b.kind === 'number') {
    const c = compareDecimalText(a.text, b.text);
    if (c !== null) return c;
  }
  const x = DATE_LIKE.test(a.text) && DATE_LIKE.test(b.text) ? timeKey(a.text) : a.text;
  const y = DATE_LIKE.test(a.text) && DATE_LIKE.test(b.text) ? timeKey(b.text) : b.text;
  return x < y ? -1 : x > y ? 1 : 0;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Dates and timestamps compare as instants written alike: a date is its midnight, canonical UTC
 * offsets and zero fractions drop ('2009-01-01' = '2009-01-01 00:00:00.000000+00:00').
 */
function timeKey(text: string): string {
  const t = text.length === 10 ? `${text} 00:00:00` : text.replace('T', ' ');
  return t.replace(/\+00(:00)?$/, '').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Exact comparison of two decimal texts ('-12.50' vs '1e3'); null when one is not a number. */
export function compareDecimalText(a: string, b: string): number | null {
  const x = normalise(a);
  const y = normalise(b);
  if (x === undefined || y === undefined) return null;
  if (x.negative !== y.negative) return x.negative ? -1 : 1;
  const sign = x.negative ? -1 : 1;
  if (x.int.length !== y.int.length) return (x.int.length < y.int.length ? -1 : 1) * sign;
  if (x.int !== y.int) return (x.int < y.int ? -1 : 1) * sign;
  const width = Math.max(x.frac.length, y.frac.length);
  const fx = x.frac.padEnd(width, '0');
  const fy = y.frac.padEnd(width, '0');
  return fx === fy ? 0 : (fx < fy ? -1 : 1) * sign;
}

function normalise(s: string): { negative: boolean; int: string; frac: string } | undefined {
  const m = DECIMAL.exec(s.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const int = digits.slice(0, point).replace(/^0+/, '');
  const frac = digits.slice(point).replace(/0+$/, '');
  const zero = int === '' && frac === '';
  return { negative: m[1] === '-' && !zero, int, frac };
}

/** SQL LIKE: `%` any run, `_` one character, `\` escapes the next. */
function likeRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escapeRegExp(pattern[++i]!);
    else if (c === '%') out += '[\\s\\S]*';
    else if (c === '_') out += '[\\s\\S]';
    else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
