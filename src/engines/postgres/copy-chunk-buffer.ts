/**
 * The buffer a COPY writer builds its rows in, field by field (text or binary format): rows are
 * collected into chunks of about 64 KB — one CopyData message each — and never split across two,
 * so that a row under way, or its last field, can be taken back by moving a counter or two.
 */

const CHUNK_BYTES = 64 * 1024;
/**
 * Room past a chunk's end for the row that crosses it, so that most rows fit without moving. Each
 * buffer is native memory handed to the socket; allocating twice the chunk (as before) doubled
 * what V8 counts as external memory, and it collects garbage more often the more there is.
 */
const SLACK_BYTES = 16 * 1024;

export abstract class CopyChunkBuffer {
  protected out: Buffer = Buffer.allocUnsafe(CHUNK_BYTES + SLACK_BYTES);
  /** `out` read and written four bytes at a time. */
  protected outWords = wordsOf(this.out);
  protected pos = 0;
  /** Where the row being built starts: a rejected row is cut back to here. */
  protected rowStart = 0;
  /** Fields written of the row under way; the next field is that column's. */
  protected fields = 0;
  private ready: Buffer[] = [];
  /** The source buffer last read a word at a time, and its view (rows of a batch share a few). */
  private source: Buffer | undefined;
  private sourceWords: DataView | undefined;

  /** Drops the row under way. */
  abortRow(): void {
    this.pos = this.rowStart;
    this.fields = 0;
  }

  /** Ends the row just built: it is kept, and a full chunk is set aside. */
  protected closeRow(): void {
    this.fields = 0;
    this.rowStart = this.pos;
    if (this.pos >= CHUNK_BYTES) {
      this.ready.push(this.out.subarray(0, this.pos));
      this.use(Buffer.allocUnsafe(CHUNK_BYTES + SLACK_BYTES));
      this.pos = 0;
      this.rowStart = 0;
    }
  }

  /** Drops the field under way: the writer is as it was at `mark`, with `fields` fields. */
  protected takeBack(mark: number, fields: number): false {
    this.pos = mark;
    this.fields = fields;
    return false;
  }

  /** `buf` read four bytes at a time. */
  protected wordsOfSource(buf: Buffer): DataView {
    if (buf !== this.source || this.sourceWords === undefined) {
      this.source = buf;
      this.sourceWords = wordsOf(buf);
    }
    return this.sourceWords;
  }

  /** Completed chunks since the last call and, with `all`, the rest of the whole rows. */
  protected takeChunks(all: boolean): Buffer[] {
    if (all && this.rowStart > 0) {
      this.ready.push(this.out.subarray(0, this.rowStart));
      this.use(Buffer.allocUnsafe(0));
      this.pos = 0;
      this.rowStart = 0;
    }
    const taken = this.ready;
    this.ready = [];
    return taken;
  }

  /** Room for `n` more bytes; a row under way moves to the new buffer whole. */
  protected reserve(n: number): void {
    if (this.pos + n <= this.out.length) return;
    const partial = this.pos - this.rowStart;
    const next = Buffer.allocUnsafe(Math.max(CHUNK_BYTES + SLACK_BYTES, partial + n + SLACK_BYTES));
    this.out.copy(next, 0, this.rowStart, this.pos);
    if (this.rowStart > 0) this.ready.push(this.out.subarray(0, this.rowStart));
    this.use(next);
    this.pos = partial;
    this.rowStart = 0;
  }

  private use(next: Buffer): void {
    this.out = next;
    this.outWords = wordsOf(next);
  }
}

export function wordsOf(buf: Buffer): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}
