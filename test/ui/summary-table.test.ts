import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TableTotals } from '../../src/exec/events.js';
import { summaryTableLines } from '../../src/ui/summary-table.js';

const totals = (target: string, rows: number): TableTotals => ({ table: `src.${target} -> dst.${target}`, target, rowsRead: rows, rowsWritten: rows, rowsRejected: 0, seconds: 3.6, validation: 'ok' });

describe('summary table', () => {
  const input = { tables: [totals('public.customers', 50_000), totals('public.orders', 1_000_000)], seconds: 6.1 };

  it('keeps every column whole without a width (logs and pipes)', () => {
    const lines = summaryTableLines(input);
    expect(lines[0]).toBe('table                  read    written  rejected  time   rows/s  validation');
    expect(lines[2]).toContain('public.orders     1,000,000  1,000,000         0  3.6s  277,778  ok');
  });

  it('leaves out rows/s, then time, then shortens names so that no line wraps on a narrow terminal', () => {
    const at60 = summaryTableLines(input, 60);
    expect(at60[0]).toBe('table                  read    written  rejected  validation');
    expect(at60[2]).toBe('public.orders     1,000,000  1,000,000         0  ok');
    const at56 = summaryTableLines(input, 56);
    expect(at56[0]!.startsWith('table ')).toBe(true);
    expect(at56[1]).toMatch(/^public…omers +50,000 +50,000 +0 +ok$/);
    for (const line of [...at60, ...at56]) expect(line.length).toBeLessThanOrEqual(60);
    for (const line of at56) expect(line.length).toBeLessThanOrEqual(56);
  });

  // 70 columns hold the narrowest table: a 12-character name and counts below 10 billion.
  it('fits any table into any width that can hold the counts, and keeps every count', () => {
    const table = fc.record({ target: fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/\s/g, '_')), rows: fc.nat(10 ** 9) });
    fc.assert(
      // Distinct targets: one target from several copies is a merge (below).
      fc.property(fc.uniqueArray(table, { minLength: 1, maxLength: 8, selector: (t) => t.target }), fc.integer({ min: 70, max: 200 }), (tables, width) => {
        const lines = summaryTableLines({ tables: tables.map((t) => totals(t.target, t.rows)), seconds: 1 }, width);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        for (const [i, t] of tables.entries()) expect(lines[i + 1]).toContain(t.rows.toLocaleString('en-US'));
      }),
    );
  });

  // Before, a merged table was listed once per source under the same name, with nothing to tell
  // the lines apart and no line for the table itself; the total counted copies as tables.
  it('a merged table: a line per source, named by it, then the table with their sums', () => {
    const merged = (source: string, rows: number, rejected: number): TableTotals => ({ table: `merge c: ${source} -> dw.crm.customers`, target: 'crm.customers', source, rowsRead: rows, rowsWritten: rows - rejected, rowsRejected: rejected, seconds: 1, validation: 'ok' });
    const lines = summaryTableLines({ tables: [merged('eu.shop.customers', 4, 0), totals('public.orders', 7), merged('us.shop.customers', 5, 3)], seconds: 2 });
    expect(lines.map((l) => l.replace(/ +/g, ' '))).toEqual([
      'table read written rejected time rows/s validation',
      'crm.customers ← eu.shop.customers 4 4 0 1.0s 4 ok',
      'crm.customers ← us.shop.customers 5 2 3 1.0s 2 ok',
      'crm.customers (2 sources) 9 6 3 - - 2 ok',
      'public.orders 7 7 0 3.6s 2 ok',
      '─'.repeat(lines[5]!.length),
      'total (2 tables, 3 sources) 16 13 3 2.0s 7 3 ok',
    ]);
  });
});
