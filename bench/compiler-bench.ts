/**
 * Times the pure compiler on a generated 1,000-table plan: parse + lower (compilePlan), check
 * (checkPlan against a synthetic catalog) and plan (buildGraph). No database is touched. Each
 * stage's best of `repeats` runs is reported (the first run also pays module warm-up and JIT).
 */
import { compilePlan } from '../src/ir/load.js';
import { checkPlan } from '../src/check/check-plan.js';
import { buildGraph } from '../src/plan/build-graph.js';
import { findEngine } from '../src/engines/registry.js';
import { builtinTypeRules } from '../src/types/prelude.js';
import { hasErrors, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { compilerCatalog, compilerPlanText, emptyPostgresCatalog, FIXTURE_SOURCE, FIXTURE_TARGET } from './compiler-fixture.js';
import type { CompilerTiming } from './results.js';

export function timeCompiler(tables: number, repeats: number): CompilerTiming & { readonly firstErrors: readonly Diagnostic[] } {
  const mysql = findEngine('mysql');
  if (!mysql) throw new Error('this build has no mysql engine');
  const text = compilerPlanText(tables);
  const catalog = compilerCatalog(tables, mysql.types);
  const best = { parse: Infinity, check: Infinity, plan: Infinity };
  let steps = 0;
  let diagnostics: readonly Diagnostic[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const compiled = compilePlan(text, '/bench/compiler-bench.dmsplan', () => undefined);
    const t1 = performance.now();
    if (!compiled.value) throw new Error(`the generated plan did not compile: ${compiled.diagnostics[0]?.message ?? '?'}`);
    const checked = checkPlan({ ir: compiled.value, catalogs: new Map([[FIXTURE_SOURCE, catalog]]), builtinRules: builtinTypeRules });
    const t2 = performance.now();
    const graph = buildGraph({
      checked: checked.value,
      planFile: 'compiler-bench.dmsplan',
      toolVersion: 'bench',
      targets: new Map([[FIXTURE_TARGET, { catalog: emptyPostgresCatalog(), completedSteps: new Set<string>(), recordedStepIds: new Set<string>(), startedCopies: new Set<string>(), nonEmptyTables: new Set<string>() }]]),
      sources: new Map([[FIXTURE_SOURCE, catalog]]),
      merges: [], // the generated plan has no merge blocks
    });
    const t3 = performance.now();
    best.parse = Math.min(best.parse, t1 - t0);
    best.check = Math.min(best.check, t2 - t1);
    best.plan = Math.min(best.plan, t3 - t2);
    steps = graph.value.steps.length;
    diagnostics = [...compiled.diagnostics, ...checked.diagnostics, ...graph.diagnostics];
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return {
    tables,
    planBytes: Buffer.byteLength(text),
    parseMs: best.parse,
    checkMs: best.check,
    planMs: best.plan,
    steps,
    errors: hasErrors(diagnostics) ? errors.length : 0,
    firstErrors: errors.slice(0, 3),
  };
}
