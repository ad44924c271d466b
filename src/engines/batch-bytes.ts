/**
 * A read batch ends at its row count or at about this many bytes of values, whichever comes first.
 * Rows of a few hundred bytes never reach it (2,000 of them are well under); wide rows — BLOBs or
 * documents of megabytes — then travel a few at a time instead of thousands, so memory follows the
 * batch size, not the row width times the row count.
 */
export const BATCH_BYTES = 8 * 1024 * 1024;

/** About how many bytes a decoded row's values take: text by length, binary by size, others a word. */
export function rowBytes(row: readonly unknown[]): number {
  let bytes = 0;
  for (const v of row) bytes += typeof v === 'string' ? v.length : v instanceof Uint8Array ? v.byteLength : 8;
  return bytes;
}
