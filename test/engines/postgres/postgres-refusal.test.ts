/**
 * PostgreSQL refusals: the column a data error blames, from the fields the server sends (the COPY
 * context, the key detail, the not-null column), for any identifier.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyContextColumn, detailKeyColumns, postgresRefusal } from '../../../src/engines/postgres/postgres-refusal.js';

/** PostgreSQL's quote_identifier: bare only for lower-case identifiers (keywords aside). */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

const ident = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\n') && !s.includes('\u0000')));

describe('postgresRefusal', () => {
  it('reads the column of an input error from the COPY context, the value after it whatever it holds', () => {
    fc.assert(
      fc.property(ident, fc.uniqueArray(ident, { minLength: 1, maxLength: 5 }), fc.nat(4), fc.nat(1000), fc.string(), fc.constantFrom('22001', '22003', '22P02', '22007', '22008', '22021'), (table, columns, pick, line, value, code) => {
        const column = columns[pick % columns.length]!;
        const where = `PL/pgSQL function f() line 3 at RAISE\nCOPY ${table}, line ${line + 1}, column ${column}: "${value}"`;
        const r = postgresRefusal({ code, where }, columns);
        // Another written column whose name is `column` plus `: …` could also fit: the longest wins.
        const fits = columns.filter((c) => `${column}: "${value}"`.startsWith(`${c}: `) || c === column);
        expect(r?.columns).toEqual([fits.reduce((a, b) => (b.length > a.length ? b : a))]);
      }),
    );
  });

  it('reads a column named like the COPY context itself, and a binary COPY context with no value', () => {
    expect(copyContextColumn('COPY t, line 2, column a: b, line 9, column c: "x"', ['a: b, line 9, column c', 'a'])).toBe('a: b, line 9, column c');
    expect(copyContextColumn('COPY t, line 2, column n', ['n'])).toBe('n');
    expect(copyContextColumn('COPY t, line 2', ['n'])).toBeUndefined();
    expect(copyContextColumn(undefined, ['n'])).toBeUndefined();
  });

  it('round-trips the columns of a key detail through quote_identifier', () => {
    fc.assert(
      fc.property(fc.array(ident, { minLength: 1, maxLength: 4 }), fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (columns, values) => {
        const detail = `Key (${columns.map(quoteIdent).join(', ')})=(${values.join(', ')}) already exists.`;
        expect(detailKeyColumns(detail)).toEqual(columns);
        expect(postgresRefusal({ code: '23505', detail, constraint: 'k' }, [])).toEqual({ columns, constraint: 'k' });
        expect(postgresRefusal({ code: '23503', detail: detail.replace('already exists.', 'is not present in table "p".') }, [])?.columns).toEqual(columns);
      }),
    );
  });

  it('falls back to the constraint for an expression index or a missing detail, and names the not-null column', () => {
    expect(postgresRefusal({ code: '23505', detail: 'Key (lower(email))=(a) already exists.', constraint: 'u_email' }, [])).toEqual({ columns: [], constraint: 'u_email' });
    expect(postgresRefusal({ code: '23505', constraint: 'u' }, [])).toEqual({ columns: [], constraint: 'u' });
    expect(postgresRefusal({ code: '23514', constraint: 'T x_check', where: 'COPY T x, line 1: "1\t-1"' }, ['c'])).toEqual({ columns: [], constraint: 'T x_check' });
    expect(postgresRefusal({ code: '23502', column: 'Name, "x"' }, [])).toEqual({ columns: ['Name, "x"'] });
    // A trigger's own error names nothing.
    expect(postgresRefusal({ code: 'P0001', where: 'PL/pgSQL function f() line 3 at RAISE\nCOPY t, line 1' }, ['a'])).toBeUndefined();
    expect(postgresRefusal({ code: '22001' }, ['a'])).toBeUndefined();
    expect(postgresRefusal('boom', ['a'])).toBeUndefined();
  });
});
