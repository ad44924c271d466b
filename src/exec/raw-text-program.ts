/**
 * The row program of a table compiled for rows read as the source's wire text (RawTextSource):
 * a column whose converter provably keeps the value (types/text-identity.ts) moves its bytes
 * straight into the target's bulk stream; every other value — and any value its column's guard
 * refuses — is decoded, converted and encoded exactly as the row program does. The output is the
 * same as the decoded path's; only the cost differs (no JS string per value on the common path).
 */
import type { TableMapping } from '../check/checked-plan.js';
import type { RawTextRows, RawTextSource, RawTextWriter, ReadColumn, WireForm } from '../engines/contract.js';
import { compileConverter } from '../types/convert.js';
import type { Row, Value } from '../types/logical.js';
import { isRejection as isConversionRejection, type Rejection } from '../types/rejection.js';
import type { ByteRule } from '../types/byte-rules.js';
import { textIdentity, type TextGuard } from '../types/text-identity.js';
import { wireIdentity } from '../types/wire-identity.js';
import type { TargetValueLimits } from '../types/value-limits.js';
import type { RowChecksum } from './checksum.js';
import { compileMask, type Mask } from './masks.js';
import { describeSourceRow, describeValue, type RowProgram, type RowRejection } from './row-program.js';

interface DecodedColumn {
  readonly name: string;
  readonly at: number;
  readonly decode: (field: Buffer) => Value;
  readonly convert: (value: Value) => Value | Rejection;
  readonly mask: Mask | undefined;
}

/**
 * How a column's value reaches the writer: its bytes as text (`text`, or `checked_text` when the
 * writer must also check them against a byte rule as it copies them), as binary (`bytes`) or in the
 * source's binary protocol (`wire`) — each when the column's shape check passes — or else decoded,
 * converted and encoded (`decoded`).
 */
type Move = 'text' | 'checked_text' | 'bytes' | 'wire' | 'decoded';

/**
 * The columns of a program, one array per property rather than one object per column: the row
 * loop reads a few flat arrays instead of following pointers per value, which cut its time by a
 * tenth (docs/performance.md).
 */
interface Columns {
  readonly count: number;
  /** Where each column's field is among the fields read. */
  readonly at: Int32Array;
  readonly move: readonly Move[];
  /** The check of the whole value before its bytes move; undefined when every value passes. */
  readonly shape: readonly (TextGuard | undefined)[];
  readonly rule: readonly ByteRule[];
  readonly suffix: readonly string[];
  /** The field's binary-protocol form, where the rows are read in it. */
  readonly wire: readonly (WireForm | undefined)[];
  readonly decoded: readonly DecodedColumn[];
}

export interface RawTextProgram {
  readonly directColumns: number;
  /**
   * Writes the rows of `batch` into `writer`; a row with a value the target cannot take is left
   * out and reported through `reject` (with its source key).
   */
  run(batch: RawTextRows, writer: RawTextWriter, reject: (key: string, rejection: RowRejection) => void, checksum?: RowChecksum): number;
}

/**
 * Undefined when the table needs the whole decoded row: an added or computed column, or a merge
 * (tags, key offsets, and what apply decides per row: conflicts, key maps — it wraps the row
 * program's run(), which this path does not call). With `protocol` 'binary', the program of rows
 * read through `source.binary`: undefined as well when the source cannot read these columns so.
 */
export function compileRawTextProgram(table: TableMapping, program: RowProgram, source: RawTextSource, limits: TargetValueLimits | undefined, protocol: 'text' | 'binary' = 'text'): RawTextProgram | undefined {
  if (table.merge) return undefined;
  if (table.columns.some((c) => c.source.kind !== 'column' || (c.offset !== undefined && c.offset !== '0'))) return undefined;
  const binary = protocol === 'binary' ? source.binary : undefined;
  if (protocol === 'binary' && !binary?.readable(program.read)) return undefined;
  const wireFormOf = (column: ReadColumn) => binary?.wireForm(column);
  const decoderOf = (column: ReadColumn) => (wireFormOf(column) ? binary!.decoder(column) : source.decoder(column));
  const readIndex = (name: string) => program.read.findIndex((r) => r.name === name);
  const move: Move[] = [];
  const shape: (TextGuard | undefined)[] = [];
  const rule: ByteRule[] = [];
  const suffix: string[] = [];
  const wire: (WireForm | undefined)[] = [];
  const decoded: DecodedColumn[] = table.columns.map((c, i) => {
    if (c.source.kind !== 'column') throw new Error('bug: checked above');
    const at = readIndex(c.source.name);
    if (at < 0) throw new Error(`bug: column ${c.source.name} is not read for ${table.id}`);
    const read = program.read[at]!;
    const decode = decoderOf(read);
    const convert = compileConverter(c.source.logical, c.targetLogical, c.conversion, limits);
    const mask = c.mask ? compileMask(c.mask, c.targetLogical) : undefined;
    wire[i] = wireFormOf(read);
    if (wire[i]) {
      const identity = c.mask ? undefined : wireIdentity(c.source.logical, c.targetLogical, c.conversion, limits, wire[i]!);
      move[i] = identity ? 'wire' : 'decoded';
      shape[i] = identity?.shape;
      rule[i] = 'any';
      suffix[i] = '';
      return { name: c.target, at, decode, convert, mask };
    }
    const form = source.form(read);
    const identity = form && !c.mask ? textIdentity(c.source.logical, c.targetLogical, c.conversion, limits, form) : undefined;
    const binary = c.source.logical.kind === 'binary';
    // Binary values are written as hex, whatever their bytes: only a check of the whole value fits them.
    const movable = identity && form && (!binary || (form.spelling === 'exact' && form.suffix === '' && identity.content === 'any'));
    move[i] = !movable ? 'decoded' : binary ? 'bytes' : identity.content === 'any' ? 'text' : 'checked_text';
    shape[i] = movable ? identity.shape : undefined;
    rule[i] = movable ? identity.content : 'any';
    suffix[i] = movable ? form.suffix : '';
    return { name: c.target, at, decode, convert, mask };
  });
  const columns: Columns = { count: decoded.length, at: Int32Array.from(decoded, (d) => d.at), move, shape, rule, suffix, wire, decoded };
  const identifyDecoders = program.identifyBy.map((i) => decoderOf(program.read[i]!));

  /**
   * The decoded path of column `i`'s value: written (and kept in `row`), or, when the converter
   * rejects it, the row taken back and the value returned with the rejection. Out of the row loop,
   * which stays small for the JIT.
   */
  function convertInto(writer: RawTextWriter, i: number, field: Buffer, row: Value[] | undefined): { readonly raw: Value; readonly rejection: Rejection } | undefined {
    const d = decoded[i]!;
    const raw = d.decode(field);
    const converted = d.convert(raw);
    if (isConversionRejection(converted)) {
      writer.abortRow();
      return { raw, rejection: converted };
    }
    const value = d.mask && converted !== null ? d.mask(converted) : converted;
    writer.value(value, i);
    if (row) row[i] = value;
    return undefined;
  }

  /** Reports row `r` of `batch`, whose column `i` the converter rejected, with its source key (or values, without a key). */
  function report(batch: RawTextRows, r: number, i: number, refused: { readonly raw: Value; readonly rejection: Rejection }, reject: (key: string, rejection: RowRejection) => void): void {
    const { buffers, starts, ends, width } = batch;
    const buf = buffers[r]!;
    const base = r * width;
    const row: Value[] = new Array<Value>(program.read.length).fill(null);
    program.identifyBy.forEach((k, j) => {
      if (starts[base + k]! >= 0) row[k] = identifyDecoders[j]!(buf.subarray(starts[base + k]!, ends[base + k]!));
    });
    reject(describeSourceRow(row, program), { column: decoded[i]!.name, value: describeValue(refused.raw), reason: refused.rejection.reason });
  }

  return {
    directColumns: move.filter((m) => m !== 'decoded').length,
    run(batch, writer, reject, checksum) {
      const { buffers, starts, ends, width } = batch;
      const { count, at, move, shape, rule, suffix, wire } = columns;
      let written = 0;
      // With checksums, the row as the decoded path would have written it: a direct value is its
      // decoded canonical value (the guard promised the converter keeps it), so validation, which
      // reads the source again through the decoded path, cross-checks this path too.
      const row: Value[] | undefined = checksum ? new Array<Value>(count) : undefined;
      rows: for (let r = 0; r < batch.count; r++) {
        const buf = buffers[r]!;
        const base = r * width;
        for (let i = 0; i < count; i++) {
          const field = base + at[i]!;
          const start = starts[field]!;
          if (start < 0) {
            writer.value(null, i);
            if (row) row[i] = null;
            continue;
          }
          const end = ends[field]!;
          const m = move[i]!;
          if (m !== 'decoded') {
            const check = shape[i];
            if (check === undefined || check(buf, start, end)) {
              let moved = true;
              if (m === 'text') writer.text(buf, start, end, suffix[i]!);
              else if (m === 'wire') writer.wire!(wire[i]!, buf, start, end);
              else if (m === 'bytes') writer.bytes(buf, start, end);
              else moved = writer.checkedText(buf, start, end, suffix[i]!, rule[i]!);
              if (moved) {
                if (row) row[i] = decoded[i]!.decode(buf.subarray(start, end));
                continue;
              }
            }
          }
          const refused = convertInto(writer, i, buf.subarray(start, end), row);
          if (refused) {
            report(batch, r, i, refused, reject);
            continue rows;
          }
        }
        writer.endRow();
        if (row) checksum!.add(row);
        written++;
      }
      return written;
    },
  };
}
