/** References from maps and merges to declared endpoints. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { NamePatternAst } from '../syntax/ast.js';
import type { EndpointEntry } from './lower-endpoints.js';
import type { Report } from './lower-report.js';

export type EndpointTable = ReadonlyMap<string, EndpointEntry>;

/**
 * Checks that `part` names an endpoint of `role`; returns its name (or undefined after a
 * diagnostic). `where` describes the place ("the source of a map").
 */
export function resolveEndpointRef(part: NamePatternAst | undefined, role: 'source' | 'target', where: string, endpoints: EndpointTable, report: Report, selectorSpan: Span): string | undefined {
  if (!part || part.kind !== 'name') {
    report.error(LANGUAGE.invalidSelector, `${where} must start with an endpoint name`, part?.span ?? selectorSpan, `declare endpoints with ${role} NAME ENGINE { ... } and write NAME.schema.table`);
    return undefined;
  }
  const entry = endpoints.get(part.text);
  if (!entry) {
    const sameRole = [...endpoints.values()].filter((e) => e.role === role).map((e) => e.name);
    report.error(
      LANGUAGE.unknownEndpoint,
      `unknown ${role} '${part.text}' in ${where}`,
      part.span,
      didYouMean(part.text, sameRole) ?? didYouMean(part.text, endpoints.keys()) ?? (sameRole.length > 0 ? `${role}s: ${sameRole.join(', ')}` : `declare it: ${role} ${part.text} ENGINE { url = env("...") }`),
    );
    return undefined;
  }
  if (entry.role !== role) {
    report.error(
      LANGUAGE.wrongEndpointRole,
      `'${part.text}' is a ${entry.role}, but ${where} must be a ${role}`,
      part.span,
      role === 'target' ? `declare a target for that database: target NAME ENGINE { ... }` : `declare a source for that database: source NAME ENGINE { ... }`,
      [{ message: `'${part.text}' is declared here`, span: entry.span }],
    );
    return undefined;
  }
  return part.text;
}
