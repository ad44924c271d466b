/**
 * How a table's rows travel, decided once at plan time, shown in the plan and followed by apply:
 *
 * - `passthrough`: the source's binary COPY stream goes into the target's COPY as it is
 *   (PostgreSQL → PostgreSQL, every column unchanged).
 * - `raw_rows`: the source's rows stay the bytes of its protocol; each field is moved into the
 *   target's bulk load as it is or checked, and decoded only where a conversion needs the value
 *   (MySQL → PostgreSQL: text or binary protocol → COPY binary).
 * - `rows`: rows decoded into canonical values, converted, and written by the target's bulk writer.
 */
import type { EngineModule } from '../engines/contract.js';
import type { TableMapping } from './checked-plan.js';

export type CopyPath = 'passthrough' | 'raw_rows' | 'rows';

export function copyPathOf(table: Omit<TableMapping, 'copyPath'>, source: EngineModule, target: EngineModule): CopyPath {
  if (canPassThrough(table, source, target)) return 'passthrough';
  if (canMoveRawRows(table, source, target)) return 'raw_rows';
  return 'rows';
}

/** One line for the plan: how the rows of a table with this path travel into `target`. */
export function describeCopyPath(path: CopyPath, source: EngineModule, target: EngineModule): string {
  switch (path) {
    case 'passthrough':
      return 'binary COPY stream, passed through unchanged';
    case 'raw_rows':
      return `${source.name} wire bytes moved into COPY binary, decoded only where a value is converted`;
    case 'rows':
      return `decoded rows → ${target.capabilities.bulkWriter}`;
    default: {
      const never: never = path;
      return never;
    }
  }
}

/**
 * Binary COPY on both sides (PostgreSQL servers), the same SQL family, and every column copied
 * unchanged — same type, no conversion, no mask, no added column, no key offset. Arrays of
 * user-defined types are excluded: binary COPY embeds the element type's OID, which differs
 * between databases.
 */
export function canPassThrough(table: Omit<TableMapping, 'copyPath'>, source: EngineModule, target: EngineModule): boolean {
  // The same engine on both sides, not only the same dialect: PGlite speaks PostgreSQL but its
  // connections take no raw COPY stream (copyIn), so PostgreSQL → PGlite must decode and write.
  if (!source.capabilities.binaryCopy || !target.capabilities.binaryCopy || source.dialect !== target.dialect || source.name !== target.name) return false;
  return table.columns.every(
    (c) =>
      c.source.kind === 'column' &&
      c.conversion === 'none' &&
      c.mask === undefined &&
      (c.offset === undefined || c.offset === '0') &&
      c.keyMap === undefined &&
      // Equal logical types in one SQL family: the same binary representation ('timestamptz' and
      // 'timestamp(6) with time zone' are one type, spelt two ways).
      JSON.stringify(c.source.logical) === JSON.stringify(c.targetLogical) &&
      c.source.logical.kind !== 'other' &&
      c.source.native.element?.userTypeName === undefined,
  );
}

/**
 * A source that hands over raw rows and a target that takes them, for a table whose every column
 * is read from the source (no computed column) and that is not part of a merge (whose keys are
 * rewritten or shifted on the way).
 */
function canMoveRawRows(table: Omit<TableMapping, 'copyPath'>, source: EngineModule, target: EngineModule): boolean {
  return (
    source.capabilities.rawRowReads &&
    target.capabilities.rawRowWrites &&
    table.merge === undefined &&
    table.columns.every((c) => c.source.kind === 'column' && (c.offset === undefined || c.offset === '0') && c.keyMap === undefined)
  );
}
