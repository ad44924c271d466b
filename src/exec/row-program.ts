/**
 * The compiled row program of one table mapping: source row as read → target row, with type
 * conversions, masks and added columns; or a rejection naming the column, value and reason.
 * Compiled once per table; runs per row on the hot path.
 */
import type { ColumnMapping, TableMapping } from '../check/checked-plan.js';
import type { EngineModule, ReadColumn, WriteColumn } from '../engines/contract.js';
import { compileConverter, keepStoredValue } from '../types/convert.js';
import { isRejection as isConversionRejection } from '../types/rejection.js';
import type { LogicalType, Row, Value } from '../types/logical.js';
import { compileMask } from './masks.js';
import { compileRowFilter, type RowFilter } from './row-filter.js';
import { compileValueExpr, type RowValue } from './value-expr.js';

export interface RowRejection {
  readonly column: string | undefined;
  readonly value: string | undefined;
  readonly reason: string;
}

export interface RowProgram {
  /** Source columns to read, in order. */
  readonly read: readonly ReadColumn[];
  /** Target columns written, in order. */
  readonly write: readonly WriteColumn[];
  /** Indexes into the read row of the source key (for reject reports and chunking). */
  readonly keyIndexes: readonly number[];
  /**
   * Indexes into the read row of the values that say which row a rejected row is: the source key,
   * or every column read when the table has no usable key (see describeSourceRow).
   */
  readonly identifyBy: readonly number[];
  /** Returns the target row, or a rejection. */
  run(row: readonly Value[]): Row | RowRejection;
  /**
   * The plan's row filter on a row as read, for captured changes (the full load filters in the
   * source's SQL). Undefined when the table has no expression filter.
   */
  readonly filter: RowFilter | undefined;
  /** Read indexes the filter looks at (a change that did not send them cannot be judged). */
  readonly filterReads: readonly number[];
}

/**
 * Values that move as the engine stores them (ColumnMapping.keepsStoredValues), read and written
 * with `asStored`; not a merge's shifted or mapped key, which is computed.
 */
function storedAsIs(c: ColumnMapping): boolean {
  return c.keepsStoredValues === true && c.source.kind === 'column' && c.mask === undefined && (c.offset === undefined || c.offset === '0') && c.keyMap === undefined;
}

export function isRejection(r: Row | RowRejection): r is RowRejection {
  return !Array.isArray(r);
}

export function compileRowProgram(table: TableMapping, target: EngineModule): RowProgram {
  const read: ReadColumn[] = [];
  const indexOf = new Map<string, number>();
  const need = (name: string, native: ReadColumn['native'], logical: LogicalType, asStored = false): number => {
    let i = indexOf.get(name);
    if (i === undefined) {
      i = read.length;
      read.push({ name, native, logical, ...(asStored ? { asStored: true as const } : {}) });
      indexOf.set(name, i);
    }
    return i;
  };
  for (const c of table.columns) if (c.source.kind === 'column') need(c.source.name, c.source.native, c.source.logical, storedAsIs(c));
  const sourceColumn = (name: string) => {
    const i = indexOf.get(name);
    if (i === undefined) throw new Error(`bug: column ${name} is not read for ${table.id}`);
    return i;
  };
  // Filter columns are read too, even when dropped from the target: changes are filtered here.
  const filterReads = (table.filter?.columns ?? []).map((c) => need(c.name, c.native, c.logical));
  const filter = table.filter
    ? compileRowFilter(table.filter.expr, (name) => {
        const index = indexOf.get(name);
        const column = index === undefined ? undefined : read[index];
        if (index === undefined || !column) throw new Error(`bug: filter column ${name} is not read for ${table.id}`);
        return { index, logical: column.logical };
      })
    : undefined;
  const keyIndexes = table.sourceKey.flatMap((k) => {
    const i = indexOf.get(k);
    return i === undefined ? [] : [i];
  });

  const limits = target.capabilities.valueLimits;
  const steps = table.columns.map((c) => {
    const mask = c.mask ? compileMask(c.mask, c.targetLogical) : undefined;
    if (c.source.kind === 'column') {
      const at = sourceColumn(c.source.name);
      const convert = storedAsIs(c) ? keepStoredValue : compileConverter(c.source.logical, c.targetLogical, c.conversion, limits);
      if (c.offset === undefined || c.offset === '0') return { name: c.target, at, value: undefined, convert, mask };
      // Merges with strategy = offset: shift the integer key first; the converter then checks the range.
      const shift = BigInt(c.offset);
      const shifted: RowValue = (row) => {
        const v = row[at] ?? null;
        return typeof v === 'string' && /^-?\d+$/.test(v) ? String(BigInt(v) + shift) : v;
      };
      return { name: c.target, at, value: shifted, convert, mask };
    }
    const value = compileValueExpr(c.source.expr, (name) => {
      const read = table.columns.filter((m) => m.source.kind === 'column');
      const col = read.find((m) => m.source.kind === 'column' && m.source.name === name) ?? read.find((m) => m.source.kind === 'column' && m.source.name.toLowerCase() === name.toLowerCase());
      if (col && col.source.kind === 'column') return sourceColumn(col.source.name);
      throw new Error(`bug: added column refers to ${name}, which is not read`);
    });
    const convert = compileConverter({ kind: 'text', length: undefined, fixed: false }, c.targetLogical, 'cast', limits);
    return { name: c.target, at: -1, value, convert, mask };
  });

  return {
    read,
    write: table.columns.map((c) => {
      const collation = table.targetDef.columns.find((d) => d.name === c.target)?.collation;
      return { name: c.target, native: c.targetType, logical: c.targetLogical, ...(collation === undefined ? {} : { collation }), ...(storedAsIs(c) ? { asStored: true as const } : {}) };
    }),
    keyIndexes,
    identifyBy: keyIndexes.length > 0 ? keyIndexes : read.map((_, i) => i),
    filter,
    filterReads,
    run(row) {
      const out: Value[] = new Array(steps.length);
      for (let i = 0; i < steps.length; i++) {
        const s = steps[i]!;
        const raw = s.value ? s.value(row) : (row[s.at] ?? null);
        const converted = raw === null ? null : s.convert(raw);
        if (isConversionRejection(converted)) return { column: s.name, value: describeValue(raw), reason: converted.reason };
        out[i] = s.mask && converted !== null ? s.mask(converted) : converted;
      }
      return out;
    },
  };
}

/**
 * A value as stored in the rejects table: text, or hex for binary; long values cut. NUL is written
 * `\u0000` — the very value that was refused must not make the rejects table refuse it too.
 */
export function describeValue(v: Value): string | undefined {
  if (v === null) return undefined;
  const raw = typeof v === 'string' ? v : Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  const s = raw.includes('\u0000') ? raw.replace(/\u0000/g, '\\u0000') : raw;
  return s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} characters)` : s;
}

export function describeKey(row: readonly Value[], keyIndexes: readonly number[]): string {
  if (keyIndexes.length === 0) return '(no key)';
  return joinKeyValues(keyIndexes.map((i) => describeValue(row[i] ?? null)));
}

/**
 * The values of a key (or of a foreign key) as one text: a single value as it is; several separated
 * by `, `, where a value that could be misread — holding a comma or a double quote, empty, spaced at
 * either end, or the text NULL — is written in double quotes with its own quotes doubled (as CSV
 * does). Joined bare, the keys ('a, b', 'c') and ('a', 'b, c') of one table were the same text.
 * Undefined is SQL NULL, written NULL.
 */
export function joinKeyValues(values: readonly (string | undefined)[]): string {
  if (values.length === 1) return values[0] ?? 'NULL';
  return values.map((v) => (v === undefined ? 'NULL' : MISREAD.test(v) || v === 'NULL' ? `"${v.replace(/"/g, '""')}"` : v)).join(', ');
}

/** A key value that, bare between `, `, would not split back into itself. */
const MISREAD = /[,"]|^$|^\s|\s$/;

/** How much of each value, and of the whole text, tells a row without a key apart in the rejects table. */
const UNKEYED_VALUE_CHARS = 100;
const UNKEYED_ROW_CHARS = 2000;

/**
 * The `row_key` of a rejected row read as `row` (values at the program's read indexes): its key
 * values, or — for a table without a usable key, where "(no key)" on every rejected row would leave
 * them all alike and none findable — every column read as `name=value`, each value cut short.
 */
export function describeSourceRow(row: readonly Value[], program: Pick<RowProgram, 'read' | 'keyIndexes'>): string {
  if (program.keyIndexes.length > 0) return describeKey(row, program.keyIndexes);
  const text = program.read
    .map((c, i) => {
      const v = describeValue(row[i] ?? null) ?? 'NULL';
      return `${c.name}=${v.length > UNKEYED_VALUE_CHARS ? `${v.slice(0, UNKEYED_VALUE_CHARS)}… (${v.length} characters)` : v}`;
    })
    .join(', ');
  return text.length > UNKEYED_ROW_CHARS ? `${text.slice(0, UNKEYED_ROW_CHARS)}…` : text;
}
