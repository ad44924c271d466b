/**
 * CopyTextWriter builds the same COPY text as the canonical encoder (CopyTextRowEncoder), whichever
 * way each field arrives — bytes of canonical text, binary bytes or decoded values — with rows
 * never split across chunks and rejected rows leaving no trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WriteColumn } from '../../../src/engines/contract.js';
import { CopyTextWriter } from '../../../src/engines/postgres/postgres-copy-bytes.js';
import { CopyTextRowEncoder } from '../../../src/engines/postgres/postgres-copy-text.js';
import type { Value } from '../../../src/types/logical.js';

const native = (name: string) => ({ name, params: [], unsigned: false, text: name });
const COLUMNS: readonly WriteColumn[] = [
  { name: 't', native: native('text'), logical: { kind: 'text', length: undefined, fixed: false } },
  { name: 'b', native: native('bytea'), logical: { kind: 'binary', length: undefined, fixed: false } },
  { name: 'z', native: native('timestamptz'), logical: { kind: 'timestamptz', precision: 6 } },
  { name: 'n', native: native('bigint'), logical: { kind: 'int', bits: 64, unsigned: false } },
];

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('a\\b', '\t\n\r', '\\N', 'é✓😀'), fc.integer({ min: 70_000, max: 70_010 }).map((n) => 'é\t'.repeat(n / 2)));
const row = fc.record({
  t: fc.option(text.filter((s) => !s.includes('\u0000'))),
  b: fc.option(fc.uint8Array({ maxLength: 50 })),
  z: fc.constantFrom('2024-01-02 03:04:05.123456', '1999-12-31 23:59:59'),
  n: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)),
  bytesPath: fc.boolean(),
  rejected: fc.boolean(),
});

describe('CopyTextWriter', () => {
  it('writes what the canonical encoder writes, and leaves rejected rows out', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const writer = new CopyTextWriter(COLUMNS, 'public.t');
        const encoder = new CopyTextRowEncoder(COLUMNS, 'public.t');
        let expected = '';
        for (const r of rows) {
          const canonical: Value[] = [r.t, r.b === null ? null : Buffer.from(r.b), `${r.z}+00:00`, r.n];
          if (r.bytesPath && r.t !== null) {
            const b = Buffer.from(`xx${r.t}yy`, 'utf8');
            writer.text(b, 2, b.length - 2, '');
          } else writer.value(canonical[0]!, 0);
          if (r.bytesPath && r.b !== null) writer.bytes(Buffer.from(r.b), 0, r.b.length);
          else writer.value(canonical[1]!, 1);
          if (r.bytesPath) writer.text(Buffer.from(r.z, 'latin1'), 0, r.z.length, '+00:00');
          else writer.value(canonical[2]!, 2);
          if (r.rejected) {
            writer.abortRow();
            continue;
          }
          writer.value(canonical[3]!, 3);
          writer.endRow();
          expected += encoder.encodeRow(canonical);
        }
        const chunks = [...writer.take(false), ...writer.take(true)];
        for (const c of chunks) expect(c[c.length - 1], 'every chunk ends with a whole row').toBe(0x0a);
        expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });
});
