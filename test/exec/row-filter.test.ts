import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareDecimalText, compileRowFilter } from '../../src/exec/row-filter.js';
import type { ExprIR } from '../../src/ir/ir.js';
import { compilePlan } from '../../src/ir/load.js';
import type { LogicalType, Value } from '../../src/types/logical.js';

const columns: Record<string, { index: number; logical: LogicalType }> = {
  id: { index: 0, logical: { kind: 'int', bits: 32, unsigned: false } },
  total: { index: 1, logical: { kind: 'decimal', precision: 10, scale: 2 } },
  country: { index: 2, logical: { kind: 'text', length: undefined, fixed: false } },
  at: { index: 3, logical: { kind: 'timestamptz', precision: 6 } },
};

/** The filter of a one-table plan, as the language front end lowers it. */
function filter(where: string) {
  const text = `source s mysql {\n  url = env("S")\n}\ntarget t postgres {\n  url = env("T")\n}\nmap s.x.* -> t.y.* {\n  table a {\n    where ${where}\n  }\n}\n`;
  const ir = compilePlan(text, '/f.dmsplan', () => undefined);
  expect(ir.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const w = ir.value!.maps[0]!.tables[0]!.where!;
  if (w.kind !== 'expr') throw new Error('expected an expression');
  return compileRowFilter(w.expr as ExprIR, (name) => columns[name]!);
}

const row = (id: string, total: string | null, country: string | null, at: string | null): Value[] => [id, total, country, at];

describe('row filters evaluated on captured changes', () => {
  it('compare numbers by value, text exactly, timestamps as instants', () => {
    expect(filter('total > 9.5')(row('1', '10.00', 'FR', null))).toBe(true);
    expect(filter('total > 9.5')(row('1', '9.50', 'FR', null))).toBe(false);
    expect(filter("country = 'FR'")(row('1', null, 'fr', null))).toBe(false);
    expect(filter("at >= date '2009-01-01'")(row('1', null, null, '2009-01-01 00:00:00+00:00'))).toBe(true);
    expect(filter("at <= date '2009-01-01'")(row('1', null, null, '2009-01-01 00:00:00.000000+00:00'))).toBe(true);
    expect(filter("at < timestamp '2009-01-01 00:00:01'")(row('1', null, null, '2009-01-01 00:00:00.5+00:00'))).toBe(true);
  });

  it('follow SQL three-valued logic: NULL never passes a comparison', () => {
    expect(filter('total > 1')(row('1', null, 'FR', null))).toBe(false);
    expect(filter('not (total > 1)')(row('1', null, 'FR', null))).toBe(false);
    expect(filter('total > 1 or id = 1')(row('1', null, 'FR', null))).toBe(true);
    expect(filter('total is null')(row('1', null, 'FR', null))).toBe(true);
    expect(filter("country not in ('DE', 'IT')")(row('1', null, null, null))).toBe(false);
    expect(filter("country not in ('DE', 'IT')")(row('1', null, 'FR', null))).toBe(true);
  });

  it('support in, between and like', () => {
    expect(filter('id in (1, 2, 3)')(row('2', null, null, null))).toBe(true);
    expect(filter('id between 10 and 20')(row('20', null, null, null))).toBe(true);
    expect(filter('id not between 10 and 20')(row('21', null, null, null))).toBe(true);
    expect(filter("country like 'F_%'")(row('1', null, 'FRA', null))).toBe(true);
    // The plan's string is F\_ : the backslash escapes the wildcard, as in SQL.
    expect(filter("country like 'F\\_'")(row('1', null, 'F_', null))).toBe(true);
    expect(filter("country like 'F\\_'")(row('1', null, 'FR', null))).toBe(false);
  });

  it('compare decimal texts exactly, whatever their spelling', () => {
    const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
    fc.assert(
      fc.property(big, big, fc.integer({ min: 0, max: 6 }), (a, b, scale) => {
        const text = (n: bigint) => {
          const s = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
          return `${n < 0n ? '-' : ''}${scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s}`;
        };
        expect(compareDecimalText(text(a), text(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
        if (scale) expect(compareDecimalText(`${text(a)}000`, text(a))).toBe(0); // trailing zeros of a fraction
      }),
    );
    expect(compareDecimalText('1e3', '999.99')).toBe(1);
    expect(compareDecimalText('-0.00', '0')).toBe(0);
  });
});
