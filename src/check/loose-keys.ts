/**
 * MySQL compares text under its column's collation: a `_ci` one ignores case (and often accents),
 * and every PAD SPACE one (all but NO PAD and MySQL 8's 0900 collations) ignores trailing spaces.
 * A foreign key there matches child 'ABC' to parent 'abc', or 'abc ' to 'abc'. PostgreSQL and SQLite
 * compare text exactly, so on such a target those child rows point at no parent row and move to the
 * rejects table when the key is added. The plan says so (DMS3459), and the rejects say why.
 */
import { warning, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { ColumnCatalog, ForeignKeyCatalog, TableCatalog } from '../schema/catalog.js';

/** Whether a MySQL collation finds values equal that differ in their characters (case, accents, trailing spaces). */
export function comparesLoosely(collation: string): boolean {
  if (collation === 'binary') return false;
  if (/_ci$|_ai_/.test(collation)) return true;
  // NO PAD: MariaDB's *_nopad_* and MySQL 8's utf8mb4_0900_*; the rest pad with spaces.
  return !/nopad|_0900_/.test(collation);
}

/** The loose collation of a foreign key's text columns on the source, where the target compares them exactly. */
export function looseForeignKey(fk: ForeignKeyCatalog, table: TableCatalog, keepsCollations: boolean): string | undefined {
  if (keepsCollations) return undefined;
  const loose = fk.columns
    .map((name) => table.columns.find((c) => c.name === name))
    .find((c): c is ColumnCatalog => c !== undefined && c.logical.kind === 'text' && c.collation !== undefined && comparesLoosely(c.collation));
  return loose?.collation;
}

export function warnLooseForeignKey(fk: ForeignKeyCatalog, collation: string, what: string, target: string, span: Span | undefined, diagnostics: Diagnostic[]): void {
  diagnostics.push(
    warning(
      'DMS3459',
      `${what}: foreign key ${fk.name} (${fk.columns.join(', ')}) matches rows under the source collation "${collation}", which ignores case or trailing spaces; ${target} compares the values exactly, so a child row that matches its parent only so ('ABC' or 'abc ' for 'abc') moves to the rejects table when the key is added`,
      span,
      'to keep such rows, make the values agree on the source first (UPDATE child JOIN parent … SET child.col = parent.col), or leave the key out of the target',
    ),
  );
}
