import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGUAGE } from '../../src/diagnostics/codes/language.js';
import { compilePlan, compileTypeRules, loadPlanFile } from '../../src/ir/load.js';

/** An in-memory file system for imports. */
function reader(files: Record<string, string>): (absPath: string) => string | undefined {
  return (absPath) => files[absPath];
}

describe('imports', () => {
  it('resolves imports relative to the importing file and merges their declarations', () => {
    const result = compilePlan(
      'import "shared/endpoints.dmsplan"\nmap shop.app.* -> dw.app.* { }',
      '/plans/main.dmsplan',
      reader({
        '/plans/shared/endpoints.dmsplan': 'import "../types/rules.dmsplan"\nsource shop mysql { url = env("SHOP") }\ntarget dw postgres { url = env("DW") }',
        '/plans/types/rules.dmsplan': 'types mysql -> postgres { tinyint(1) -> boolean }',
      }),
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.files).toEqual(['/plans/main.dmsplan', '/plans/shared/endpoints.dmsplan', '/plans/types/rules.dmsplan']);
    expect(result.value?.endpoints.map((e) => e.name)).toEqual(['shop', 'dw']);
    expect(result.value?.maps).toHaveLength(1);
    expect(result.value?.typeRules[0]?.rules).toHaveLength(1);
    expect(result.value?.migration.name).toBe('main');
  });

  it('reads a file imported twice only once', () => {
    const result = compilePlan('import "a.dmsplan"\nimport "b.dmsplan"', '/p/main.dmsplan', reader({
      '/p/a.dmsplan': 'import "c.dmsplan"',
      '/p/b.dmsplan': 'import "c.dmsplan"',
      '/p/c.dmsplan': 'source s mysql { url = env("S") }',
    }));
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.endpoints).toHaveLength(1);
  });

  it('reports a missing import at the import statement', () => {
    const result = compilePlan('\nimport "nope.dmsplan"', '/p/main.dmsplan', reader({}));
    expect(result.diagnostics).toMatchObject([{ code: LANGUAGE.importNotFound, span: { file: '/p/main.dmsplan', startLine: 2, startColumn: 8 } }]);
    expect(result.diagnostics[0]?.message).toContain('/p/nope.dmsplan');
  });

  it('reports an import cycle', () => {
    const result = compilePlan('import "a.dmsplan"', '/p/main.dmsplan', reader({ '/p/a.dmsplan': 'import "main.dmsplan"' }));
    expect(result.diagnostics).toMatchObject([{ code: LANGUAGE.importCycle, span: { file: '/p/a.dmsplan' } }]);
    expect(result.diagnostics[0]?.message).toBe('import cycle: main.dmsplan -> a.dmsplan -> main.dmsplan');
  });

  it('reports a migration block in an imported file, and diagnostics of imported files carry their name', () => {
    const result = compilePlan('import "a.dmsplan"', '/p/main.dmsplan', reader({ '/p/a.dmsplan': 'migration x { }\nsource s mysqll { url = env("S") }' }));
    expect(result.diagnostics.map((d) => [d.code, d.span?.file])).toEqual([[LANGUAGE.migrationInImport, '/p/a.dmsplan'], [LANGUAGE.unknownEngine, '/p/a.dmsplan']]);
  });

  it('reports duplicates across files', () => {
    const result = compilePlan('import "a.dmsplan"\nsource s mysql { url = env("S") }', '/p/main.dmsplan', reader({ '/p/a.dmsplan': 'source s mysql { url = env("T") }' }));
    expect(result.diagnostics).toMatchObject([{ code: LANGUAGE.duplicateEndpoint, span: { file: '/p/a.dmsplan' }, related: [{ span: { file: '/p/main.dmsplan' } }] }]);
  });
});

describe('compilePlan', () => {
  it('returns undefined only when nothing parses', () => {
    expect(compilePlan('}}} not a plan', 'x.dmsplan', () => undefined).value).toBeUndefined();
    const partial = compilePlan('source s mysql { url = env("S") }\nmap {', 'x.dmsplan', () => undefined);
    expect(partial.value?.endpoints).toHaveLength(1);
    expect(partial.diagnostics.length).toBeGreaterThan(0);
  });

  it('refuses a file that declares nothing (an empty file planned as "No changes" and exited 0)', () => {
    for (const text of ['', '\n  \n', '# only a comment\n']) {
      const result = compilePlan(text, 'empty.dmsplan', () => undefined);
      expect(result.value).toMatchObject({ migration: { name: 'empty' }, endpoints: [] });
      expect(result.diagnostics.map((d) => [d.code, d.severity, d.message, d.span?.startLine])).toEqual([['DMS4011', 'error', 'empty.dmsplan declares nothing: no source, no target, no map', 1]]);
    }
  });
});

describe('compileTypeRules', () => {
  it('lowers types blocks and rejects anything else', () => {
    const result = compileTypeRules('types mysql -> postgres { tinyint(1) -> boolean using int_to_boolean }\nsource s mysql { url = env("S") }', 'prelude.dmsplan');
    expect(result.value).toHaveLength(1);
    expect(result.value[0]?.rules[0]).toMatchObject({ conversion: 'int_to_boolean' });
    expect(result.diagnostics.map((d) => d.code)).toEqual([LANGUAGE.onlyTypesAllowed]);
  });
});

describe('loadPlanFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dmsplan-load-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a plan and its imports from disk', () => {
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.writeFileSync(path.join(dir, 'shared', 'e.dmsplan'), 'source s mysql { url = env("S") }');
    fs.writeFileSync(path.join(dir, 'main.dmsplan'), 'import "shared/e.dmsplan"');
    const result = loadPlanFile(path.join(dir, 'main.dmsplan'));
    expect(result.diagnostics).toEqual([]);
    expect(result.value?.endpoints[0]?.name).toBe('s');
  });

  it('reports a missing plan file as a diagnostic', () => {
    const result = loadPlanFile(path.join(dir, 'missing.dmsplan'));
    expect(result.value).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: LANGUAGE.importNotFound }]);
  });
});

describe('example plans', () => {
  const examples = path.join(import.meta.dirname, '..', '..', 'plans', 'examples');
  const files = fs.existsSync(examples) ? fs.readdirSync(examples).filter((f) => f.endsWith('.dmsplan') && !f.startsWith('chinook-')) : [];

  it.each(files)('%s has no errors', (file) => {
    const result = loadPlanFile(path.join(examples, file));
    expect(result.diagnostics.filter((d) => d.severity === 'error' && d.code !== LANGUAGE.notExecutableYet)).toEqual([]);
  });
});
