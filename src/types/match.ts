/**
 * Matching a type rule against a source column, and instantiating the rule's target type.
 *
 * A pattern names a native type of the source engine (aliases resolved by its parseNative). Without
 * parentheses it matches any parameters; with them, each parameter is a literal number, `*`, or a
 * name that binds the column's value for guards and the target. A column written without
 * parameters is matched with the ones its type implies (MySQL `decimal` = decimal(10,0), PostgreSQL
 * `timestamp` = timestamp(6)). A pattern without `unsigned` matches signed and unsigned columns.
 */
import { matchesName } from '../check/patterns.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { EngineTypes } from '../engines/contract.js';
import type { GuardIR, TargetTypeIR, TypeRuleIR } from '../ir/ir.js';
import type { ColumnCatalog, NativeType } from '../schema/catalog.js';
import type { LogicalType } from './logical.js';

export type Bindings = ReadonlyMap<string, number>;

export interface ColumnContext {
  readonly column: ColumnCatalog;
  readonly table: { readonly schema: string; readonly name: string };
  readonly sourceTypes: EngineTypes;
}

/** The bound parameters when `rule` applies to the column, else undefined. */
export function matchRule(rule: TypeRuleIR, context: ColumnContext): Bindings | undefined {
  const { column, table, sourceTypes } = context;
  if (rule.scope) {
    if (rule.scope.table && !matchesName(rule.scope.table, table.name)) return undefined;
    if (!matchesName(rule.scope.column, column.name)) return undefined;
  }
  const pattern = rule.pattern;
  let native: NativeType = column.nativeType;
  let logical: LogicalType = column.logical;
  if (pattern.array) {
    if (!native.element || logical.kind !== 'array') return undefined;
    native = native.element;
    logical = logical.element;
  } else if (native.element && logical.kind === 'array') {
    return undefined;
  }
  if (!nameMatches(pattern.name, native, logical, sourceTypes)) return undefined;
  if (pattern.unsigned && !isUnsigned(native, logical)) return undefined;

  const bindings = new Map<string, number>();
  if (pattern.params !== undefined) {
    const actual = effectiveParams(native, logical);
    if (actual.length !== pattern.params.length) return undefined;
    for (let i = 0; i < actual.length; i++) {
      const want = pattern.params[i]!;
      const have = actual[i]!;
      if (want.kind === 'number' && want.value !== have) return undefined;
      if (want.kind === 'bind') bindings.set(want.name, have);
    }
  }
  for (const guard of rule.guards) if (!guardHolds(guard, bindings, column, native, logical)) return undefined;
  return bindings;
}

/** `enum` and `set` match every enum / set column, whatever the engine calls the type (PostgreSQL: the type's own name). */
function nameMatches(patternName: string, native: NativeType, logical: LogicalType, types: EngineTypes): boolean {
  const lower = patternName.toLowerCase();
  if ((lower === 'enum' && logical.kind === 'enum') || (lower === 'set' && logical.kind === 'set')) return true;
  return canonicalName(patternName, types) === native.name;
}

const canonicalNames = new WeakMap<EngineTypes, Map<string, string>>();

/** The engine's own name for a type name written in a rule ('integer' → 'int' on MySQL). */
export function canonicalName(name: string, types: EngineTypes): string {
  let cache = canonicalNames.get(types);
  if (!cache) canonicalNames.set(types, (cache = new Map()));
  let canonical = cache.get(name);
  if (canonical === undefined) {
    canonical = safeParse(types, name)?.name ?? name.toLowerCase();
    cache.set(name, canonical);
  }
  return canonical;
}

function isUnsigned(native: NativeType, logical: LogicalType): boolean {
  return native.unsigned || (logical.kind === 'int' && logical.unsigned);
}

/**
 * The column's parameters as a pattern sees them: those its logical type implies for decimals,
 * times, texts, binaries and bits (so `decimal` on MySQL is decimal(10, 0) and PostgreSQL
 * `numeric(10)` is numeric(10, 0)), the written ones otherwise (`tinyint(1)`).
 */
export function effectiveParams(native: NativeType, logical: LogicalType): readonly number[] {
  switch (logical.kind) {
    case 'decimal':
      return logical.precision === undefined ? native.params : [logical.precision, logical.scale ?? 0];
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'interval':
      return [logical.precision];
    case 'text':
    case 'binary':
    case 'bit':
      return logical.length === undefined ? native.params : [logical.length];
    default:
      return native.params;
  }
}

function guardHolds(guard: GuardIR, bindings: Bindings, column: ColumnCatalog, native: NativeType, logical: LogicalType): boolean {
  switch (guard.kind) {
    case 'unsigned':
      return isUnsigned(native, logical);
    case 'not_null':
      return !column.nullable;
    case 'default':
      return column.default !== undefined;
    case 'auto_increment':
      return column.identity !== undefined;
    case 'compare': {
      const value = bindings.get(guard.param);
      if (value === undefined) return false;
      switch (guard.op) {
        case '=':
          return value === guard.value;
        case '!=':
          return value !== guard.value;
        case '<':
          return value < guard.value;
        case '<=':
          return value <= guard.value;
        case '>':
          return value > guard.value;
        case '>=':
          return value >= guard.value;
        default:
          return assertNever(guard.op);
      }
    }
    default:
      return assertNever(guard);
  }
}

// ───────────────────────────── target instantiation ─────────────────────────────

export type TargetResult =
  | { readonly ok: true; readonly native: NativeType; readonly logical: LogicalType }
  | { readonly ok: false; readonly message: string; readonly hint: string | undefined; readonly span: Span | undefined };

/** `numeric(p, s)` with p=12, s=2 → 'numeric(12, 2)'. */
export function targetText(target: Pick<TargetTypeIR, 'name' | 'unsigned' | 'array'>, params: readonly number[]): string {
  return `${target.name}${params.length ? `(${params.join(', ')})` : ''}${target.unsigned ? ' unsigned' : ''}${target.array ? '[]' : ''}`;
}

/**
 * The rule's target type for this column, parsed by the target engine. The words `enum` and `set`
 * without labels mean "the source column's labels" (a PostgreSQL enum type is named after the
 * table and column when the source has no name for it).
 */
export function instantiateTarget(
  target: TargetTypeIR,
  bindings: Bindings,
  context: ColumnContext & { readonly targetTypes: EngineTypes; readonly targetEngine: string },
): TargetResult {
  const params = target.params.map((p) => (p.kind === 'number' ? p.value : (bindings.get(p.name) ?? 0)));
  const lower = target.name.toLowerCase();
  const source = context.column.logical;
  if ((lower === 'enum' || lower === 'set') && params.length === 0) {
    const labels = source.kind === 'enum' || source.kind === 'set' ? source.values : undefined;
    if (!labels) {
      return { ok: false, message: `\`${lower}\` without labels takes the labels of the source column, and ${context.table.name}.${context.column.name} is ${context.column.nativeType.text}`, hint: 'write the target type with its labels, or use text', span: target.span };
    }
    const name = source.kind === 'enum' && source.name !== undefined ? source.name : `${context.table.name}_${context.column.name}`.toLowerCase();
    const logical: LogicalType = lower === 'enum' ? { kind: 'enum', values: labels, name } : { kind: 'set', values: labels };
    const elementless: LogicalType = target.array ? { kind: 'array', element: logical } : logical;
    const native = context.targetTypes.fromLogical(elementless);
    return { ok: true, native, logical: context.targetTypes.toLogical(native) };
  }
  const text = targetText(target, params);
  const native = safeParse(context.targetTypes, text);
  if (!native) {
    const known = context.targetTypes.knownTypeNames();
    const knownName = known.some((k) => k.toLowerCase() === lower);
    return {
      ok: false,
      message: knownName ? `${context.targetEngine} cannot use the type \`${text}\`` : `\`${target.name}\` is not a ${context.targetEngine} type`,
      hint: knownName ? undefined : didYouMean(target.name, known),
      span: target.span,
    };
  }
  return { ok: true, native, logical: context.targetTypes.toLogical(native) };
}

function safeParse(types: EngineTypes, text: string): NativeType | undefined {
  try {
    return types.parseNative(text);
  } catch {
    return undefined;
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
