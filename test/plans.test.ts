/**
 * Everything under plans/ is written in the canonical style, and every example plan is valid:
 * the examples are documentation people copy, so they must pass `fmt --check` and `validate`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../src/ir/load.js';
import { formatPlan } from '../src/syntax/format.js';
import { REPO_ROOT } from './support/servers.js';

const PLANS = path.join(REPO_ROOT, 'plans');

function planFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return planFiles(full);
    return e.name.endsWith('.dmsplan') ? [full] : [];
  });
}

const all = planFiles(PLANS);
const runnable = all.filter((f) => !f.includes(`${path.sep}types${path.sep}`));

describe('the plans shipped in plans/', () => {
  it('include the quickstart, the examples and the built-in type rules', () => {
    expect(all.map((f) => path.relative(PLANS, f))).toEqual(expect.arrayContaining(['quickstart.dmsplan', path.join('types', 'mysql-to-postgres.dmsplan')]));
    expect(runnable.filter((f) => f.includes('examples')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(all.map((f) => [path.relative(PLANS, f), f]))('%s is in canonical format', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(formatPlan(text, file).value).toBe(text);
  });

  it.each(runnable.map((f) => [path.relative(PLANS, f), f]))('%s validates without errors', (_name, file) => {
    const result = loadPlanFile(file);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
});
