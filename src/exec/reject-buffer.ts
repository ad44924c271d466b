/**
 * The rejected rows of one chunk, held until the chunk's bulk write ends (its connection is busy
 * with the COPY until then, and the rejects are written in the same transaction). The first
 * `inMemory` stay in memory; the rest go to a temporary file of JSON lines, so a chunk whose rows
 * are all rejected costs disk, not memory: memory stays flat whatever the chunk size.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RejectRecord } from './control-schema.js';

const LINES_PER_WRITE = 1000;

export class RejectBuffer {
  private readonly held: RejectRecord[] = [];
  private pending: string[] = [];
  private spill: { readonly dir: string; readonly file: string; readonly fd: number } | undefined;
  private total = 0;

  constructor(private readonly inMemory = 10_000) {}

  get count(): number {
    return this.total;
  }

  push(record: RejectRecord): void {
    this.total++;
    if (this.held.length < this.inMemory) {
      this.held.push(record);
      return;
    }
    this.pending.push(JSON.stringify(record));
    if (this.pending.length >= LINES_PER_WRITE) this.flush();
  }

  /** Every record, in the order pushed. */
  async *records(): AsyncGenerator<RejectRecord> {
    yield* this.held;
    if (this.spill) {
      this.flush();
      const lines = createInterface({ input: createReadStream(this.spill.file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const line of lines) if (line) yield JSON.parse(line) as RejectRecord;
    } else {
      for (const line of this.pending) yield JSON.parse(line) as RejectRecord;
    }
  }

  /** Every record, in the order pushed, in arrays of up to `size` (for multi-row inserts). */
  async *batches(size = 500): AsyncGenerator<RejectRecord[]> {
    let batch: RejectRecord[] = [];
    for await (const r of this.records()) {
      batch.push(r);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  /** Removes the spill file (idempotent). */
  dispose(): void {
    if (!this.spill) return;
    closeSync(this.spill.fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = undefined;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    if (!this.spill) {
      const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-rejects-'));
      const file = path.join(dir, 'rejects.jsonl');
      this.spill = { dir, file, fd: openSync(file, 'a') };
    }
    writeSync(this.spill.fd, this.pending.join('\n') + '\n');
    this.pending = [];
  }
}
