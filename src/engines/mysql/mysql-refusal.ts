/**
 * What MySQL/MariaDB blamed when they refused a row: the column (or key, or constraint) their
 * message names, for the rejects table's column and value. Pure: reads the error number and the
 * message, no I/O. The servers write names inside quotes without escaping them (MariaDB shows the
 * column `b``t` as `b`t`), so where a message could be split two ways the names written (`columns`)
 * and the table's name decide.
 */
import type { Refusal } from '../contract.js';

/**
 * The refusal named by the message of a MySQL/MariaDB data error `errno` raised by a write of
 * `columns` into `table`, or undefined when the message names nothing this knows.
 */
export function mysqlRefusal(errno: string | undefined, message: string, table: string, columns: readonly string[]): Refusal | undefined {
  const one = (column: string | undefined): Refusal | undefined => (column === undefined ? undefined : { columns: [column] });
  switch (errno) {
    case '1048': // Column 'x' cannot be null
      return one(/^Column '(.*)' cannot be null$/s.exec(message)?.[1]);
    case '1406': // Data too long for column 'x' at row N
    case '1264': // Out of range value for column 'x' at row N
    case '1265': // Data truncated for column 'x' at row N (an ENUM/SET value it does not have)
      return one(/ for column '(.*)' at row \d+$/s.exec(message)?.[1]);
    case '1366': // Incorrect integer value: '…' for column `db`.`t`.`x` at row N (MySQL 5.7: 'x')
    case '1292': // Incorrect date value: '…' for column …
    case '1367': // Illegal … value found during parsing
      return one(incorrectValueColumn(message, columns));
    case '1062': {
      // Duplicate entry 'v' for key 'k' (MySQL 8: 't.k'): the key's columns are in the catalog.
      const key = /^Duplicate entry .*' for key '(.*)'$/s.exec(message)?.[1];
      return key === undefined ? undefined : { columns: [], constraint: key };
    }
    case '1452': // Cannot add or update a child row: … CONSTRAINT `fk` FOREIGN KEY (`a`, `b`) REFERENCES …
      return foreignKeyColumns(message);
    case '4025': {
      // MariaDB: CONSTRAINT `name` failed for `db`.`t`; a column's own CHECK is named `t.column`.
      const name = /^CONSTRAINT `(.*)` failed for `/s.exec(message)?.[1];
      if (name === undefined) return undefined;
      const column = columns.find((c) => name === `${table}.${c}`);
      return column !== undefined ? { columns: [column] } : { columns: [], constraint: name };
    }
    case '3819': {
      // MySQL 8: Check constraint 'name' is violated.
      const name = /^Check constraint '(.*)' is violated\.?$/s.exec(message)?.[1];
      return name === undefined ? undefined : { columns: [], constraint: name };
    }
    default:
      return undefined;
  }
}

/**
 * The column of `… for column `db`.`t`.`x` at row N` (MySQL 8, MariaDB) or `… for column 'x' at
 * row N` (MySQL 5.7): among `columns`, the longest whose quoted name ends the text before ` at row`;
 * else the last backquoted part.
 */
export function incorrectValueColumn(message: string, columns: readonly string[]): string | undefined {
  const m = / for column (.*) at row \d+$/s.exec(message);
  if (!m) return undefined;
  const named = m[1]!;
  let best: string | undefined;
  for (const c of columns) {
    if ((named.endsWith(`.\`${c}\``) || named === `'${c}'` || named === `\`${c}\``) && (best === undefined || c.length > best.length)) best = c;
  }
  if (best !== undefined) return best;
  const quoted = /'(.*)'$/s.exec(named) ?? /`([^`]*)`$/.exec(named);
  return quoted?.[1];
}

/** The referencing columns of a foreign key failure: `FOREIGN KEY (`a`, `b`) REFERENCES`. */
export function foreignKeyColumns(message: string): Refusal | undefined {
  const m = /FOREIGN KEY \(`(.*)`\) REFERENCES /s.exec(message);
  if (!m) return undefined;
  const constraint = /CONSTRAINT `(.*?)` FOREIGN KEY \(/s.exec(message)?.[1];
  return { columns: m[1]!.split('`, `'), ...(constraint !== undefined ? { constraint } : {}) };
}

/**
 * The columns a CHECK clause as the catalog keeps it (`h` > 0 and `d` is not null) names: the
 * table's columns, in the table's order, whose backquoted name (backquotes doubled) it contains.
 */
export function checkClauseColumns(clause: string, tableColumns: readonly string[]): readonly string[] {
  const named = new Set([...clause.matchAll(/`((?:[^`]|``)*)`/g)].map((m) => m[1]!.replace(/``/g, '`')));
  return tableColumns.filter((c) => named.has(c));
}
