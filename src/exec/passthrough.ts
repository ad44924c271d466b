/**
 * Whether a table can be copied as the engines' raw binary COPY stream (PostgreSQL → PostgreSQL):
 * the same SQL family on both sides, and every column copied unchanged — same type, no conversion,
 * no mask, no added column, no key offset. Arrays of user-defined types are excluded: binary COPY
 * embeds the element type's OID, which differs between databases.
 */
import type { TableMapping } from '../check/checked-plan.js';
import type { EngineModule } from '../engines/contract.js';

export function canPassThrough(table: TableMapping, source: EngineModule, target: EngineModule): boolean {
  // The same engine on both sides, not only the same dialect: PGlite speaks PostgreSQL but its
  // connections take no raw COPY stream (copyIn), so PostgreSQL → PGlite must decode and write.
  if (source.dialect !== target.dialect || source.name !== target.name) return false;
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
