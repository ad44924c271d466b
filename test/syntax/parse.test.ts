import { describe, expect, it } from 'vitest';
import type * as A from '../../src/syntax/ast.js';
import { parsePlan } from '../../src/syntax/parse.js';
import { MAX_EXPRESSION_DEPTH } from '../../src/diagnostics/codes/syntax.js';
import { stripSpans } from '../arbitraries/plan-ast.js';

function parseOk(text: string): A.PlanAst {
  const result = parsePlan(text, 'test.dmsplan');
  expect(result.diagnostics).toEqual([]);
  return result.value;
}

function only<T extends A.StatementAst['kind']>(text: string, kind: T): Extract<A.StatementAst, { kind: T }> {
  const plan = parseOk(text);
  expect(plan.statements).toHaveLength(1);
  const [statement] = plan.statements;
  expect(statement?.kind).toBe(kind);
  return statement as Extract<A.StatementAst, { kind: T }>;
}

function whereOf(expression: string): unknown {
  const map = only(`map a.b.c -> d.e.f { table t { where ${expression} } }`, 'map');
  const table = map.items[0] as A.TableAst;
  const where = table.items[0] as Extract<A.TableItemAst, { kind: 'where' }>;
  return stripSpans(where.filter);
}

describe('statements', () => {
  it('reads imports with either quote', () => {
    const plan = parseOk(`import "types/common.dmsplan"\nimport 'b.dmsplan'`);
    expect(plan.statements.map((s) => (s as A.ImportAst).path)).toEqual(['types/common.dmsplan', 'b.dmsplan']);
  });

  it('reads a migration block with or without a name', () => {
    const named = only('migration chinook { mode = full_load  workers = 4  max_rejects = 1000 }', 'migration');
    expect(named.name?.text).toBe('chinook');
    expect(stripSpans(named.settings)).toEqual([
      { kind: 'setting', name: { text: 'mode' }, value: { kind: 'word', text: 'full_load' } },
      { kind: 'setting', name: { text: 'workers' }, value: { kind: 'number', text: '4' } },
      { kind: 'setting', name: { text: 'max_rejects' }, value: { kind: 'number', text: '1000' } },
    ]);
    expect(only('migration { }', 'migration').name).toBeUndefined();
  });

  it('reads endpoints with settings, env() and sub-blocks', () => {
    const target = only(
      `target dw postgres {
        url = env("DW_PG_URL", "postgres://localhost/dw")
        prepare = drop_and_create
        tls { mode = require  ca = env("PG_CA") }
        session { statement_timeout = "0"  work_mem = '64MB' }
      }`,
      'endpoint',
    );
    expect(target.role).toBe('target');
    expect(target.name.text).toBe('dw');
    expect(target.engine.text).toBe('postgres');
    expect(stripSpans(target.items)).toEqual([
      { kind: 'setting', name: { text: 'url' }, value: { kind: 'env', variable: 'DW_PG_URL', fallback: 'postgres://localhost/dw' } },
      { kind: 'setting', name: { text: 'prepare' }, value: { kind: 'word', text: 'drop_and_create' } },
      { kind: 'block', name: { text: 'tls' }, settings: [
        { kind: 'setting', name: { text: 'mode' }, value: { kind: 'word', text: 'require' } },
        { kind: 'setting', name: { text: 'ca' }, value: { kind: 'env', variable: 'PG_CA' } },
      ] },
      { kind: 'block', name: { text: 'session' }, settings: [
        { kind: 'setting', name: { text: 'statement_timeout' }, value: { kind: 'string', value: '0' } },
        { kind: 'setting', name: { text: 'work_mem' }, value: { kind: 'string', value: '64MB' } },
      ] },
    ]);
  });

  it('reads a map with selectors, settings, include/exclude patterns and table blocks', () => {
    const map = only(
      `map shop.Chinook.* -> dw.chinook.* {
        names = snake_case
        include Employee*
        exclude /^tmp_.*$/i
        exclude \`Order Details\`
        table Invoice -> invoices {
          where raw "InvoiceDate >= now() - interval 1 year"
          rename Total -> total_amount
          drop BillingPostalCode
          add label varchar(40) = concat(BillingCity, '-', upper(BillingCountry))
          mask CustomerEmail = hash
          mask Phone = 'n/a'
          column Total numeric(12, 2) using cast lossy
          chunk rows = 50000 by InvoiceId
        }
      }`,
      'map',
    );
    expect(stripSpans(map.source)).toEqual({ parts: [{ kind: 'name', text: 'shop' }, { kind: 'name', text: 'Chinook' }, { kind: 'glob', text: '*' }] });
    expect(stripSpans(map.items.slice(0, 4))).toEqual([
      { kind: 'setting', name: { text: 'names' }, value: { kind: 'word', text: 'snake_case' } },
      { kind: 'include', pattern: { kind: 'glob', text: 'Employee*' } },
      { kind: 'exclude', pattern: { kind: 'regex', source: '^tmp_.*$', flags: 'i' } },
      { kind: 'exclude', pattern: { kind: 'name', text: 'Order Details' } },
    ]);
    const table = map.items[4] as A.TableAst;
    expect(table.renameTo?.text).toBe('invoices');
    expect(stripSpans(table.items)).toEqual([
      { kind: 'where', filter: { kind: 'raw', sql: 'InvoiceDate >= now() - interval 1 year' } },
      { kind: 'rename', from: { text: 'Total' }, to: { text: 'total_amount' } },
      { kind: 'drop', column: { text: 'BillingPostalCode' } },
      {
        kind: 'add', column: { text: 'label' }, type: { name: { text: 'varchar' }, params: [{ kind: 'number', text: '40' }], unsigned: false, array: false },
        value: { kind: 'call', fn: { text: 'concat' }, args: [
          { kind: 'column', name: 'BillingCity' },
          { kind: 'literal', value: { kind: 'string', value: '-' } },
          { kind: 'call', fn: { text: 'upper' }, args: [{ kind: 'column', name: 'BillingCountry' }] },
        ] },
      },
      { kind: 'mask', column: { text: 'CustomerEmail' }, method: { kind: 'method', name: 'hash' } },
      { kind: 'mask', column: { text: 'Phone' }, method: { kind: 'literal', value: { kind: 'string', value: 'n/a' } } },
      { kind: 'column', column: { text: 'Total' }, type: { name: { text: 'numeric' }, params: [{ kind: 'number', text: '12' }, { kind: 'number', text: '2' }], unsigned: false, array: false }, conversion: { text: 'cast' }, lossy: true },
      { kind: 'chunk', rows: { text: '50000' }, by: { text: 'InvoiceId' } },
    ]);
  });

  it('reads type rules with params, guards, scopes, arrays and quoted multi-word types', () => {
    const types = only(
      `types mysql -> postgres {
        tinyint(1) -> boolean using int_to_boolean
        bigint unsigned -> numeric(20, 0)
        decimal(p, s) where p > 38 and not null -> text lossy
        column Invoice.Total: decimal(*, *) -> numeric(14, 2)
        column *_at: datetime -> timestamptz
        int[] -> jsonb
        "double precision" -> "timestamp with time zone"(3)
      }`,
      'types',
    );
    expect(types.from.text).toBe('mysql');
    const rules = stripSpans(types.rules) as Record<string, unknown>[];
    expect(rules[0]).toEqual({ pattern: { name: { text: 'tinyint' }, params: [{ kind: 'number', text: '1' }], unsigned: false, array: false }, guards: [], target: { name: { text: 'boolean' }, unsigned: false, array: false }, conversion: { text: 'int_to_boolean' }, lossy: false });
    expect(rules[1]?.['pattern']).toEqual({ name: { text: 'bigint' }, unsigned: true, array: false });
    expect(rules[2]?.['guards']).toEqual([{ kind: 'compare', param: { text: 'p' }, op: '>', value: { text: '38' } }, { kind: 'not_null' }]);
    expect(rules[2]?.['lossy']).toBe(true);
    expect(rules[3]?.['scope']).toEqual({ table: { kind: 'name', text: 'Invoice' }, column: { kind: 'name', text: 'Total' } });
    expect(rules[3]?.['pattern']).toEqual({ name: { text: 'decimal' }, params: [{ kind: 'any' }, { kind: 'any' }], unsigned: false, array: false });
    expect(rules[4]?.['scope']).toEqual({ column: { kind: 'glob', text: '*_at' } });
    expect(rules[5]?.['pattern']).toEqual({ name: { text: 'int' }, unsigned: false, array: true });
    expect(rules[6]?.['target']).toEqual({ name: { text: 'timestamp with time zone' }, params: [{ kind: 'number', text: '3' }], unsigned: false, array: false });
  });

  it('reads a merge', () => {
    const merge = only(
      `merge customers into dw.crm.customer {
        from eu.shop.customers tag region = 'eu'
        from us.shop.customers tag region = 'us' tag n = 2 offset 1000000
        key (region, id)
        strategy = offset
        on_conflict = reject
      }`,
      'merge',
    );
    expect(stripSpans(merge.items)).toEqual([
      { kind: 'from', selector: { parts: [{ kind: 'name', text: 'eu' }, { kind: 'name', text: 'shop' }, { kind: 'name', text: 'customers' }] }, tags: [{ column: { text: 'region' }, value: { kind: 'string', value: 'eu' } }] },
      { kind: 'from', selector: { parts: [{ kind: 'name', text: 'us' }, { kind: 'name', text: 'shop' }, { kind: 'name', text: 'customers' }] }, tags: [{ column: { text: 'region' }, value: { kind: 'string', value: 'us' } }, { column: { text: 'n' }, value: { kind: 'number', text: '2' } }], offset: { text: '1000000' } },
      { kind: 'key', columns: [{ text: 'region' }, { text: 'id' }] },
      { kind: 'setting', name: { text: 'strategy' }, value: { kind: 'word', text: 'offset' } },
      { kind: 'setting', name: { text: 'on_conflict' }, value: { kind: 'word', text: 'reject' } },
    ]);
  });

  it('keeps comments, with their positions', () => {
    const plan = parseOk('# first\nmigration m { workers = 2 } # second\n');
    expect(plan.comments.map((c) => [c.text, c.span.startLine, c.span.startColumn])).toEqual([[' first', 1, 1], [' second', 2, 29]]);
  });
});

describe('names and strings', () => {
  it('accepts keywords as names outside expressions', () => {
    const map = only('map a.b.c -> d.e.f { table key { drop date  rename from -> table } }', 'map');
    const table = map.items[0] as A.TableAst;
    expect(stripSpans(table.match)).toEqual({ kind: 'name', text: 'key' });
    expect(stripSpans(table.items)).toEqual([{ kind: 'drop', column: { text: 'date' } }, { kind: 'rename', from: { text: 'from' }, to: { text: 'table' } }]);
  });

  it('unquotes double-quoted and backtick names, undoubling the quote', () => {
    const map = only('map a.b.c -> d.e.f { table "Order ""Details""" { drop `a``b` } }', 'map');
    const table = map.items[0] as A.TableAst;
    expect(stripSpans(table.match)).toEqual({ kind: 'name', text: 'Order "Details"' });
    expect(stripSpans(table.items[0])).toEqual({ kind: 'drop', column: { text: 'a`b' } });
  });

  it("decodes '' inside single-quoted strings and keeps backslashes literally", () => {
    expect(whereOf("x = 'it''s \\n'")).toEqual({ kind: 'expr', expr: { kind: 'compare', op: '=', left: { kind: 'column', name: 'x' }, right: { kind: 'literal', value: { kind: 'string', value: "it's \\n" } } } });
  });
});

describe('filter expressions', () => {
  const col = (name: string) => ({ kind: 'column', name });
  const num = (text: string) => ({ kind: 'literal', value: { kind: 'number', text } });

  it('gives and precedence over or, and not over both', () => {
    expect(whereOf('a = 1 or b = 2 and not c = 3')).toEqual({
      kind: 'expr',
      expr: {
        kind: 'logical', op: 'or',
        left: { kind: 'compare', op: '=', left: col('a'), right: num('1') },
        right: { kind: 'logical', op: 'and', left: { kind: 'compare', op: '=', left: col('b'), right: num('2') }, right: { kind: 'not', operand: { kind: 'compare', op: '=', left: col('c'), right: num('3') } } },
      },
    });
  });

  it('reads parentheses, <> as !=, is [not] null, [not] in, [not] between, [not] like', () => {
    expect(whereOf('(a <> 1 or b is not null) and c not in (1, 2) and d between 1 and 5 and e not like \'x%\'')).toEqual({
      kind: 'expr',
      expr: {
        kind: 'logical', op: 'and',
        left: {
          kind: 'logical', op: 'and',
          left: {
            kind: 'logical', op: 'and',
            left: { kind: 'logical', op: 'or', left: { kind: 'compare', op: '!=', left: col('a'), right: num('1') }, right: { kind: 'is_null', negated: true, operand: col('b') } },
            right: { kind: 'in', negated: true, operand: col('c'), list: [num('1'), num('2')] },
          },
          right: { kind: 'between', negated: false, operand: col('d'), low: num('1'), high: num('5') },
        },
        right: { kind: 'like', negated: true, operand: col('e'), pattern: { kind: 'literal', value: { kind: 'string', value: 'x%' } } },
      },
    });
  });

  it('reads date, timestamp, boolean and null literals, and quoted keyword columns', () => {
    expect(whereOf(`"date" >= date '2009-01-01' and t < timestamp '2020-01-01 10:00' and f = true and g = null`)).toMatchObject({
      expr: {
        left: {
          left: { left: { left: { kind: 'column', name: 'date' }, right: { value: { kind: 'date', value: '2009-01-01' } } }, right: { right: { value: { kind: 'timestamp', value: '2020-01-01 10:00' } } } },
          right: { right: { value: { kind: 'bool', value: true } } },
        },
        right: { right: { value: { kind: 'null' } } },
      },
    });
  });
});

describe('syntax errors', () => {
  it('reports several errors in one file, each at its position, and keeps the good statements', () => {
    const text = [
      'source a mysql { url = env("A") }', // 1 fine
      'target b postgres { url = env("B") prepare = }', // 2 missing value
      'map a.x.* -> b.y.* { table t { where x = and y > 2 } }', // 3 missing operand
      'source c mysql { url = env("C") }', // 4 fine
      'types mysql postgres { }', // 5 missing ->
      'merge m into b.s.t { key () }', // 6 empty key
    ].join('\n');
    const result = parsePlan(text, 'bad.dmsplan');
    const positions = result.diagnostics.map((d) => [d.code, d.span?.startLine, d.span?.startColumn]);
    expect(positions).toEqual([
      ['DMS1003', 2, 46],
      ['DMS1003', 3, 42],
      ['DMS1003', 5, 13],
      ['DMS1003', 6, 27],
    ]);
    expect(result.diagnostics[0]?.message).toContain("found '}'");
    const names = result.value.statements.filter((s): s is A.EndpointAst => s.kind === 'endpoint').map((s) => s.name.text);
    expect(names).toEqual(['a', 'b', 'c']);
  });

  it('reports unexpected characters and goes on', () => {
    const result = parsePlan('migration m { workers = 4; }\nsource a mysql { url = env("A") }', 'x.dmsplan');
    expect(result.diagnostics.map((d) => [d.code, d.span?.startLine, d.span?.startColumn])).toEqual([['DMS1001', 1, 26]]);
    expect(result.value.statements.map((s) => s.kind)).toEqual(['migration', 'endpoint']);
  });

  it('reports an unterminated string once', () => {
    const result = parsePlan("map a.b.c -> d.e.f { table t { where x = 'abc } }\n", 'x.dmsplan');
    expect(result.diagnostics[0]).toMatchObject({ code: 'DMS1002', span: { startLine: 1, startColumn: 42 } });
  });

  it('reports text outside any statement and parses what follows', () => {
    const result = parsePlan('workers = 4\n}\nsource a mysql { url = env("A") }', 'x.dmsplan');
    expect(result.diagnostics.map((d) => [d.code, d.span?.startLine])).toEqual([['DMS1004', 1]]);
    expect(result.value.statements.map((s) => s.kind)).toEqual(['endpoint']);
  });

  it('reports a missing closing brace at the end of the file', () => {
    const result = parsePlan('migration m {\n  workers = 4\n', 'x.dmsplan');
    expect(result.diagnostics.map((d) => [d.code, d.span?.startLine, d.span?.startColumn])).toEqual([['DMS1003', 3, 1]]);
    expect(result.diagnostics[0]?.message).toContain('end of the file');
  });

  it('caps the number of errors on garbage', () => {
    const garbage = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? '}' : ';')).join(' ');
    const result = parsePlan(garbage, 'x.dmsplan');
    expect(result.diagnostics.length).toBeLessThanOrEqual(51);
    expect(result.diagnostics.at(-1)?.code).toBe('DMS1005');
  });
});

describe('filters nested too deeply', () => {
  // 5,000 `or` terms passed validate and failed `plan` with "internal error: Maximum call stack
  // size exceeded"; 100,000 `not`s were "internal error while parsing … a bug".
  const chain = (terms: number) => `map a.b.c -> d.e.f { table t { where ${Array.from({ length: terms }, (_, i) => `id = ${i}`).join(' or ')} } }`;

  it('accepts a chain up to the limit, one level per term', () => {
    expect(parsePlan(chain(MAX_EXPRESSION_DEPTH - 1), 'test.dmsplan').diagnostics).toEqual([]);
  });

  it('refuses a longer chain with DMS1006 at the filter, and suggests in (…)', () => {
    const result = parsePlan(chain(5000), 'test.dmsplan');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DMS1006']);
    const [d] = result.diagnostics;
    expect(d?.message).toContain('5001 levels deep');
    expect(d?.span?.startLine).toBe(1);
    expect(d?.span?.startColumn).toBe(38);
    expect(d?.hint).toContain('in (v1, v2, …)');
  });

  it('refuses not nested beyond what the parser can read with DMS1006, not as a bug', () => {
    const result = parsePlan(`map a.b.c -> d.e.f { table t { where ${'not '.repeat(100_000)}x = 1 } }`, 'test.dmsplan');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['DMS1006']);
  });
});
