/**
 * The built-in type rules: plans/types/<source>-to-<target>.dmsplan, written in the plan language
 * itself and parsed by the front end, cached per engine pair. PGlite speaks PostgreSQL's dialect,
 * so it uses the postgres files with the engine names replaced.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineName, TypeRulesIR } from '../ir/ir.js';
import { compileTypeRules } from '../ir/load.js';

/** The engine whose prelude files an engine shares. */
function dialectOf(engine: EngineName): EngineName {
  return engine === 'pglite' ? 'postgres' : engine;
}

/** plans/types, from src/types/ (tests) or dist/cli/ (the built CLI, bundled), both two levels down; dist/src/types/ three. */
export function preludeDirectory(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../plans/types'), path.resolve(here, '../../../plans/types')];
  return candidates.find((dir) => fs.existsSync(dir)) ?? (candidates[0] as string);
}

export function preludeFile(source: EngineName, target: EngineName): string {
  return path.join(preludeDirectory(), `${dialectOf(source)}-to-${dialectOf(target)}.dmsplan`);
}

const cache = new Map<string, readonly TypeRulesIR[]>();

/**
 * The built-in rules for a pair, empty when there is no file for it (every column then takes the
 * fallback). A prelude file that does not compile is a bug of this build, so it throws.
 */
export function builtinTypeRules(source: EngineName, target: EngineName): readonly TypeRulesIR[] {
  const key = `${source}->${target}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const file = preludeFile(source, target);
  let rules: readonly TypeRulesIR[] = [];
  if (fs.existsSync(file)) {
    const compiled = compileTypeRules(fs.readFileSync(file, 'utf8'), file);
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`bug: built-in type rules ${file} do not compile: ${errors.map((d) => `${d.span?.startLine ?? 0}: ${d.message}`).join('; ')}`);
    rules = compiled.value.map((block) => ({ ...block, sourceEngine: source, targetEngine: target }));
  }
  cache.set(key, rules);
  return rules;
}
