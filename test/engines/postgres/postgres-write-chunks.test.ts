import { describe, expect, it } from 'vitest';
import { CopyTextRowParser } from '../../../src/engines/postgres/postgres-copy-text.js';
import { copyTextChunks } from '../../../src/engines/postgres/postgres-write.js';
import type { WriteColumn } from '../../../src/engines/contract.js';
import type { Row } from '../../../src/types/logical.js';

const COLUMNS = [
  { name: 'id', logical: { kind: 'int', bits: 32, unsigned: false } },
  { name: 'b', logical: { kind: 'binary', length: undefined, fixed: false } },
  { name: 't', logical: { kind: 'text', length: undefined, fixed: false } },
] as unknown as readonly WriteColumn[];

async function* batches(rows: readonly Row[]): AsyncGenerator<readonly Row[]> {
  yield rows;
}

async function chunks(rows: readonly Row[], chunkBytes: number, splitRows: boolean): Promise<string[]> {
  const out: string[] = [];
  for await (const c of copyTextChunks({ schema: 's', name: 't' }, COLUMNS, batches(rows), { rows: 0 }, chunkBytes, splitRows)) out.push(c);
  return out;
}

describe('COPY text chunks of decoded rows', () => {
  const big = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 7 }, (_, i) => (i * 7) % 256));
  // Text of 1.5M characters: tabs and backslashes to escape, a surrogate pair on every piece edge.
  const longText = 'é😀\t\\\n'.repeat(256 * 1024);
  const rows: Row[] = [['1', Buffer.from([0, 255]), 'a\tb'], ['2', big, 'after'], ['3', null, longText], ['4', big.subarray(0, 1000), '\\']];

  it('writes a binary value larger than a chunk a chunk at a time: no string of twice its size', async () => {
    const out = await chunks(rows, 64 * 1024, true);
    // 64 KB of bytes is 128 KB of hex (64 K characters of text at most twice that escaped): nothing
    // near the 6 MB the whole value's hex was, or the whole text escaped.
    expect(Math.max(...out.map((c) => c.length))).toBeLessThanOrEqual(2 * 64 * 1024 + 64);
    const parsed: Row[] = [];
    const parser = new CopyTextRowParser(COLUMNS.map((c) => c.logical));
    for (const c of out) parser.push(Buffer.from(c, 'utf8'), parsed);
    parser.finish(parsed);
    // Buffers compared by equals(): toEqual walks 3 MB element by element.
    expect(parsed.map((r) => r.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))).toEqual(rows.map((r) => r.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v))));
  });

  it('refuses NUL in a long text as a data error naming the column', async () => {
    await expect(chunks([['1', null, `${'x'.repeat(100_000)}\u0000`]], 64 * 1024, true)).rejects.toMatchObject({ kind: 'data', message: expect.stringContaining('t: a value contains a NUL') });
  });

  it('ends every chunk at a row when a chunk is a COPY statement of its own (PGlite)', async () => {
    const out = await chunks(rows, 64 * 1024, false);
    for (const c of out) expect(c.endsWith('\n')).toBe(true);
    expect(out.join('')).toBe((await chunks(rows, 64 * 1024, true)).join(''));
  });
});
