/** Engines, name patterns and endpoint references. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { NameAst, NamePatternAst } from '../syntax/ast.js';
import { ENGINE_NAMES, type EngineName, type NamePattern } from './ir.js';
import type { Report } from './lower-report.js';

/** Other spellings people use for an engine. */
export const ENGINE_ALIASES: Readonly<Record<string, EngineName>> = { mariadb: 'mysql', postgresql: 'postgres' };

/** Engines whose URL is a file path (no server, no credentials): a literal URL is fine. */
export const FILE_ENGINES: readonly EngineName[] = ['sqlite', 'pglite'];

export function resolveEngine(name: NameAst, report: Report): EngineName | undefined {
  const known = (ENGINE_NAMES as readonly string[]).includes(name.text) ? (name.text as EngineName) : ENGINE_ALIASES[name.text];
  if (known) return known;
  report.error(LANGUAGE.unknownEngine, `unknown engine '${name.text}'`, name.span, didYouMean(name.text, [...ENGINE_NAMES, ...Object.keys(ENGINE_ALIASES)]) ?? `engines: ${ENGINE_NAMES.join(', ')}`);
  return undefined;
}

const REGEX_FLAGS = /^[imsu]*$/;

export function lowerNamePattern(pattern: NamePatternAst, report: Report): NamePattern | undefined {
  switch (pattern.kind) {
    case 'name': return { kind: 'exact', text: pattern.text };
    case 'glob': return { kind: 'glob', text: pattern.text };
    case 'regex': {
      const flagsOk = REGEX_FLAGS.test(pattern.flags) && new Set(pattern.flags).size === pattern.flags.length;
      let problem = flagsOk ? undefined : `flags '${pattern.flags}' are not allowed (use i, m, s, u)`;
      if (!problem) {
        try {
          new RegExp(pattern.source, pattern.flags);
        } catch (e) {
          problem = e instanceof Error ? e.message : String(e);
        }
      }
      if (problem) {
        report.error(LANGUAGE.invalidRegex, `invalid regular expression /${pattern.source}/${pattern.flags}: ${problem}`, pattern.span);
        return undefined;
      }
      return { kind: 'regex', source: pattern.source, flags: pattern.flags };
    }
    default:
      return assertNever(pattern);
  }
}

/** Text of a pattern as written, for duplicate detection and messages. */
export function patternText(pattern: NamePatternAst): string {
  return pattern.kind === 'regex' ? `/${pattern.source}/${pattern.flags}` : pattern.text;
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
