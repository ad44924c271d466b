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
import { passesByteRule, type ByteRule } from '../../../src/types/byte-rules.js';
import type { Value } from '../../../src/types/logical.js';

const native = (name: string) => ({ name, params: [], unsigned: false, text: name });
const COLUMNS: readonly WriteColumn[] = [
  { name: 't', native: native('text'), logical: { kind: 'text', length: undefined, fixed: false } },
  { name: 'b', native: native('bytea'), logical: { kind: 'binary', length: undefined, fixed: false } },
  { name: 'z', native: native('timestamptz'), logical: { kind: 'timestamptz', precision: 6 } },
  { name: 'n', native: native('bigint'), logical: { kind: 'int', bits: 64, unsigned: false } },
];

/**
 * Text dense in bytes that need an escape or a check, at every position of a four-byte word (the
 * writer copies words without any such byte whole, the rest byte by byte).
 */
const dense = fc.string({ unit: fc.constantFrom('a', 'Z', '~', ' ', '\x7f', '\t', '\n', '\r', '\\', '\u0000', '\u0001', '\u000b', '\u000e', 'é', '✓', '😀'), maxLength: 24 });
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), dense, fc.constantFrom('a\\b', '\t\n\r', '\\N', 'é✓😀'), fc.integer({ min: 70_000, max: 70_010 }).map((n) => 'é\t'.repeat(n / 2)));
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

describe('CopyTextWriter.checkedText', () => {
  const RULES: readonly ByteRule[] = ['any', 'utf8', 'utf8_no_nul', 'json_utf8_no_nul_escape'];
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 30 }),
    fc.string({ unit: 'binary', maxLength: 20 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
    fc.json().map((j) => new Uint8Array(Buffer.from(j, 'utf8'))),
    dense.map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
    fc.constantFrom('\\u0000', '\\\\u0000', '{"a":"\\\\\\u0000"}', 'tab\there\nnl\r\\', 'nul\u0000', 'é✓😀', '\\u000', 'é\\u0').map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
    // Long enough to make the writer move the row under way to a new buffer.
    fc.integer({ min: 40_000, max: 40_004 }).map((n) => new Uint8Array(Buffer.from(`${'é\t'.repeat(n / 2)}${n % 2 ? '\u0000' : ''}`, 'utf8'))),
  );
  // What follows the value in its buffer: continuation bytes that would complete a cut sequence, or
  // digits that would complete a cut \u0000 — a check that strays past the value's end shows.
  const after = fc.constantFrom([0x80, 0x80, 0x80, 0x5c], [0x30, 0x30, 0x30, 0x30, 0x00]);
  const field = fc.record({ bytes: body, rule: fc.constantFrom(...RULES), suffix: fc.constantFrom('', '+00:00'), after });

  it('writes what text() writes when the bytes follow the rule, and nothing when they do not', () => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), (rows) => {
        const checked = new CopyTextWriter(COLUMNS, 'public.t');
        const reference = new CopyTextWriter(COLUMNS, 'public.t');
        for (const fields of rows) {
          for (const f of fields) {
            const b = Buffer.concat([Buffer.from([0xff, 0x5c]), Buffer.from(f.bytes), Buffer.from(f.after)]);
            const passes = passesByteRule(f.rule, b, 2, 2 + f.bytes.length);
            expect(checked.checkedText(b, 2, 2 + f.bytes.length, f.suffix, f.rule)).toBe(passes);
            if (passes) reference.text(b, 2, 2 + f.bytes.length, f.suffix);
            // The next field follows as if the refused one had never been offered.
            checked.value('x', 0);
            reference.value('x', 0);
          }
          checked.endRow();
          reference.endRow();
        }
        const all = (w: CopyTextWriter) => Buffer.concat([...w.take(false), ...w.take(true)]);
        expect(all(checked).equals(all(reference))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
