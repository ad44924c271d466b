/** `types FROM -> TO { rules }` → TypeRulesIR. */
import { LANGUAGE } from '../diagnostics/codes/language.js';
import type { GuardAst, TypeExprAst, TypeRuleAst, TypesAst } from '../syntax/ast.js';
import type { GuardIR, TargetTypeIR, TypeParamPattern, TypePatternIR, TypeRuleIR, TypeRulesIR } from './ir.js';
import { checkConversion } from './lower-maps.js';
import { lowerNamePattern, resolveEngine } from './lower-names.js';
import type { Report } from './lower-report.js';

export function lowerTypes(ast: TypesAst, report: Report): TypeRulesIR | undefined {
  const sourceEngine = resolveEngine(ast.from, report);
  const targetEngine = resolveEngine(ast.to, report);
  const rules = ast.rules.map((rule) => lowerRule(rule, report)).filter((r): r is TypeRuleIR => r !== undefined);
  if (!sourceEngine || !targetEngine) return undefined;
  return { sourceEngine, targetEngine, rules, span: ast.span };
}

function lowerRule(rule: TypeRuleAst, report: Report): TypeRuleIR | undefined {
  const bound = new Set<string>();
  const pattern = lowerPattern(rule.pattern, bound, report);
  const guards = rule.guards.map((g) => lowerGuard(g, bound, report));
  const target = lowerTarget(rule.target, bound, report);
  const conversion = checkConversion(rule.conversion, report);
  let scope: TypeRuleIR['scope'];
  if (rule.scope) {
    const table = rule.scope.table ? lowerNamePattern(rule.scope.table, report) : undefined;
    const column = lowerNamePattern(rule.scope.column, report);
    if (!column || (rule.scope.table && !table)) return undefined;
    scope = { table, column };
  }
  if (!pattern || !target || guards.some((g) => g === undefined)) return undefined;
  return { pattern, guards: guards as GuardIR[], scope, target, conversion, lossy: rule.lossy, span: rule.span };
}

function wholeNumber(text: string): number | undefined {
  const n = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(n) ? n : undefined;
}

function lowerPattern(type: TypeExprAst, bound: Set<string>, report: Report): TypePatternIR | undefined {
  let ok = true;
  const params = type.params?.map((param): TypeParamPattern => {
    switch (param.kind) {
      case 'any':
        return { kind: 'any' };
      case 'number': {
        const n = wholeNumber(param.text);
        if (n === undefined) {
          report.error(LANGUAGE.invalidTypeParam, `type parameters are whole numbers, not ${param.text}`, param.span);
          ok = false;
        }
        return { kind: 'number', value: n ?? 0 };
      }
      case 'bind':
        if (bound.has(param.name)) {
          report.error(LANGUAGE.invalidTypeParam, `'${param.name}' is bound twice in this pattern`, param.span, 'give each parameter its own name, or use * for "any"');
          ok = false;
        }
        bound.add(param.name);
        return { kind: 'bind', name: param.name };
      default:
        return assertNever(param);
    }
  });
  if (!ok) return undefined;
  return { name: type.name.text, params, unsigned: type.unsigned, ...(type.array ? { array: true } : {}), span: type.span };
}

function lowerTarget(type: TypeExprAst, bound: ReadonlySet<string>, report: Report): TargetTypeIR | undefined {
  let ok = true;
  const params: TargetTypeIR['params'][number][] = [];
  for (const param of type.params ?? []) {
    switch (param.kind) {
      case 'any':
        report.error(LANGUAGE.invalidTypeParam, '* (any) may appear in a rule pattern, not in its target type', param.span, 'write a number or a parameter bound by the pattern');
        ok = false;
        break;
      case 'number': {
        const n = wholeNumber(param.text);
        if (n === undefined) {
          report.error(LANGUAGE.invalidTypeParam, `type parameters are whole numbers, not ${param.text}`, param.span);
          ok = false;
        } else params.push({ kind: 'number', value: n });
        break;
      }
      case 'bind':
        if (!bound.has(param.name)) {
          report.error(LANGUAGE.unboundTypeParam, `'${param.name}' is not bound by the rule's pattern`, param.span, bound.size > 0 ? `bound here: ${[...bound].join(', ')}` : `bind it in the pattern, e.g. decimal(${param.name}, s)`);
          ok = false;
        } else params.push({ kind: 'bind', name: param.name });
        break;
      default:
        assertNever(param);
    }
  }
  return ok ? { name: type.name.text, params, unsigned: type.unsigned, array: type.array, span: type.span } : undefined;
}

function lowerGuard(guard: GuardAst, bound: ReadonlySet<string>, report: Report): GuardIR | undefined {
  switch (guard.kind) {
    case 'unsigned': case 'not_null': case 'default': case 'auto_increment':
      return { kind: guard.kind };
    case 'compare': {
      if (!bound.has(guard.param.text)) {
        report.error(LANGUAGE.unboundTypeParam, `the guard uses '${guard.param.text}', which the pattern does not bind`, guard.param.span, `bind it in the pattern, e.g. decimal(${guard.param.text}, s)`);
        return undefined;
      }
      const value = Number(guard.value.text);
      if (!Number.isFinite(value)) return undefined;
      return { kind: 'compare', param: guard.param.text, op: guard.op, value };
    }
    default:
      return assertNever(guard);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
