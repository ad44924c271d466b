import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RejectRecord } from '../../src/exec/control-schema.js';
import { RejectBuffer } from '../../src/exec/reject-buffer.js';

function record(i: number, value: string | undefined): RejectRecord {
  return { runId: 'r', stepFingerprint: 'f', chunkNo: 3, sourceTable: 's.t', targetTable: 'public.t', key: `id=${i}`, column: value === undefined ? undefined : 'c', value, reason: `reason ${i}`, at: '2026-01-01T00:00:00Z' };
}

async function all(buffer: RejectBuffer): Promise<RejectRecord[]> {
  const out: RejectRecord[] = [];
  for await (const r of buffer.records()) out.push(r);
  return out;
}

const spillDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('dmsplan-rejects-'));

describe('RejectBuffer', () => {
  it('gives back every record in order, whether held in memory or spilled to disk', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }), { maxLength: 3000 }), fc.integer({ min: 0, max: 50 }), async (values, inMemory) => {
        const buffer = new RejectBuffer(inMemory);
        const expected = values.map((v, i) => record(i, v));
        for (const r of expected) buffer.push(r);
        expect(buffer.count).toBe(expected.length);
        // JSON drops undefined fields: compare as the rejects table would store them.
        expect((await all(buffer)).map((r) => ({ ...r }))).toEqual(expected.map((r) => JSON.parse(JSON.stringify(r))));
        buffer.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it('keeps only the first records in memory and removes its spill file when disposed', async () => {
    const before = new Set(spillDirs());
    const buffer = new RejectBuffer(10);
    for (let i = 0; i < 5000; i++) buffer.push(record(i, 'x'.repeat(100)));
    const created = spillDirs().filter((d) => !before.has(d));
    expect(created).toHaveLength(1);
    expect((await all(buffer)).map((r) => r.key)).toEqual(Array.from({ length: 5000 }, (_, i) => `id=${i}`));
    buffer.dispose();
    buffer.dispose();
    expect(existsSync(`${tmpdir()}/${created[0]}`)).toBe(false);
  });

  it('gives the same records in batches of at most the asked size, none empty', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 300 }), async (n, inMemory, size) => {
        const buffer = new RejectBuffer(inMemory);
        for (let i = 0; i < n; i++) buffer.push(record(i, 'v'));
        const batches: RejectRecord[][] = [];
        for await (const b of buffer.batches(size)) batches.push(b);
        expect(batches.every((b) => b.length > 0 && b.length <= size)).toBe(true);
        expect(batches.flat().map((r) => r.key)).toEqual(Array.from({ length: n }, (_, i) => `id=${i}`));
        buffer.dispose();
      }),
      { numRuns: 30 },
    );
  });
});
