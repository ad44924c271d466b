/** Type rules printed back as a plan would write them (for plans, hints and docs/type-mapping.md). */
import type { GuardIR, NamePattern, TypePatternIR, TypeRuleIR } from '../ir/ir.js';
import { printName } from '../syntax/print-expr.js';

export function describeRule(rule: TypeRuleIR): string {
  const scope = rule.scope ? `column ${rule.scope.table ? `${describeName(rule.scope.table)}.` : ''}${describeName(rule.scope.column)}: ` : '';
  const guards = rule.guards.length ? ` where ${rule.guards.map(describeGuard).join(' and ')}` : '';
  const target = `${quoteTypeName(rule.target.name)}${rule.target.params.length ? `(${rule.target.params.map((p) => (p.kind === 'number' ? String(p.value) : p.name)).join(', ')})` : ''}${rule.target.unsigned ? ' unsigned' : ''}${rule.target.array ? '[]' : ''}`;
  return `${scope}${describePattern(rule.pattern)}${guards} -> ${target}${rule.conversion ? ` using ${rule.conversion}` : ''}${rule.lossy ? ' lossy' : ''}`;
}

export function describePattern(pattern: TypePatternIR): string {
  const params = pattern.params === undefined ? '' : `(${pattern.params.map((p) => (p.kind === 'any' ? '*' : p.kind === 'number' ? String(p.value) : p.name)).join(', ')})`;
  return `${quoteTypeName(pattern.name)}${params}${pattern.unsigned ? ' unsigned' : ''}${pattern.array ? '[]' : ''}`;
}

function describeGuard(guard: GuardIR): string {
  switch (guard.kind) {
    case 'unsigned':
      return 'unsigned';
    case 'not_null':
      return 'not null';
    case 'default':
      return 'default';
    case 'auto_increment':
      return 'auto_increment';
    case 'compare':
      return `${guard.param} ${guard.op} ${guard.value}`;
    default: {
      const never: never = guard;
      return never;
    }
  }
}

function describeName(pattern: NamePattern): string {
  return pattern.kind === 'regex' ? `/${pattern.source}/${pattern.flags}` : pattern.text;
}

/**
 * The `TABLE.COLUMN` scope of a rule a hint suggests, for the source's own names (a rule's scope
 * matches the source table and column, not the target's renamed ones), each quoted where the plan
 * language needs it: `"Order Lines".qty`.
 */
export function describeColumnScope(table: string, column: string): string {
  return `${printName(table)}.${printName(column)}`;
}

/** Multi-word type names are written quoted in plans: "double precision". */
export function quoteTypeName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name}"`;
}
