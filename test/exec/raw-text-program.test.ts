/**
 * The raw-text program (MySQL wire text → PostgreSQL COPY text) against the decoded path it stands
 * in for: the row program on decoded values, then the canonical COPY encoder. On generated rows —
 * ordinary values and the ones every guard must send down the decoded path (zero dates, too long,
 * ill-formed UTF-8, NUL, \u0000 in JSON, labels that are not labels, values the target refuses) —
 * the COPY text, the rejected rows and the checksums must be the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnMapping, TableMapping } from '../../src/check/checked-plan.js';
import type { RawTextRows, RawTextSource } from '../../src/engines/contract.js';
import { BinaryRawBatchBuilder, binaryFieldLayout, LENGTH_ENCODED, RawBatchBuilder } from '../../src/engines/mysql/mysql-raw-rows.js';
import { decoderFor, mysqlWireForm, rawTextForm, wireDecoderFor } from '../../src/engines/mysql/mysql-read.js';
import { CopyBinaryWriter, type BinaryLayout } from '../../src/engines/postgres/postgres-copy-binary.js';
import { CopyTextWriter } from '../../src/engines/postgres/postgres-copy-bytes.js';
import { CopyTextRowEncoder } from '../../src/engines/postgres/postgres-copy-text.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { normaliserFor, RowChecksum } from '../../src/exec/checksum.js';
import { compileRawTextProgram } from '../../src/exec/raw-text-program.js';
import { compileRowProgram, describeKey, isRejection, type RowProgram, type RowRejection } from '../../src/exec/row-program.js';
import type { ConversionName } from '../../src/types/conversion-names.js';
import type { LogicalType, Row, Value } from '../../src/types/logical.js';
import type { MaskMethod } from '../../src/ir/ir.js';

const native = (name: string, params: number[] = [], unsigned = false) => ({ name, params, unsigned, text: name });

interface Column {
  readonly name: string;
  readonly source: { readonly native: ReturnType<typeof native>; readonly logical: LogicalType };
  readonly target: { readonly native: ReturnType<typeof native>; readonly logical: LogicalType };
  readonly conversion: ConversionName;
  readonly mask?: MaskMethod;
  /** Wire text the server could send for this column (NULL aside). */
  readonly values: fc.Arbitrary<Buffer>;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const text = (max: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: max }).map(utf8),
    fc.constantFrom('tab\there', 'nl\nand\rcr', 'back\\slash', 'nul\u0000', 'Straße — ✓ 東京 😀', 'x'.repeat(max + 1), 'é'.repeat(max)).map(utf8),
    fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
  );
const day = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 31 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const labels = ['pending', 'paid', 'é✓'];

const COLUMNS: readonly Column[] = [
  { name: 'id', source: { native: native('bigint', [], true), logical: { kind: 'int', bits: 64, unsigned: true } }, target: { native: native('numeric', [20, 0]), logical: { kind: 'decimal', precision: 20, scale: 0 } }, conversion: 'none', values: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => utf8(String(n))) },
  { name: 'status', source: { native: native('enum'), logical: { kind: 'enum', values: labels, name: undefined } }, target: { native: native('orders_status'), logical: { kind: 'enum', values: labels, name: 'orders_status' } }, conversion: 'none', values: fc.constantFrom(...labels, '', 'PAID', 'paid ').map(utf8) },
  { name: 'amount', source: { native: native('decimal', [12, 2]), logical: { kind: 'decimal', precision: 12, scale: 2 } }, target: { native: native('numeric', [12, 2]), logical: { kind: 'decimal', precision: 12, scale: 2 } }, conversion: 'none', values: fc.tuple(fc.integer({ min: -9999999, max: 9999999 }), fc.integer({ min: 0, max: 99 })).map(([i, f]) => utf8(`${i}.${String(f).padStart(2, '0')}`)) },
  { name: 'weight', source: { native: native('double'), logical: { kind: 'float', bits: 64 } }, target: { native: native('double precision'), logical: { kind: 'float', bits: 64 } }, conversion: 'none', values: fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => utf8(String(x))) },
  { name: 'note', source: { native: native('varchar', [6]), logical: { kind: 'text', length: 6, fixed: false } }, target: { native: native('character varying', [6]), logical: { kind: 'text', length: 6, fixed: false } }, conversion: 'none', values: text(6) },
  { name: 'masked', source: { native: native('varchar', [20]), logical: { kind: 'text', length: 20, fixed: false } }, target: { native: native('character varying', [20]), logical: { kind: 'text', length: 20, fixed: false } }, conversion: 'none', mask: { kind: 'redact' }, values: text(10) },
  { name: 'attrs', source: { native: native('json'), logical: { kind: 'json', binary: false } }, target: { native: native('jsonb'), logical: { kind: 'json', binary: true } }, conversion: 'none', values: fc.oneof(fc.json().map(utf8), fc.constantFrom('{"a":"\\u0000"}', '{"a":"\\\\u0000"}', '["\\\\", "\\u0000"]', '{"é":"✓\\t"}').map(utf8)) },
  { name: 'created_at', source: { native: native('datetime', [3]), logical: { kind: 'timestamp', precision: 3 } }, target: { native: native('timestamp', [3]), logical: { kind: 'timestamp', precision: 3 } }, conversion: 'zero_dates_to_null', values: fc.tuple(day, fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 999 })).map(([d, h, ms]) => utf8(`${d} ${String(h).padStart(2, '0')}:59:59.${String(ms).padStart(3, '0')}`)) },
  { name: 'shipped_on', source: { native: native('date'), logical: { kind: 'date' } }, target: { native: native('date'), logical: { kind: 'date' } }, conversion: 'zero_dates_to_null', values: day.map(utf8) },
  { name: 'small', source: { native: native('bigint'), logical: { kind: 'int', bits: 64, unsigned: false } }, target: { native: native('integer'), logical: { kind: 'int', bits: 32, unsigned: false } }, conversion: 'cast', values: fc.oneof(fc.integer().map(String), fc.constantFrom('2147483648', '-2147483649')).map(utf8) },
  { name: 'blob', source: { native: native('varbinary', [8]), logical: { kind: 'binary', length: 8, fixed: false } }, target: { native: native('bytea'), logical: { kind: 'binary', length: undefined, fixed: false } }, conversion: 'none', values: fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)) },
];

const TABLE = {
  id: 'src.db.t -> dst.public.t',
  source: { endpoint: 'src', schema: 'db', table: 't', rowEstimate: 0 },
  target: { endpoint: 'dst', schema: 'public', table: 't' },
  columns: COLUMNS.map(
    (c): ColumnMapping => ({
      target: c.name,
      source: { kind: 'column', name: c.name, native: c.source.native, logical: c.source.logical },
      targetType: c.target.native,
      targetLogical: c.target.logical,
      conversion: c.conversion,
      lossless: true,
      lossReason: undefined,
      rule: { origin: 'builtin', text: '', span: undefined },
      mask: c.mask,
    }),
  ),
  where: undefined,
  sourceKey: ['id'],
  chunk: { rows: 1000, by: 'id' },
  targetDef: { columns: [] },
  span: undefined,
} as unknown as TableMapping;

const SOURCE: RawTextSource = {
  read: () => {
    throw new Error('not read here');
  },
  form: rawTextForm,
  decoder: decoderFor,
};

/** One row packet's payload: a length-encoded string per field, 0xFB for NULL. */
function packet(fields: readonly (Buffer | null)[]): Buffer {
  return Buffer.concat(
    fields.map((f) => {
      if (f === null) return Buffer.from([0xfb]);
      if (f.length < 0xfb) return Buffer.concat([Buffer.from([f.length]), f]);
      return Buffer.concat([Buffer.from([0xfc, f.length & 0xff, f.length >> 8]), f]);
    }),
  );
}

/**
 * The decoded path the raw programs stand in for: each row's text decoded, the row program run,
 * and each row it keeps handed to `write`; the rows it rejects and the checksum of those kept.
 */
function decodedPath(program: RowProgram, rows: readonly (readonly (Buffer | null)[])[], normalisers: ReturnType<typeof normaliserFor>[], write: (out: Row) => void) {
  const decoders = program.read.map(decoderFor);
  const checksum = new RowChecksum(normalisers);
  const rejects: { key: string; rejection: RowRejection }[] = [];
  for (const fields of rows) {
    const decoded: Value[] = fields.map((f, i) => (f === null ? null : decoders[i]!(f)));
    const out = program.run(decoded);
    if (isRejection(out)) rejects.push({ key: describeKey(decoded, program.keyIndexes), rejection: out });
    else {
      write(out);
      checksum.add(out);
    }
  }
  return { checksum, rejects };
}

const rowArb = fc.tuple(...COLUMNS.map((c) => (c.name === 'id' ? c.values : fc.option(c.values, { freq: 6 }))));

describe('compileRawTextProgram', () => {
  it('writes the COPY text, rejects and checksum of the decoded row program', () => {
    const program = compileRowProgram(TABLE, postgresEngine);
    const raw = compileRawTextProgram(TABLE, program, SOURCE, postgresEngine.capabilities.valueLimits);
    expect(raw, 'a raw-text program for this table').toBeDefined();
    // Every column but the masked one moves its bytes when they pass (the narrowing one within its bounds).
    expect(raw!.directColumns).toBe(COLUMNS.length - 1);
    const normalisers = program.write.map((w) => normaliserFor(w.logical));
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 7 }), (rows, perBatch) => {
        // Expected: decode, run the row program, encode.
        const encoder = new CopyTextRowEncoder(program.write, 'public.t');
        let expectedText = '';
        const expected = decodedPath(program, rows, normalisers, (out) => (expectedText += encoder.encodeRow(out)));
        const expectedChecksum = expected.checksum;
        const expectedRejects = expected.rejects;
        // Actual: the rows as packets, in batches of `perBatch`, each packet inside a larger buffer.
        const writer = new CopyTextWriter(program.write, 'public.t');
        const checksum = new RowChecksum(normalisers);
        const rejects: { key: string; rejection: RowRejection }[] = [];
        let written = 0;
        for (let from = 0; from < rows.length; from += perBatch) {
          const slice = rows.slice(from, from + perBatch);
          const builder = new RawBatchBuilder(COLUMNS.length, slice.length);
          for (const fields of slice) {
            const payload = packet(fields);
            builder.add(Buffer.concat([Buffer.from([0xff, 0x5c, 0x80]), payload, Buffer.from([0x80, 0x30])]), 3, 3 + payload.length);
          }
          const batch: RawTextRows = builder.build();
          written += raw!.run(batch, writer, (key, rejection) => rejects.push({ key, rejection }), checksum);
        }
        const actualText = Buffer.concat([...writer.take(false), ...writer.take(true)]).toString('utf8');
        expect(actualText).toBe(expectedText);
        expect(rejects).toEqual(expectedRejects);
        expect(written).toBe(rows.length - expectedRejects.length);
        expect(checksum.digest()).toBe(expectedChecksum.digest());
      }),
      { numRuns: 300 },
    );
  });
});

/** The same table read in the binary protocol: numbers and dates in their wire forms, the rest as text. */
const BINARY_SOURCE: RawTextSource = {
  ...SOURCE,
  binary: {
    readable: (columns) => columns.every((c) => mysqlWireForm(c) !== null),
    read: () => {
      throw new Error('not read here');
    },
    wireForm: (column) => mysqlWireForm(column) ?? undefined,
    decoder: wireDecoderFor,
  },
};
const LAYOUTS: readonly BinaryLayout[] = ['numeric', 'text', 'numeric', 'float8', 'text', 'text', 'jsonb', 'timestamp', 'date', 'int4', 'bytea'];
/** MySQL type codes of the columns, for the binary rows' layouts. */
const TYPE_CODES = [8, 254, 246, 5, 253, 253, 252, 12, 10, 8, 253];

/** A column's wire text as the binary protocol sends it: integers, doubles, dates in their binary forms. */
function wireField(column: Column, field: Buffer): Buffer {
  const form = mysqlWireForm({ name: column.name, native: column.source.native, logical: column.source.logical });
  const text = field.toString('latin1');
  if (!form) return field;
  const b = Buffer.alloc(11);
  switch (form.kind) {
    case 'int':
      b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(text)));
      return b.subarray(0, form.bytes);
    case 'float64':
      b.writeDoubleLE(Number(text));
      return b.subarray(0, 8);
    case 'date':
    case 'datetime': {
      const [y, mo, d, h = 0, mi = 0, sec = 0, frac = '0'] = text.split(/[-: .]/).map((p, i) => (i === 6 ? p : Number(p))) as number[];
      b.writeUInt16LE(y!, 0);
      b.writeUInt8(mo!, 2);
      b.writeUInt8(d!, 3);
      b.writeUInt8(h, 4);
      b.writeUInt8(mi, 5);
      b.writeUInt8(sec, 6);
      b.writeUInt32LE(Number(String(frac).padEnd(6, '0')), 7);
      return b.subarray(0, form.kind === 'date' ? 4 : 11);
    }
  }
}

/** A binary row packet: header, NULL bitmap (from the third bit), then the non-NULL fields. */
function binaryPacket(fields: readonly (Buffer | null)[]): Buffer {
  const bitmap = Buffer.alloc((fields.length + 9) >> 3);
  const parts: Buffer[] = [];
  fields.forEach((f, i) => {
    if (f === null) {
      bitmap[(i + 2) >> 3]! |= 1 << ((i + 2) & 7);
      return;
    }
    const wire = wireField(COLUMNS[i]!, f);
    const layout = binaryFieldLayout(TYPE_CODES[i]!);
    if (layout === LENGTH_ENCODED) parts.push(packet([wire]));
    else if (layout < 0) parts.push(Buffer.from([wire.length]), wire);
    else parts.push(wire);
  });
  return Buffer.concat([Buffer.from([0]), bitmap, ...parts]);
}

describe('compileRawTextProgram, binary protocol', () => {
  it('writes the COPY binary, rejects and checksum of the decoded row program', () => {
    const program = compileRowProgram(TABLE, postgresEngine);
    const raw = compileRawTextProgram(TABLE, program, BINARY_SOURCE, postgresEngine.capabilities.valueLimits, 'binary');
    expect(raw, 'a binary-protocol program for this table').toBeDefined();
    expect(raw!.directColumns).toBe(COLUMNS.length - 1);
    const normalisers = program.write.map((w) => normaliserFor(w.logical));
    const writer = () => new CopyBinaryWriter(LAYOUTS, program.write, 'public.t', 'test');
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 7 }), (rows, perBatch) => {
        // Expected: decode the text, run the row program, write the canonical values.
        const expectedWriter = writer();
        const { checksum: expectedChecksum, rejects: expectedRejects } = decodedPath(program, rows, normalisers, (out) => {
          out.forEach((v, i) => expectedWriter.value(v, i));
          expectedWriter.endRow();
        });
        // Actual: the rows as binary packets, in batches of `perBatch`.
        const actualWriter = writer();
        const checksum = new RowChecksum(normalisers);
        const rejects: { key: string; rejection: RowRejection }[] = [];
        for (let from = 0; from < rows.length; from += perBatch) {
          const slice = rows.slice(from, from + perBatch);
          const builder = new BinaryRawBatchBuilder(Int8Array.from(TYPE_CODES, binaryFieldLayout), slice.length);
          for (const fields of slice) {
            const payload = binaryPacket(fields);
            builder.add(Buffer.concat([Buffer.from([0xff, 0x80]), payload, Buffer.from([0x80])]), 2, 2 + payload.length);
          }
          raw!.run(builder.build(), actualWriter, (key, rejection) => rejects.push({ key, rejection }), checksum);
        }
        expect(Buffer.concat(actualWriter.take(true)).equals(Buffer.concat(expectedWriter.take(true)))).toBe(true);
        expect(rejects).toEqual(expectedRejects);
        expect(checksum.digest()).toBe(expectedChecksum.digest());
      }),
      { numRuns: 300 },
    );
  });
});
