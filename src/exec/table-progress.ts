/**
 * A table's copy progress while several of its chunks may be under way at once: finished chunks
 * are summed once, each running chunk keeps its own counts (reset when it is retried, since the
 * rolled-back attempt's rows no longer count), and every report is the sum of both.
 */
export interface Counts {
  read: number;
  written: number;
  rejected: number;
  bytes: number;
  /**
   * Rows of a running chunk not counted yet, estimated from its bytes: the binary passthrough
   * counts its rows only when the chunk commits. 0 once the chunk's count is known.
   */
  streaming: number;
}

export function zeroCounts(): Counts {
  return { read: 0, written: 0, rejected: 0, bytes: 0, streaming: 0 };
}

export class TableProgress {
  private readonly finished: Counts;
  private readonly running = new Map<number, Counts>();

  constructor(
    already: Counts,
    private readonly emit: (totals: Counts) => void,
  ) {
    this.finished = { ...already };
  }

  /** Fresh counts for an attempt at chunk `chunkNo`. */
  start(chunkNo: number): Counts {
    const counts = zeroCounts();
    this.running.set(chunkNo, counts);
    return counts;
  }

  /** The chunk committed: its counts become part of the finished total. */
  finish(chunkNo: number): void {
    const counts = this.running.get(chunkNo);
    if (!counts) return;
    this.running.delete(chunkNo);
    add(this.finished, counts);
  }

  /** The chunk failed for good: its rolled-back rows do not count. */
  forget(chunkNo: number): void {
    this.running.delete(chunkNo);
  }

  totals(): Counts {
    const t = { ...this.finished };
    for (const c of this.running.values()) add(t, c);
    return t;
  }

  report(): void {
    this.emit(this.totals());
  }
}

function add(into: Counts, c: Counts): void {
  into.read += c.read;
  into.written += c.written;
  into.rejected += c.rejected;
  into.bytes += c.bytes;
  into.streaming += c.streaming;
}
