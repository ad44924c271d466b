import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { LANGUAGE } from '../../src/diagnostics/codes/language.js';
import { findCode } from '../../src/diagnostics/codes.js';
import { compilePlan } from '../../src/ir/load.js';
import type { PlanIR } from '../../src/ir/ir.js';

const ENDPOINTS = `source shop mysql { url = env("SHOP_URL") }
target dw postgres { url = env("DW_URL") }
`;

function compile(text: string, file = '/plans/test.dmsplan'): { ir: PlanIR; diagnostics: readonly Diagnostic[] } {
  const result = compilePlan(text, file, () => undefined);
  expect(result.value).toBeDefined();
  return { ir: result.value as PlanIR, diagnostics: result.diagnostics };
}

function codes(text: string): string[] {
  return compile(text).diagnostics.map((d) => d.code);
}

/** The one diagnostic of a plan, which must carry `code` and point at `spanText`. */
function single(text: string, code: string, spanText: string): Diagnostic {
  const { diagnostics } = compile(text);
  expect(diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([expect.stringContaining(code)]);
  const [d] = diagnostics as [Diagnostic];
  expect(text.slice(d.span?.startOffset, d.span?.endOffset)).toBe(spanText);
  return d;
}

describe('defaults', () => {
  it('fills in the migration defaults when there is no migration block', () => {
    const { ir, diagnostics } = compile(ENDPOINTS, '/plans/nightly-copy.dmsplan');
    expect(diagnostics).toEqual([]);
    expect(ir.migration).toEqual({ name: 'nightly-copy', mode: 'full_load', workers: 4, validate: 'counts', maxRejects: undefined, onError: 'stop', span: undefined });
    expect(ir.endpoints.map((e) => [e.name, e.role, e.engine, e.prepare])).toEqual([['shop', 'source', 'mysql', 'do_nothing'], ['dw', 'target', 'postgres', 'do_nothing']]);
    expect(ir.files).toEqual(['/plans/nightly-copy.dmsplan']);
  });

  it('reads every migration setting', () => {
    const { ir } = compile('migration chinook { mode = full_load workers = 8 validate = checksums max_rejects = 10 on_error = continue }');
    expect(ir.migration).toMatchObject({ name: 'chinook', mode: 'full_load', workers: 8, validate: 'checksums', maxRejects: 10, onError: 'continue' });
  });

  it('lowers a map with its defaults and table rules', () => {
    const { ir, diagnostics } = compile(`${ENDPOINTS}
map shop.Chinook.* -> dw.chinook.* {
  include Employee*
  exclude /^tmp_/i
  table Invoice -> invoices {
    where Total > 0
    rename Total -> total_amount
    drop BillingPostalCode
    add migrated_from text = 'chinook-mysql'
    mask CustomerEmail = hash
    mask Phone = 'n/a'
    column Total2 numeric(12, 2) using cast lossy
    chunk rows = 50000 by InvoiceId
  }
}
map shop.crm -> dw.* { names = snake_case  views = include }`);
    expect(diagnostics).toEqual([]);
    const [map, second] = ir.maps;
    expect(map).toMatchObject({
      source: { endpoint: 'shop', schema: { kind: 'exact', text: 'Chinook' }, table: { kind: 'glob', text: '*' } },
      target: { endpoint: 'dw', schema: 'chinook', table: '*' },
      naming: 'keep',
      includeViews: false,
      includes: [{ kind: 'glob', text: 'Employee*' }],
      excludes: [{ kind: 'regex', source: '^tmp_', flags: 'i' }],
    });
    expect(map?.tables[0]).toMatchObject({
      match: { kind: 'exact', text: 'Invoice' },
      renameTo: 'invoices',
      where: { kind: 'expr', expr: { kind: 'compare', op: '>' } },
      renames: [{ from: 'Total', to: 'total_amount' }],
      drops: [{ column: 'BillingPostalCode' }],
      adds: [{ column: 'migrated_from', type: { name: 'text', params: [], unsigned: false, array: false }, value: { kind: 'literal', value: { kind: 'string', value: 'chinook-mysql' } } }],
      masks: [{ column: 'CustomerEmail', method: { kind: 'hash' } }, { column: 'Phone', method: { kind: 'fixed', value: { kind: 'string', value: 'n/a' } } }],
      columnTypes: [{ column: 'Total2', type: { name: 'numeric', params: [12, 2] }, conversion: 'cast', lossy: true }],
      chunk: { rows: 50000, by: 'InvoiceId' },
    });
    expect(second).toMatchObject({ source: { schema: { kind: 'glob', text: '*' }, table: { kind: 'exact', text: 'crm' } }, target: { schema: '*', table: '*' }, naming: 'snake_case', includeViews: true });
  });

  it('lowers endpoints with tls, session, env defaults and aliases', () => {
    const { ir, diagnostics } = compile(`source shop mariadb { url = env("SHOP", "mysql://localhost/shop") }
target dw postgresql { url = env("DW")  prepare = truncate  tls { mode = verify_full  ca = "certs/ca.pem" }  session { work_mem = "64MB" } }
source local sqlite { url = "plans/data/chinook.sqlite" }`);
    expect(diagnostics).toEqual([]);
    expect(ir.endpoints[0]).toMatchObject({ engine: 'mysql', url: { kind: 'env', variable: 'SHOP', fallback: 'mysql://localhost/shop' } });
    expect(ir.endpoints[1]).toMatchObject({ engine: 'postgres', prepare: 'truncate', tls: { mode: 'verify_full', ca: { kind: 'literal', value: 'certs/ca.pem' } }, session: [{ name: 'work_mem', value: '64MB' }] });
    expect(ir.endpoints[2]).toMatchObject({ engine: 'sqlite', url: { kind: 'literal', value: 'plans/data/chinook.sqlite' } });
  });

  it('lowers type rules and merges', () => {
    const { ir, diagnostics } = compile(`source eu mysql { url = env("EU") }
source us mysql { url = env("US") }
target dw postgres { url = env("DW") }
types mysql -> postgres {
  decimal(p, s) where p > 38 -> text lossy
  decimal(p, s) -> numeric(p, s)
  column Invoice.Total: decimal(*, *) -> numeric(14, 2)
  int[] -> jsonb using array_to_json
}
merge customers into dw.crm.customer {
  from eu.shop.customers tag region = 'eu'
  from us.shop.customers tag region = 'us' offset 1000000
  key (region, id)
  strategy = offset
  on_conflict = keep_last
}`);
    expect(diagnostics).toEqual([]);
    expect(ir.typeRules[0]).toMatchObject({ sourceEngine: 'mysql', targetEngine: 'postgres' });
    expect(ir.typeRules[0]?.rules[0]).toMatchObject({ pattern: { name: 'decimal', params: [{ kind: 'bind', name: 'p' }, { kind: 'bind', name: 's' }] }, guards: [{ kind: 'compare', param: 'p', op: '>', value: 38 }], target: { name: 'text', params: [] }, lossy: true });
    expect(ir.typeRules[0]?.rules[2]).toMatchObject({ scope: { table: { kind: 'exact', text: 'Invoice' }, column: { kind: 'exact', text: 'Total' } }, pattern: { params: [{ kind: 'any' }, { kind: 'any' }] } });
    expect(ir.typeRules[0]?.rules[3]).toMatchObject({ pattern: { name: 'int', params: undefined, array: true }, conversion: 'array_to_json' });
    expect(ir.merges[0]).toMatchObject({
      name: 'customers',
      into: { endpoint: 'dw', schema: 'crm', table: 'customer' },
      sources: [{ endpoint: 'eu', schema: 'shop', table: 'customers', tags: [{ column: 'region', value: { kind: 'string', value: 'eu' } }], offset: undefined }, { endpoint: 'us', offset: 1000000 }],
      key: ['region', 'id'],
      strategy: 'offset',
      onConflict: 'keep_last',
    });
  });
});

describe('diagnostics', () => {
  const map = (body: string): string => `${ENDPOINTS}map shop.app.* -> dw.app.* { ${body} }`;
  const table = (body: string): string => map(`table t { ${body} }`);

  it('DMS2001 unknown engine, with did-you-mean', () => {
    expect(single('source a mysqll { url = env("A") }', LANGUAGE.unknownEngine, 'mysqll').hint).toBe("did you mean 'mysql'?");
    single('types mysql -> postgress { }', LANGUAGE.unknownEngine, 'postgress');
  });

  it('DMS2002 unknown setting, with did-you-mean, and settings of the wrong role', () => {
    expect(single('migration m { worker = 2 }', LANGUAGE.unknownSetting, 'worker').hint).toBe("did you mean 'workers'?");
    expect(single('source a mysql { url = env("A") prepare = truncate }', LANGUAGE.unknownSetting, 'prepare').message).toContain('targets only');
    single(map('nmes = keep'), LANGUAGE.unknownSetting, 'nmes');
  });

  it('DMS2003 bad setting value lists the allowed values', () => {
    const d = single('migration m { validate = checksum }', LANGUAGE.invalidSettingValue, 'checksum');
    expect(d.message).toContain("'none', 'counts' or 'checksums'");
    expect(d.hint).toBe("did you mean 'checksums'?");
    single('migration m { workers = many }', LANGUAGE.invalidSettingValue, 'many');
    single('target dw postgres { url = env("DW") tls { mode = sometimes } }', LANGUAGE.invalidSettingValue, 'sometimes');
    single('source a mysql { url = a_word }', LANGUAGE.invalidSettingValue, 'a_word');
  });

  it('DMS2004 setting given twice', () => {
    const d = single('migration m { workers = 2 workers = 3 }', LANGUAGE.duplicateSetting, 'workers');
    expect(d.span?.startColumn).toBe(27);
    expect(d.related?.[0]?.span.startColumn).toBe(15);
  });

  it('DMS2005 endpoint without url', () => {
    expect(single('source shop mysql { }', LANGUAGE.missingSetting, 'shop').hint).toContain('env("SHOP_URL")');
  });

  it('DMS2006 unknown block in an endpoint', () => {
    expect(single('target dw postgres { url = env("DW") ssl { mode = require } }', LANGUAGE.unknownBlock, 'ssl').hint).toBe("did you mean 'tls'?");
  });

  it('DMS2008 block that does nothing for the engine', () => {
    single('source f sqlite { url = "a.sqlite" tls { mode = require } }', LANGUAGE.blockNotApplicable, 'tls');
    single('source f sqlite { url = "a.sqlite" session { x = "1" } }', LANGUAGE.blockNotApplicable, 'session');
  });

  it('DMS2010 duplicate endpoint, pointing at the first', () => {
    const d = single('source db mysql { url = env("A") }\ntarget db postgres { url = env("B") }', LANGUAGE.duplicateEndpoint, 'db');
    expect(d.span?.startLine).toBe(2);
    expect(d.related?.[0]?.span.startLine).toBe(1);
  });

  it('DMS2011 duplicate map target', () => {
    single(`${ENDPOINTS}map shop.a.* -> dw.app.* { }\nmap shop.b.* -> dw.app.* { }`, LANGUAGE.duplicateMapTarget, 'dw.app.*');
    expect(codes(`${ENDPOINTS}map shop.a.* -> dw.*.* { }\nmap shop.b.* -> dw.*.* { }`)).toEqual([]);
  });

  it('DMS2012 duplicate table block', () => {
    single(map('table t { } table t { }'), LANGUAGE.duplicateTable, 't');
  });

  it('DMS2013 duplicate merge name', () => {
    const merge = 'merge m into dw.s.t { from shop.s.t key (id) }';
    single(`${ENDPOINTS}${merge}\n${merge}`, LANGUAGE.duplicateMerge, 'm');
  });

  it('DMS2014 two migration blocks', () => {
    single('migration a { }\nmigration b { }', LANGUAGE.duplicateMigration, 'migration b { }');
  });

  it('DMS2020 unknown endpoint, with did-you-mean', () => {
    expect(single(`${ENDPOINTS}map shp.app.* -> dw.app.* { }`, LANGUAGE.unknownEndpoint, 'shp').hint).toBe("did you mean 'shop'?");
    single(`${ENDPOINTS}merge m into dx.s.t { from shop.s.t key (id) }`, LANGUAGE.unknownEndpoint, 'dx');
  });

  it('DMS2021 endpoints in the wrong role', () => {
    const d = single(`${ENDPOINTS}map dw.app.* -> dw.copy.* { }`, LANGUAGE.wrongEndpointRole, 'dw');
    expect(d.message).toBe("'dw' is a target, but the source of a map must be a source");
    single(`${ENDPOINTS}map shop.app.* -> shop.copy.* { }`, LANGUAGE.wrongEndpointRole, 'shop');
    single(`${ENDPOINTS}merge m into shop.s.t { from shop.s.t key (id) }`, LANGUAGE.wrongEndpointRole, 'shop');
    single(`${ENDPOINTS}merge m into dw.s.t { from dw.s.t key (id) }`, LANGUAGE.wrongEndpointRole, 'dw');
  });

  it('DMS2030 password in a literal URL or in an env() default', () => {
    single('source a mysql { url = "mysql://app:s3cret@db/shop" }', LANGUAGE.urlWithPassword, '"mysql://app:s3cret@db/shop"');
    single('source a mysql { url = env("A", "mysql://app:s3cret@db/shop") }', LANGUAGE.urlWithPassword, 'env("A", "mysql://app:s3cret@db/shop")');
    single('source a sqlserver { url = "Server=db;User Id=sa;Password=x" }', LANGUAGE.urlWithPassword, '"Server=db;User Id=sa;Password=x"');
    // A password with an unencoded '/' or '?' is still a password.
    single('source a mysql { url = "mysql://app:s3c/ret@db/shop" }', LANGUAGE.urlWithPassword, '"mysql://app:s3c/ret@db/shop"');
    single('source a mysql { url = "mysql://app:s3c?ret@db/shop" }', LANGUAGE.urlWithPassword, '"mysql://app:s3c?ret@db/shop"');
  });

  it('DMS2031 literal URL for a server engine is a warning; file engines are fine', () => {
    const d = single('source a postgres { url = "postgres://db/shop" }', LANGUAGE.literalServerUrl, '"postgres://db/shop"');
    expect(d.severity).toBe('warning');
    expect(codes('source a sqlite { url = "a.sqlite" }\nsource b pglite { url = "data/pg" }')).toEqual([]);
  });

  it('DMS2032 env() with a value instead of a name', () => {
    single('source a mysql { url = env("mysql://db/shop") }', LANGUAGE.invalidEnvName, 'env("mysql://db/shop")');
  });

  it('DMS2040 unknown conversion, with did-you-mean', () => {
    expect(single('types mysql -> postgres { datetime -> timestamptz using zero_date_to_null }', LANGUAGE.unknownConversion, 'zero_date_to_null').hint).toBe("did you mean 'zero_dates_to_null'?");
    single(table('column c int using magic'), LANGUAGE.unknownConversion, 'magic');
  });

  it('DMS2041 parameter used but not bound by the pattern', () => {
    single('types mysql -> postgres { decimal -> numeric(p, 2) }', LANGUAGE.unboundTypeParam, 'p');
    single('types mysql -> postgres { decimal(p, s) where q > 3 -> text }', LANGUAGE.unboundTypeParam, 'q');
  });

  it('DMS2042 invalid type parameters', () => {
    single('types mysql -> postgres { decimal(p, s) -> numeric(*, s) }', LANGUAGE.invalidTypeParam, '*');
    single('types mysql -> postgres { decimal(p, p) -> numeric(p) }', LANGUAGE.invalidTypeParam, 'p');
    single(table('column c numeric(p, 2)'), LANGUAGE.invalidTypeParam, 'p');
    single(table("add c numeric(1.5) = 'x'"), LANGUAGE.invalidTypeParam, '1.5');
  });

  it('DMS2050 unknown function, DMS2051 wrong argument count', () => {
    expect(single(table('add c text = concatenate(a, b)'), LANGUAGE.unknownFunction, 'concatenate').hint).toBe("did you mean 'concat'?");
    single(table('add c text = upper(a, b)'), LANGUAGE.wrongArgumentCount, 'upper(a, b)');
    single(table('add c text = now(a)'), LANGUAGE.wrongArgumentCount, 'now(a)');
  });

  it('DMS2052 invalid regex or flags', () => {
    single(map('exclude /^tmp_(.*$/'), LANGUAGE.invalidRegex, '/^tmp_(.*$/');
    single(map('exclude /^tmp/g'), LANGUAGE.invalidRegex, '/^tmp/g');
  });

  it('DMS2053 statements that may appear once', () => {
    single(table('where a > 1 where b > 2'), LANGUAGE.repeatedStatement, 'where b > 2');
    single(table('chunk rows = 5 chunk by id'), LANGUAGE.repeatedStatement, 'chunk by id');
    single(`${ENDPOINTS}merge m into dw.s.t { from shop.s.t key (id) key (id2) }`, LANGUAGE.repeatedStatement, 'key (id2)');
  });

  it('DMS2054 conflicting column rules', () => {
    single(table('drop a rename a -> b'), LANGUAGE.conflictingColumnRules, 'rename a -> b');
    single(table('mask a = hash mask a = redact'), LANGUAGE.conflictingColumnRules, 'mask a = redact');
    expect(codes(table("drop a add a text = 'x'"))).toEqual([]);
  });

  it('DMS2056 unknown mask method', () => {
    expect(single(table('mask a = hsh'), LANGUAGE.unknownMaskMethod, 'hsh').hint).toBe("did you mean 'hash'?");
  });

  it('DMS2057 invalid date and timestamp literals', () => {
    single(table("where d > date '2009-13-01'"), LANGUAGE.invalidDateLiteral, "date '2009-13-01'");
    single(table("where d > timestamp '2009-01-01 25:00'"), LANGUAGE.invalidDateLiteral, "timestamp '2009-01-01 25:00'");
    expect(codes(table("where d > date '2024-02-29' and e < timestamp '2024-02-29T23:59:59.5Z'"))).toEqual([]);
  });

  it('DMS2060 numbers out of range', () => {
    single('migration m { workers = 0 }', LANGUAGE.valueOutOfRange, '0');
    single('migration m { max_rejects = -1 }', LANGUAGE.valueOutOfRange, '-1');
    single(table('chunk rows = 0'), LANGUAGE.valueOutOfRange, '0');
  });

  it('DMS2061 cdc modes: executable from postgres and mysql sources, refused for the others with the reason', () => {
    expect(codes(`migration m { mode = cdc }\n${ENDPOINTS}`)).toEqual([]);
    expect(codes(`migration m { mode = full_load_and_cdc }\n${ENDPOINTS}`)).toEqual([]);
    const d = single('migration m { mode = full_load_and_cdc }\nsource lite sqlite { url = "sqlite:x.db" }\ntarget dw postgres { url = env("DW_URL") }', LANGUAGE.notExecutableYet, 'full_load_and_cdc');
    expect(d.message).toContain('changes of sqlite source lite cannot be captured');
    single('migration m { mode = cdc }\nsource shop mysql { url = env("S") }\ntarget out sqlite { url = "sqlite:o.db" }', LANGUAGE.notExecutableYet, 'cdc');
  });

  it('DMS2080 incomplete merge, DMS2081 offset without the offset strategy', () => {
    expect(codes(`${ENDPOINTS}merge m into dw.s.t { }`)).toEqual([LANGUAGE.incompleteMerge, LANGUAGE.incompleteMerge]);
    single(`${ENDPOINTS}merge m into dw.s.t { from shop.s.t offset 5 key (id) }`, LANGUAGE.offsetWithoutOffsetStrategy, '5');
  });

  it('DMS2090 selectors of the wrong shape', () => {
    single(`${ENDPOINTS}map shop -> dw.app.* { }`, LANGUAGE.invalidSelector, 'shop');
    single(`${ENDPOINTS}map shop.app.* -> dw.app.all { }`, LANGUAGE.invalidSelector, 'dw.app.all');
    single(`${ENDPOINTS}map shop.app.* -> dw.ap*.* { }`, LANGUAGE.invalidSelector, 'ap*');
    single(`${ENDPOINTS}map sh*.app.* -> dw.app.* { }`, LANGUAGE.invalidSelector, 'sh*');
    single(`${ENDPOINTS}merge m into dw.s.* { from shop.s.t key (id) }`, LANGUAGE.invalidSelector, '*');
  });

  it('DMS2092 renaming a table pattern', () => {
    single(map('table Inv* -> invoices { }'), LANGUAGE.tableRenameNeedsExactName, 'invoices');
  });

  it('every code emitted here is in the catalogue', () => {
    for (const code of Object.values(LANGUAGE)) expect(findCode(code), code).toBeDefined();
  });

  it('sqlserver and oracle endpoints lower without diagnostics', () => {
    const { ir, diagnostics } = compile('source a sqlserver { url = env("A") }\ntarget b oracle { url = env("B") }');
    expect(diagnostics).toEqual([]);
    expect(ir.endpoints.map((e) => e.engine)).toEqual(['sqlserver', 'oracle']);
  });
});
