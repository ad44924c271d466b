/**
 * Reading `name = value` settings against a description of the block's settings: unknown names
 * (with did-you-mean), repeated settings, values of the wrong kind, numbers out of range.
 */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import { didYouMean, listOfChoices } from '../diagnostics/suggest.js';
import type { SettingAst, SettingValueAst } from '../syntax/ast.js';
import type { UrlRef } from './ir.js';
import type { Report } from './lower-report.js';

export type SettingSpec =
  | { readonly kind: 'enum'; readonly values: readonly string[]; readonly notExecutable?: readonly string[] }
  | { readonly kind: 'integer'; readonly min: number }
  | { readonly kind: 'ref' }
  | { readonly kind: 'text' };

export type SettingValue = string | number | UrlRef;

export interface ReadSetting<V extends SettingValue = SettingValue> {
  readonly value: V;
  readonly setting: SettingAst;
}

export class Settings {
  constructor(private readonly values: ReadonlyMap<string, ReadSetting>) {}

  enumValue<T extends string>(name: string, fallback: T): T {
    const read = this.values.get(name);
    return read && typeof read.value === 'string' ? (read.value as T) : fallback;
  }

  integer(name: string): number | undefined {
    const read = this.values.get(name);
    return read && typeof read.value === 'number' ? read.value : undefined;
  }

  ref(name: string): UrlRef | undefined {
    const read = this.values.get(name);
    return read && typeof read.value === 'object' ? read.value : undefined;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

/**
 * Reads settings. `specs` lists the block's settings; `misplaced` maps names that exist elsewhere
 * to an explanation ("prepare applies to targets only"). With `anyName`, every name is accepted
 * as text (session settings).
 */
export function readSettings(
  settings: readonly SettingAst[],
  specs: Readonly<Record<string, SettingSpec>>,
  blockDescription: string,
  report: Report,
  misplaced: Readonly<Record<string, string>> = {},
): Settings {
  const values = new Map<string, ReadSetting>();
  const seen = new Map<string, SettingAst>();
  const names = Object.keys(specs);
  for (const setting of settings) {
    const name = setting.name.text;
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (spec === undefined) {
      const elsewhere = Object.prototype.hasOwnProperty.call(misplaced, name) ? misplaced[name] : undefined;
      if (elsewhere !== undefined) report.error(LANGUAGE.unknownSetting, `'${name}' is not a setting of ${blockDescription}: ${elsewhere}`, setting.name.span, `remove '${name}'`);
      else report.error(LANGUAGE.unknownSetting, `unknown setting '${name}' in ${blockDescription}`, setting.name.span, didYouMean(name, names) ?? (names.length > 0 ? `settings here: ${names.join(', ')}` : undefined));
      continue;
    }
    const first = seen.get(name);
    if (first) {
      report.error(LANGUAGE.duplicateSetting, `'${name}' is set twice in ${blockDescription}`, setting.name.span, 'remove one of them', [{ message: 'first set here', span: first.span }]);
      continue;
    }
    seen.set(name, setting);
    const value = readValue(setting, spec, report);
    if (value !== undefined) values.set(name, { value, setting });
  }
  return new Settings(values);
}

/** Reads `name = value` settings whose names are free (e.g. session settings) as text. */
export function readFreeSettings(settings: readonly SettingAst[], blockDescription: string, report: Report): { name: string; value: string; setting: SettingAst }[] {
  const out: { name: string; value: string; setting: SettingAst }[] = [];
  const seen = new Map<string, SettingAst>();
  for (const setting of settings) {
    const first = seen.get(setting.name.text);
    if (first) {
      report.error(LANGUAGE.duplicateSetting, `'${setting.name.text}' is set twice in ${blockDescription}`, setting.name.span, 'remove one of them', [{ message: 'first set here', span: first.span }]);
      continue;
    }
    seen.set(setting.name.text, setting);
    const value = readValue(setting, { kind: 'text' }, report);
    if (typeof value === 'string') out.push({ name: setting.name.text, value, setting });
  }
  return out;
}

function readValue(setting: SettingAst, spec: SettingSpec, report: Report): SettingValue | undefined {
  const name = setting.name.text;
  const value = setting.value;
  switch (spec.kind) {
    case 'enum': {
      const text = value.kind === 'word' || value.kind === 'string' ? (value.kind === 'word' ? value.text : value.value) : undefined;
      if (text === undefined || !spec.values.includes(text)) {
        const hint = text !== undefined ? didYouMean(text, spec.values) : undefined;
        report.error(LANGUAGE.invalidSettingValue, `invalid value ${shown(value)} for '${name}': expected ${listOfChoices(spec.values)}`, value.span, hint);
        return undefined;
      }
      if (spec.notExecutable?.includes(text)) {
        report.error(LANGUAGE.notExecutableYet, `${name} = ${text} is not executable yet (change data capture is planned)`, value.span, `use ${name} = ${spec.values[0] ?? ''} for now`);
      }
      return text;
    }
    case 'integer': {
      if (value.kind !== 'number') {
        report.error(LANGUAGE.invalidSettingValue, `invalid value ${shown(value)} for '${name}': expected a whole number`, value.span);
        return undefined;
      }
      const n = Number(value.text);
      if (!/^-?\d+$/.test(value.text) || !Number.isSafeInteger(n) || n < spec.min) {
        report.error(LANGUAGE.valueOutOfRange, `'${name}' must be a whole number of at least ${spec.min}, not ${value.text}`, value.span);
        return undefined;
      }
      return n;
    }
    case 'ref':
      if (value.kind === 'env') return { kind: 'env', variable: value.variable, fallback: value.fallback, span: value.span };
      if (value.kind === 'string') return { kind: 'literal', value: value.value, span: value.span };
      report.error(LANGUAGE.invalidSettingValue, `invalid value ${shown(value)} for '${name}': expected env("VARIABLE") or a "quoted" value`, value.span, `write ${name} = env("VARIABLE")`);
      return undefined;
    case 'text':
      if (value.kind === 'string') return value.value;
      if (value.kind === 'word' || value.kind === 'number') return value.text;
      report.error(LANGUAGE.invalidSettingValue, `'${name}' takes a literal value, not env()`, value.span);
      return undefined;
    default:
      return assertNever(spec);
  }
}

function shown(value: SettingValueAst): string {
  switch (value.kind) {
    case 'word': return `'${value.text}'`;
    case 'number': return value.text;
    case 'string': return `"${value.value}"`;
    case 'env': return `env("${value.variable}")`;
    default: return assertNever(value);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
