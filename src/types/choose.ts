/**
 * The checker's entry point for column types: which target type and conversion a source column
 * gets, whether that is lossless, and every mistake in the rules that led there.
 * Order: a `column … type` override of the table block, then the plan's rules, then the built-in
 * prelude (first match wins), then the fallback `targetTypes.fromLogical(column.logical)`.
 */
import { TYPE_CHECK } from '../diagnostics/codes/check.js';
import { error, warning, type Diagnostic, type Result, type Span } from '../diagnostics/diagnostic.js';
import type { EngineTypes } from '../engines/contract.js';
import type { ColumnTypeOverrideIR, EngineName, TargetTypeIR, TypeRuleIR, TypeRulesIR } from '../ir/ir.js';
import type { ColumnCatalog, NativeType } from '../schema/catalog.js';
import { isConversionName, type ConversionName } from './conversion-names.js';
import { CONVERSIONS } from './conversions/index.js';
import { analyseFit } from './lossiness.js';
import type { LogicalType } from './logical.js';
import { instantiateTarget, matchRule, targetText, type Bindings, type ColumnContext } from './match.js';
import { printName } from '../syntax/print-expr.js';
import { describeColumnScope, describeRule, quoteTypeName } from './rule-text.js';

export interface ColumnTypeChoice {
  readonly target: NativeType;
  readonly targetLogical: LogicalType;
  readonly conversion: ConversionName;
  readonly lossless: boolean;
  readonly lossReason: string | undefined;
  readonly rule: { readonly origin: 'plan' | 'builtin' | 'override' | 'fallback'; readonly text: string; readonly span: Span | undefined };
  /** The declaration is kept between databases of one engine that stores what it is given (ColumnMapping.keepsStoredValues). */
  readonly keepsStoredValues?: true;
}

export interface ChooseColumnTypeInput {
  readonly sourceTypes: EngineTypes;
  readonly targetTypes: EngineTypes;
  readonly targetEngine: EngineName;
  readonly column: ColumnCatalog;
  readonly table: { readonly schema: string; readonly name: string };
  readonly planRules: readonly TypeRulesIR[];
  readonly builtinRules: readonly TypeRulesIR[];
  /** From `column X type using conv lossy` in a map table block. */
  readonly override: ColumnTypeOverrideIR | undefined;
  /** The types the target database has, when its catalog lists them (Catalog.typeNames). */
  readonly targetTypeNames?: ReadonlySet<string>;
}

/** Conversions the fallback may pick: they change only the representation, never a decision. */
const FALLBACK_CONVERSIONS: readonly ConversionName[] = ['none', 'cast', 'uuid_to_text', 'json_to_text', 'time_to_interval', 'set_to_array', 'array_to_json', 'to_text'];

interface Candidate {
  readonly origin: 'plan' | 'builtin' | 'override';
  readonly target: TargetTypeIR;
  readonly bindings: Bindings;
  readonly conversion: string | undefined;
  readonly lossy: boolean;
  readonly text: string;
  readonly span: Span;
}

export function chooseColumnType(input: ChooseColumnTypeInput): Result<ColumnTypeChoice> {
  const context = { column: input.column, table: input.table, sourceTypes: input.sourceTypes, targetTypes: input.targetTypes, targetEngine: input.targetEngine };
  const candidate = input.override ? fromOverride(input.override) : findRule(input, context);
  if (!candidate) return fallback(input);

  const diagnostics: Diagnostic[] = [];
  const where = `${input.table.name}.${input.column.name}`;
  const target = instantiateTarget(candidate.target, candidate.bindings, context);
  if (!target.ok) {
    diagnostics.push(error(TYPE_CHECK.unknownTargetType, `${where}: ${target.message}`, target.span ?? candidate.span, target.hint));
    const rescue = fallback(input);
    return { value: rescue.value, diagnostics: [...diagnostics, ...rescue.diagnostics] };
  }

  const source = input.column.logical;
  const named = candidate.conversion !== undefined && isConversionName(candidate.conversion) ? candidate.conversion : undefined;
  const conversion: ConversionName = named ?? (CONVERSIONS.none.applies(source, target.logical) ? 'none' : 'cast');
  const fromTo = `${input.column.nativeType.text} → ${target.native.text}`;
  if (!CONVERSIONS[conversion].applies(source, target.logical)) {
    diagnostics.push(
      error(TYPE_CHECK.conversionDoesNotApply, `${where}: ${conversion} does not convert ${fromTo}; it converts ${CONVERSIONS[conversion].domain}`, candidate.span, suggestConversion(source, target.logical)),
    );
  }
  const fit = analyseFit(source, target.logical, conversion);
  const lossReason = fit.lossless ? undefined : fit.reason;
  if (!fit.lossless && !candidate.lossy && CONVERSIONS[conversion].applies(source, target.logical)) {
    diagnostics.push(
      error(TYPE_CHECK.lossyNotAcknowledged, `${where}: ${fromTo} is lossy: ${fit.reason}`, candidate.span, `if that is acceptable, write: ${acknowledgedLine(candidate, input, target.native.text, conversion)}`),
    );
  }
  if (fit.lossless && candidate.lossy) {
    diagnostics.push(warning(TYPE_CHECK.lossyButLossless, `${where}: ${fromTo} keeps every value; the rule need not say lossy`, candidate.span, `remove \`lossy\` from: ${candidate.text}`));
  }
  return {
    value: {
      target: target.native,
      targetLogical: target.logical,
      conversion,
      lossless: fit.lossless,
      lossReason,
      rule: { origin: candidate.origin, text: candidate.text, span: candidate.span },
    },
    diagnostics,
  };
}

function findRule(input: ChooseColumnTypeInput, context: ColumnContext): Candidate | undefined {
  const groups: readonly ['plan' | 'builtin', readonly TypeRulesIR[]][] = [
    ['plan', input.planRules],
    ['builtin', input.builtinRules],
  ];
  for (const [origin, blocks] of groups) {
    for (const block of blocks) {
      if (block.targetEngine !== input.targetEngine) continue;
      for (const rule of block.rules) {
        const bindings = matchRule(rule, context);
        if (bindings) return fromRule(origin, rule, bindings);
      }
    }
  }
  return undefined;
}

function fromRule(origin: 'plan' | 'builtin', rule: TypeRuleIR, bindings: Bindings): Candidate {
  return { origin, target: rule.target, bindings, conversion: rule.conversion, lossy: rule.lossy, text: describeRule(rule), span: rule.span };
}

function fromOverride(override: ColumnTypeOverrideIR): Candidate {
  const target: TargetTypeIR = {
    name: override.type.name,
    params: override.type.params.map((value) => ({ kind: 'number', value })),
    unsigned: override.type.unsigned,
    array: override.type.array,
    span: override.type.span,
  };
  const text = `column ${printName(override.column)} ${targetText(override.type, override.type.params)}${override.conversion ? ` using ${override.conversion}` : ''}${override.lossy ? ' lossy' : ''}`;
  return { origin: 'override', target, bindings: new Map(), conversion: override.conversion, lossy: override.lossy, text, span: override.span };
}

/** No rule matched: the target engine's most faithful type, with a representation-only conversion. */
function fallback(input: ChooseColumnTypeInput): Result<ColumnTypeChoice> {
  const source = input.column.logical;
  if (keepsDeclaration(input)) {
    const text = `${input.column.nativeType.text} -> ${input.column.nativeType.text}`;
    return { value: { target: input.column.nativeType, targetLogical: source, conversion: 'none', lossless: true, lossReason: undefined, rule: { origin: 'fallback', text, span: undefined }, keepsStoredValues: true }, diagnostics: [] };
  }
  const native = keptServerType(input) ?? input.targetTypes.fromLogical(foreignOther(input) ? ANY_TEXT : source);
  const logical = input.targetTypes.toLogical(native);
  const applicable = FALLBACK_CONVERSIONS.filter((c) => CONVERSIONS[c].applies(source, logical));
  const lossless = applicable.find((c) => analyseFit(source, logical, c).lossless);
  const conversion = lossless ?? applicable[0] ?? 'cast';
  const fit = analyseFit(source, logical, conversion);
  const where = `${input.table.name}.${input.column.name}`;
  const text = `${input.column.nativeType.text} -> ${native.text}${conversion === 'none' ? '' : ` using ${conversion}`}`;
  const diagnostics: Diagnostic[] = [];
  if (!fit.lossless) {
    diagnostics.push(
      error(
        TYPE_CHECK.noFaithfulFallback,
        `${where}: no type rule matches ${input.column.nativeType.text}, and ${native.text} on ${input.targetEngine} would be lossy: ${fit.reason}`,
        undefined,
        `write a rule, e.g. in a types block: column ${describeColumnScope(input.table.name, input.column.name)}: ${patternOf(input.column.nativeType)} -> ${quoteIfNeeded(native.text)}${conversion === 'none' ? '' : ` using ${conversion}`} lossy`,
      ),
    );
  }
  return {
    value: { target: native, targetLogical: logical, conversion, lossless: fit.lossless, lossReason: fit.lossless ? undefined : fit.reason, rule: { origin: 'fallback', text, span: undefined } },
    diagnostics,
  };
}

/**
 * Between two databases of an engine whose declared types are free text kept as written (SQLite),
 * the declaration itself is the most faithful type: the target reads it as the source does.
 */
function keepsDeclaration(input: ChooseColumnTypeInput): boolean {
  return input.sourceTypes === input.targetTypes && input.targetTypes.keepsDeclaredTypes === true;
}

const ANY_TEXT: LogicalType = { kind: 'text', length: undefined, fixed: false };

/**
 * A type a server adds to its engine's own (MariaDB's data-type plugins inet4, inet6 and uuid), from
 * a server of the same type system whose target has it too: kept as it is. Without the target's
 * list, or where it lacks the type (MySQL 8), the engine's neutral type stands for it (uuid as
 * char(36), inet6 as text), as before.
 */
function keptServerType(input: ChooseColumnTypeInput): NativeType | undefined {
  const kind = input.column.logical.kind;
  if ((kind !== 'other' && kind !== 'uuid') || input.sourceTypes !== input.targetTypes) return undefined;
  if (!input.targetTypeNames?.has(input.column.nativeType.name)) return undefined;
  return input.targetTypes.parseNative(input.column.nativeType.text);
}

/**
 * A type with no neutral equivalent (geometry, xml, money, …) from another engine: its name means
 * nothing certain on the target — MySQL's POINT prints as 'POINT(1 2)', PostgreSQL's point reads
 * '(1,2)'; `geometry` exists on PostgreSQL only with PostGIS — so its values travel as their text
 * form, into the target's unbounded text. Between engines of one type system the name is kept.
 */
function foreignOther(input: ChooseColumnTypeInput): boolean {
  return input.column.logical.kind === 'other' && input.sourceTypes !== input.targetTypes;
}

function patternOf(native: NativeType): string {
  return quoteTypeName(native.name);
}

/** The line that acknowledges the narrowing, as the user would write it. */
function acknowledgedLine(candidate: Candidate, input: ChooseColumnTypeInput, targetText: string, conversion: ConversionName): string {
  const using = conversion === 'none' || (conversion === 'cast' && candidate.conversion === undefined) ? '' : ` using ${conversion}`;
  switch (candidate.origin) {
    case 'plan':
      return `${candidate.text} lossy`;
    case 'override':
      return `${candidate.text} lossy`;
    case 'builtin':
      return `column ${describeColumnScope(input.table.name, input.column.name)}: ${patternOf(input.column.nativeType)} -> ${quoteIfNeeded(targetText)}${using} lossy`;
    default: {
      const never: never = candidate.origin;
      return never;
    }
  }
}

/** A type as a plan writes it: a multi-word name quoted, its parameters after the quote. */
export function quoteIfNeeded(typeText: string): string {
  const name = typeText.replace(/\(.*$/, '').replace(/\[\]$/, '').replace(/ unsigned$/, '');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? typeText : `"${name}"${typeText.slice(name.length)}`;
}

function suggestConversion(source: LogicalType, target: LogicalType): string | undefined {
  const fitting = (Object.keys(CONVERSIONS) as ConversionName[]).filter((c) => c !== 'none' && c !== 'cast' && CONVERSIONS[c].applies(source, target));
  if (fitting.length > 0) return `conversions for these types: ${fitting.join(', ')} (or cast)`;
  return 'leave `using` out to convert through text (cast)';
}
