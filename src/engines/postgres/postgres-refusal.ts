/**
 * What PostgreSQL blamed when it refused a row of a COPY: the columns (and constraint) its error
 * names, for the rejects table's column and value. Pure: reads the fields of the server's error
 * (node-postgres' DatabaseError, PGlite's alike), no I/O.
 */
import type { Refusal } from '../contract.js';

interface PgErrorFields {
  readonly code?: unknown;
  readonly column?: unknown;
  readonly constraint?: unknown;
  readonly detail?: unknown;
  readonly where?: unknown;
}

function field(err: PgErrorFields, name: keyof PgErrorFields): string | undefined {
  const v = err[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * The refusal named by a PostgreSQL data error raised by a COPY into `columns` (the column names
 * written, which tell a column's name from the text after it in the COPY context), or undefined
 * when the error names nothing (a trigger's RAISE, an exclusion constraint).
 */
export function postgresRefusal(err: unknown, columns: readonly string[]): Refusal | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as PgErrorFields;
  const code = field(e, 'code');
  const constraint = field(e, 'constraint');
  if (code === undefined) return undefined;
  // A value the column's input function refused (too long, out of range, bad syntax, bad date):
  // only the COPY context names the column.
  const fromContext = copyContextColumn(field(e, 'where'), columns);
  switch (code) {
    case '23502': {
      // not_null_violation: the server fills the column field.
      const column = field(e, 'column') ?? fromContext;
      return column !== undefined ? { columns: [column] } : undefined;
    }
    case '23505': // unique_violation: `Key (a, b)=(x, y) already exists.`
    case '23503': {
      // foreign_key_violation: `Key (a)=(x) is not present in table "p".` A detail the server left
      // out (no SELECT right on the columns) or an expression index leaves the constraint's name.
      const keys = detailKeyColumns(field(e, 'detail'));
      if (keys !== undefined) return { columns: keys, ...(constraint !== undefined ? { constraint } : {}) };
      return constraint !== undefined ? { columns: [], constraint } : undefined;
    }
    case '23514': // check_violation: only the constraint's name; its columns are in the catalog.
    case '23P01': // exclusion_violation: likewise.
      return constraint !== undefined ? { columns: [], constraint } : undefined;
    default:
      if (fromContext !== undefined) return { columns: [fromContext] };
      return constraint !== undefined ? { columns: [], constraint } : undefined;
  }
}

/**
 * The column of a COPY context line `COPY t, line 3, column c: "value"` (or `column c: null
 * input`, or bare `column c` in binary COPY). Table and column names are written unquoted, so the
 * name is found among the columns written (the longest that fits, as `a` and `a: b` both could),
 * in the last COPY line (a trigger's or function's context comes before it).
 */
export function copyContextColumn(where: string | undefined, columns: readonly string[]): string | undefined {
  if (where === undefined) return undefined;
  const copyLines = where.split('\n').filter((l) => l.startsWith('COPY '));
  const line = copyLines.at(-1);
  if (line === undefined) return undefined;
  let best: string | undefined;
  for (const m of line.matchAll(/, line \d+, column /g)) {
    const rest = line.slice(m.index + m[0].length);
    for (const c of columns) {
      if ((rest === c || rest.startsWith(`${c}: `)) && (best === undefined || c.length > best.length)) best = c;
    }
  }
  return best;
}

/**
 * The column names of a key detail, `Key (a, "B c")=(…) …`: bare or double-quoted identifiers
 * (quotes doubled inside), in order. Undefined when it is not such a list (an expression index's
 * `Key (lower(email))=…`, or no detail).
 */
export function detailKeyColumns(detail: string | undefined): readonly string[] | undefined {
  if (detail === undefined || !detail.startsWith('Key (')) return undefined;
  const out: string[] = [];
  let at = 'Key ('.length;
  for (;;) {
    if (detail[at] === '"') {
      let name = '';
      let i = at + 1;
      for (;;) {
        const q = detail.indexOf('"', i);
        if (q < 0) return undefined;
        name += detail.slice(i, q);
        if (detail[q + 1] === '"') {
          name += '"';
          i = q + 2;
        } else {
          at = q + 1;
          break;
        }
      }
      out.push(name);
    } else {
      // quote_identifier leaves only lower-case letters, digits, _ and $ bare.
      const m = /^[a-z_][a-z0-9_$]*/.exec(detail.slice(at));
      if (!m) return undefined;
      out.push(m[0]);
      at += m[0].length;
    }
    if (detail.startsWith(', ', at)) at += 2;
    else if (detail.startsWith(')=(', at)) return out;
    else return undefined;
  }
}

/** The catalog query for TargetTransaction.constraintColumns: a constraint's columns, else a unique index's. */
export const CONSTRAINT_COLUMNS_SQL = `
SELECT a.attname AS name
FROM pg_class t
JOIN pg_namespace n ON n.oid = t.relnamespace
CROSS JOIN LATERAL (
  SELECT k FROM (
    SELECT conkey AS k, 0 AS pref FROM pg_constraint WHERE conrelid = t.oid AND conname = $3
    UNION ALL
    SELECT i.indkey::int2[], 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = t.oid AND ic.relname = $3
  ) found ORDER BY pref LIMIT 1
) c
CROSS JOIN LATERAL unnest(c.k) WITH ORDINALITY AS u(attnum, ord)
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = u.attnum
WHERE n.nspname = coalesce($1, current_schema()) AND t.relname = $2
ORDER BY u.ord`;
