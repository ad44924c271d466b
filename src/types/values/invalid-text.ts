/**
 * Bytes a source holds as TEXT that are not UTF-8 (SQLite does not check; a SQL_ASCII PostgreSQL
 * neither). They travel as a Buffer, which is also how a BLOB travels: in a column whose values
 * may be either — a SQLite column with no declared type — the two would be indistinguishable, and
 * the invalid text would arrive as a BLOB or as '\x…' hex text without a word. The reader marks
 * such a Buffer, and every converter rejects it (compileConverter), as it rejects invalid text
 * in a text column.
 */
import type { Value } from '../logical.js';

const INVALID_TEXT: unique symbol = Symbol('dmsplan.invalidText');

/** Marks `bytes` as TEXT that is not UTF-8; returns them. */
export function markInvalidText(bytes: Buffer): Buffer {
  Object.defineProperty(bytes, INVALID_TEXT, { value: true, enumerable: false });
  return bytes;
}

export function isInvalidText(v: Value): boolean {
  return typeof v === 'object' && v !== null && (v as { [INVALID_TEXT]?: boolean })[INVALID_TEXT] === true;
}
