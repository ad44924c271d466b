/**
 * What SQLite blamed when it refused a row: its NOT NULL and UNIQUE messages name `table.column`
 * (a unique key's columns `, `-separated). Its CHECK message names the constraint or the
 * expression, not columns: no column then. Pure: the error's code and message, no I/O.
 */
import type { Refusal } from '../contract.js';

/**
 * The refusal named by a SQLite constraint error `code`/`message` from a write of `columns` into
 * `table`, or undefined. Names are written unquoted, so the columns written decide where one ends.
 */
export function sqliteRefusal(code: string | undefined, message: string, table: string, columns: readonly string[]): Refusal | undefined {
  switch (code) {
    case 'SQLITE_CONSTRAINT_NOTNULL': {
      const named = /^NOT NULL constraint failed: (.*)$/s.exec(message)?.[1];
      const column = named?.startsWith(`${table}.`) ? named.slice(table.length + 1) : undefined;
      return column !== undefined && columns.includes(column) ? { columns: [column] } : undefined;
    }
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY': {
      const named = /^UNIQUE constraint failed: (.*)$/s.exec(message)?.[1];
      if (named === undefined || !named.startsWith(`${table}.`)) return undefined;
      const found = uniqueColumns(named.slice(table.length + 1), table, columns);
      return found === undefined ? undefined : { columns: found };
    }
    default:
      return undefined;
  }
}

/** `a, t.b, t.c` (the text after the first `t.`) split into written columns; undefined if it does not split so. */
function uniqueColumns(rest: string, table: string, columns: readonly string[]): readonly string[] | undefined {
  if (rest === '') return [];
  const separator = `, ${table}.`;
  // Longest first: a column named `a, t.b` is one column when there is one.
  for (const c of [...columns].sort((a, b) => b.length - a.length)) {
    if (rest === c) return [c];
    if (rest.startsWith(c + separator)) {
      const tail = uniqueColumns(rest.slice(c.length + separator.length), table, columns);
      if (tail !== undefined && tail.length > 0) return [c, ...tail];
    }
  }
  return undefined;
}
