/**
 * The row program of a table compiled for rows read as the source's wire text (RawTextSource):
 * a column whose converter provably keeps the value (types/text-identity.ts) moves its bytes
 * straight into the target's bulk stream; every other value — and any value its column's guard
 * refuses — is decoded, converted and encoded exactly as the row program does. The output is the
 * same as the decoded path's; only the cost differs (no JS string per value on the common path).
 */
import type { TableMapping } from '../check/checked-plan.js';
import type { RawTextRows, RawTextSource, RawTextWriter, ReadColumn } from '../engines/contract.js';
import { compileConverter } from '../types/convert.js';
import type { Row, Value } from '../types/logical.js';
import { isRejection as isConversionRejection, type Rejection } from '../types/rejection.js';
import type { ByteRule } from '../types/byte-rules.js';
import { textIdentity, type TextGuard } from '../types/text-identity.js';
import type { TargetValueLimits } from '../types/value-limits.js';
import type { RowChecksum } from './checksum.js';
import { compileMask, type Mask } from './masks.js';
import { describeKey, describeValue, type RowProgram, type RowRejection } from './row-program.js';

interface DecodedColumn {
  readonly name: string;
  readonly at: number;
  readonly decode: (field: Buffer) => Value;
  readonly convert: (value: Value) => Value | Rejection;
  readonly mask: Mask | undefined;
}

interface ColumnStep {
  readonly decoded: DecodedColumn;
  /**
   * Bytes moved as they are when they pass `shape` (undefined: every value does) and, for text,
   * `content`, which the writer checks as it copies them: as text (with a suffix) or as binary.
   */
  readonly direct: { readonly as: 'text' | 'bytes'; readonly shape: TextGuard | undefined; readonly content: ByteRule; readonly suffix: string } | undefined;
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
 * program's run(), which this path does not call).
 */
export function compileRawTextProgram(table: TableMapping, program: RowProgram, source: RawTextSource, limits: TargetValueLimits | undefined): RawTextProgram | undefined {
  if (table.merge) return undefined;
  if (table.columns.some((c) => c.source.kind !== 'column' || (c.offset !== undefined && c.offset !== '0'))) return undefined;
  const readIndex = (name: string) => program.read.findIndex((r) => r.name === name);
  const steps: ColumnStep[] = table.columns.map((c) => {
    if (c.source.kind !== 'column') throw new Error('bug: checked above');
    const at = readIndex(c.source.name);
    if (at < 0) throw new Error(`bug: column ${c.source.name} is not read for ${table.id}`);
    const read = program.read[at]!;
    const decoded: DecodedColumn = {
      name: c.target,
      at,
      decode: source.decoder(read),
      convert: compileConverter(c.source.logical, c.targetLogical, c.conversion, limits),
      mask: c.mask ? compileMask(c.mask, c.targetLogical) : undefined,
    };
    const form = source.form(read);
    const identity = form && !c.mask ? textIdentity(c.source.logical, c.targetLogical, c.conversion, limits, form) : undefined;
    const binary = c.source.logical.kind === 'binary';
    // Binary values are written as hex, whatever their bytes: only a check of the whole value fits them.
    const movable = identity && form && (!binary || (form.spelling === 'exact' && form.suffix === '' && identity.content === 'any'));
    const direct = movable ? { as: binary ? ('bytes' as const) : ('text' as const), shape: identity.shape, content: identity.content, suffix: form.suffix } : undefined;
    return { decoded, direct };
  });
  const keyColumns: readonly ReadColumn[] = program.keyIndexes.map((i) => program.read[i]!);
  const keyDecoders = keyColumns.map((k) => source.decoder(k));

  return {
    directColumns: steps.filter((s) => s.direct).length,
    run(batch, writer, reject, checksum) {
      const { buffers, starts, ends, width } = batch;
      let written = 0;
      // With checksums, the row as the decoded path would have written it: a direct value is its
      // decoded canonical value (the guard promised the converter keeps it), so validation, which
      // reads the source again through the decoded path, cross-checks this path too.
      const row: Value[] | undefined = checksum ? new Array<Value>(steps.length) : undefined;
      rows: for (let r = 0; r < batch.count; r++) {
        const buf = buffers[r]!;
        const base = r * width;
        for (let i = 0; i < steps.length; i++) {
          const step = steps[i]!;
          const at = base + step.decoded.at;
          const start = starts[at]!;
          if (start < 0) {
            writer.value(null, i);
            if (row) row[i] = null;
            continue;
          }
          const end = ends[at]!;
          const direct = step.direct;
          if (direct && (direct.shape === undefined || direct.shape(buf, start, end))) {
            let moved = true;
            if (direct.as === 'bytes') writer.bytes(buf, start, end);
            else moved = writer.checkedText(buf, start, end, direct.suffix, direct.content);
            if (moved) {
              if (row) row[i] = step.decoded.decode(buf.subarray(start, end));
              continue;
            }
          }
          const d = step.decoded;
          const raw = d.decode(buf.subarray(start, end));
          const converted = d.convert(raw);
          if (isConversionRejection(converted)) {
            writer.abortRow();
            const keyRow: Row = program.keyIndexes.map((k, j) => (starts[base + k]! < 0 ? null : keyDecoders[j]!(buf.subarray(starts[base + k]!, ends[base + k]!))));
            reject(describeKey(keyRow, keyRow.map((_, j) => j)), { column: d.name, value: describeValue(raw), reason: converted.reason });
            continue rows;
          }
          const value = d.mask && converted !== null ? d.mask(converted) : converted;
          writer.value(value, i);
          if (row) row[i] = value;
        }
        writer.endRow();
        if (row) checksum!.add(row);
        written++;
      }
      return written;
    },
  };
}
