import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../src/syntax/format.js';

function fmt(text: string): string {
  const result = formatPlan(text, 'f.dmsplan');
  expect(result.diagnostics).toEqual([]);
  return result.value ?? '';
}

describe('formatPlan', () => {
  it('indents, aligns settings and puts one construct per line', () => {
    expect(fmt('target dw postgres {url=env("DW") prepare=truncate tls{mode=require ca=env("CA")}}')).toBe(
      ['target dw postgres {', '  url     = env("DW")', '  prepare = truncate', '  tls {', '    mode = require', '    ca   = env("CA")', '  }', '}', ''].join('\n'),
    );
  });

  it('keeps one-setting blocks on one line when they fit', () => {
    expect(fmt('source a mysql {\n  url = env("A")\n}')).toBe('source a mysql { url = env("A") }\n');
    const long = `source a mysql { url = env("A_VERY_LONG_VARIABLE_NAME", "mysql://localhost:3306/a_long_database") }`;
    expect(fmt(long)).toBe('source a mysql {\n  url = env("A_VERY_LONG_VARIABLE_NAME", "mysql://localhost:3306/a_long_database")\n}\n');
  });

  it('aligns the arrows of type rules', () => {
    expect(fmt('types mysql -> postgres { tinyint(1) -> boolean\n bigint unsigned -> numeric(20, 0) }')).toBe(
      'types mysql -> postgres {\n  tinyint(1)      -> boolean\n  bigint unsigned -> numeric(20, 0)\n}\n',
    );
  });

  it('keeps comments: own-line, end-of-line, inside blocks, before the closing brace and at the end', () => {
    const text = '# plan\nmigration m { # header\n  # workers\n  workers = 2 # two\n  # last\n} # after\n# end\n';
    expect(fmt(text)).toBe('# plan\nmigration m {  # header\n  # workers\n  workers = 2  # two\n  # last\n}  # after\n# end\n');
  });

  it('moves a comment from inside a joined expression to the line before it', () => {
    expect(fmt("map a.b.c -> d.e.f {\n  table t {\n    where x = 1 and\n      # why\n      y = 2\n  }\n}\n")).toBe(
      'map a.b.c -> d.e.f {\n  table t {\n    # why\n    where x = 1 and y = 2\n  }\n}\n',
    );
  });

  it('keeps single blank lines inside blocks and separates top-level blocks', () => {
    expect(fmt('migration m {\n  workers = 2\n\n\n\n  mode = full_load\n}\nsource a mysql { url = env("A") }\nsource b mysql { url = env("B") }\n')).toBe(
      'migration m {\n  workers = 2\n\n  mode    = full_load\n}\n\nsource a mysql { url = env("A") }\nsource b mysql { url = env("B") }\n',
    );
  });

  it('normalises quotes and operators but keeps values', () => {
    expect(fmt("import 'a.dmsplan'\nmap a.b.c -> d.e.f { table `Order Details` { where `key` <> 'it''s' and \"date\" = date '2020-01-01' } }")).toBe(
      'import "a.dmsplan"\n\nmap a.b.c -> d.e.f {\n  table "Order Details" {\n    where key != \'it\'\'s\' and "date" = date \'2020-01-01\'\n  }\n}\n',
    );
  });

  it('adds parentheses only where precedence needs them', () => {
    expect(fmt('map a.b.c -> d.e.f { table t { where ((a = 1) or (b = 2)) and not (c = 3 or d = 4) } }')).toContain('where (a = 1 or b = 2) and not (c = 3 or d = 4)');
  });

  it('returns undefined for text that does not parse', () => {
    const result = formatPlan('migration {', 'f.dmsplan');
    expect(result.value).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it('leaves the example plans unchanged (they are canonical)', () => {
    const dir = path.join(import.meta.dirname, '..', '..', 'plans', 'examples');
    const mine = ['dev-copy-with-masks', 'consolidation-merge', 'custom-type-rules', 'shared-endpoints', 'multi-file-import', 'cdc-planned'];
    for (const name of mine) {
      const text = fs.readFileSync(path.join(dir, `${name}.dmsplan`), 'utf8');
      expect(formatPlan(text, name).value, name).toBe(text);
    }
  });
});
