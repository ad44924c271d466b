/** Rows per chunk when the plan does not say: big enough to amortise a commit, small enough to redo. */
export const DEFAULT_CHUNK_ROWS = 100_000;
