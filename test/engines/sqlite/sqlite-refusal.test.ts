/**
 * SQLite refusals: the `table.column` its NOT NULL and UNIQUE messages name, for any names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sqliteRefusal } from '../../../src/engines/sqlite/sqlite-refusal.js';

const ident = fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !s.includes('\u0000'));

describe('sqliteRefusal', () => {
  it('reads the NOT NULL column and the unique key columns back from the message', () => {
    fc.assert(
      fc.property(ident, fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }), (table, columns) => {
        expect(sqliteRefusal('SQLITE_CONSTRAINT_NOTNULL', `NOT NULL constraint failed: ${table}.${columns[0]}`, table, columns)).toEqual({ columns: [columns[0]] });
        const named = sqliteRefusal('SQLITE_CONSTRAINT_UNIQUE', `UNIQUE constraint failed: ${columns.map((c) => `${table}.${c}`).join(', ')}`, table, columns);
        // Names that hold `, table.` can split more than one way; whatever is read must rebuild the message.
        expect(named?.columns.map((c) => `${table}.${c}`).join(', ')).toBe(columns.map((c) => `${table}.${c}`).join(', '));
      }),
    );
  });

  it('names no column for a CHECK, another table, or a column not written', () => {
    expect(sqliteRefusal('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed: c>0', 't', ['c'])).toBeUndefined();
    expect(sqliteRefusal('SQLITE_CONSTRAINT_NOTNULL', 'NOT NULL constraint failed: u.c', 't', ['c'])).toBeUndefined();
    expect(sqliteRefusal('SQLITE_CONSTRAINT_NOTNULL', 'NOT NULL constraint failed: t.d', 't', ['c'])).toBeUndefined();
    expect(sqliteRefusal('SQLITE_CONSTRAINT_PRIMARYKEY', 'UNIQUE constraint failed: a b.id', 'a b', ['id', 'n'])).toEqual({ columns: ['id'] });
    expect(sqliteRefusal('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE constraint failed: t.a, t.b', 't', ['a', 'b', 'a, t.b'])).toEqual({ columns: ['a, t.b'] });
  });
});
