/**
 * How many rows a chunk holds when the plan does not say. A chunk is the unit of checkpoint, retry
 * and careful-mode redo, and each one costs a range read on the source (an index scan where a whole
 * table is one sequential pass: on PostgreSQL, 10 ranges of 100k rows read in 2.1 s what one pass
 * reads in 1.35 s) and a commit. So chunks aim at a size in bytes, not rows: about CHUNK_TARGET_BYTES
 * of source data, which is seconds of work to redo after an interruption.
 */

/** The chunk size aimed at, from the source's own estimate of the table's size. */
export const CHUNK_TARGET_BYTES = 128 * 1024 * 1024;

/** Rows per chunk when the source gives no size (SQLite), or gives a size without rows. */
export const DEFAULT_CHUNK_ROWS = 100_000;

/** Bounds on the size-derived count: many narrow rows still redo in seconds; huge rows still chunk. */
export const MIN_CHUNK_ROWS = 10;
export const MAX_CHUNK_ROWS = 1_000_000;

export function defaultChunkRows(table: { readonly rowEstimate: number; readonly bytesEstimate?: number }): number {
  const { rowEstimate, bytesEstimate } = table;
  if (!(rowEstimate > 0) || bytesEstimate === undefined || !(bytesEstimate > 0)) return DEFAULT_CHUNK_ROWS;
  const rowBytes = bytesEstimate / rowEstimate;
  return Math.min(MAX_CHUNK_ROWS, Math.max(MIN_CHUNK_ROWS, Math.round(CHUNK_TARGET_BYTES / rowBytes)));
}
