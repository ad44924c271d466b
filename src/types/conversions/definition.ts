/** What every named conversion provides: where it applies and how it changes a value's form. */
import type { ConversionName } from '../conversion-names.js';
import type { LogicalKind, LogicalType, Value } from '../logical.js';
import type { Rejection } from '../rejection.js';

/** Source canonical value → the target kind's canonical form (the target's fit check runs after). */
export type Reshape = (value: Value) => Value | Rejection;

export interface ConversionDefinition {
  readonly name: ConversionName;
  /** One sentence for docs/type-mapping.md and diagnostics. */
  readonly summary: string;
  /** Source → target kinds it is defined for, in words, for the "does not apply" diagnostic. */
  readonly domain: string;
  applies(source: LogicalType, target: LogicalType): boolean;
  /** Called only where `applies` holds. Compiled once per column. */
  compile(source: LogicalType, target: LogicalType): Reshape;
}

export const identity: Reshape = (v) => v;

export function kindIn(type: LogicalType, ...kinds: readonly LogicalKind[]): boolean {
  return kinds.includes(type.kind);
}
