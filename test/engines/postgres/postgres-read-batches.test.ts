import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BATCH_BYTES } from '../../../src/engines/batch-bytes.js';
import { CopyTextRowParser } from '../../../src/engines/postgres/postgres-copy-text.js';
import { batchesOf } from '../../../src/engines/postgres/postgres-read.js';
import type { Row } from '../../../src/types/logical.js';

const TEXT_ROW = [{ kind: 'int', bits: 32, unsigned: false }, { kind: 'text', length: undefined, fixed: false }] as const;

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(text: string, chunk: number, batchRows: number): Promise<Row[][]> {
  const out: Row[][] = [];
  for await (const b of batchesOf(new CopyTextRowParser([...TEXT_ROW]), chunksOf(text, chunk), batchRows)) out.push(b);
  return out;
}

describe('batchesOf (COPY text rows into batches)', () => {
  it('hands over every row once, in order, in batches of at most batchRows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 20 }).map((s) => s.replace(/[\\\t\n\r]/g, '')), { maxLength: 60 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 9 }), async (texts, chunk, batchRows) => {
        const batches = await collect(texts.map((t, i) => `${i}\t${t}\n`).join(''), chunk, batchRows);
        expect(batches.flat()).toEqual(texts.map((t, i) => [String(i), t]));
        for (const b of batches) {
          expect(b.length).toBeGreaterThan(0);
          expect(b.length).toBeLessThanOrEqual(batchRows);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('ends a batch after about BATCH_BYTES of rows: multi-megabyte rows travel a few at a time, not batchRows at once', async () => {
    const wide = 'x'.repeat(3 * 1024 * 1024);
    const text = Array.from({ length: 9 }, (_, i) => `${i}\t${wide}\n`).join('');
    const batches = await collect(text, 64 * 1024, 2000);
    expect(batches.flat().length).toBe(9);
    const perBatch = Math.ceil(BATCH_BYTES / wide.length);
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(9 / perBatch));
    for (const b of batches) expect(b.length).toBeLessThanOrEqual(perBatch);
  });
});
