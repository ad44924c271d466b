/**
 * MySQL/MariaDB refusals: the column a data error's message blames, for any identifier (the servers
 * quote names without escaping them) and any value text, in both servers' wordings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkClauseColumns, mysqlRefusal } from '../../../src/engines/mysql/mysql-refusal.js';

const ident = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\u0000'));

describe('mysqlRefusal', () => {
  it('reads the column of a null, too long, out of range or truncated value', () => {
    fc.assert(
      fc.property(ident, ident, fc.nat(100000), (table, column, row) => {
        expect(mysqlRefusal('1048', `Column '${column}' cannot be null`, table, [column])).toEqual({ columns: [column] });
        expect(mysqlRefusal('1406', `Data too long for column '${column}' at row ${row}`, table, [column])).toEqual({ columns: [column] });
        expect(mysqlRefusal('1264', `Out of range value for column '${column}' at row ${row}`, table, [column])).toEqual({ columns: [column] });
        expect(mysqlRefusal('1265', `Data truncated for column '${column}' at row ${row}`, table, [column])).toEqual({ columns: [column] });
      }),
    );
  });

  it('reads the column of an incorrect value in MySQL 8/MariaDB and MySQL 5.7 wording, whatever the value says', () => {
    fc.assert(
      fc.property(ident, ident, fc.uniqueArray(ident, { minLength: 1, maxLength: 4 }), fc.nat(3), fc.string(), (db, table, columns, pick, value) => {
        const column = columns[pick % columns.length]!;
        const fits = (named: string, c: string) => named.endsWith(`.\`${c}\``);
        const named = `\`${db}\`.\`${table}\`.\`${column}\``;
        const longest = columns.filter((c) => fits(named, c)).reduce((a, b) => (b.length > a.length ? b : a));
        expect(mysqlRefusal('1366', `Incorrect integer value: '${value}' for column ${named} at row 1`, table, columns)).toEqual({ columns: [longest] });
        expect(mysqlRefusal('1292', `Incorrect date value: '${value}' for column '${column}' at row 7`, table, columns)).toEqual({ columns: [column] });
      }),
    );
  });

  it('names a duplicate key, a CHECK and a foreign key, for any names', () => {
    fc.assert(
      fc.property(ident, ident, fc.string(), fc.array(ident, { minLength: 1, maxLength: 3 }), (table, name, value, fkColumns) => {
        expect(mysqlRefusal('1062', `Duplicate entry '${value}' for key '${name}'`, table, [])).toEqual({ columns: [], constraint: name });
        expect(mysqlRefusal('3819', `Check constraint '${name}' is violated.`, table, [])).toEqual({ columns: [], constraint: name });
        const fk = `Cannot add or update a child row: a foreign key constraint fails (\`d\`.\`${table}\`, CONSTRAINT \`${name}\` FOREIGN KEY (${fkColumns.map((c) => `\`${c}\``).join(', ')}) REFERENCES \`p\` (\`id\`))`;
        if (!fkColumns.some((c) => c.includes('`, `') || c.includes('`) REFERENCES ')) && !name.includes('` FOREIGN KEY (')) {
          expect(mysqlRefusal('1452', fk, table, [])?.columns).toEqual(fkColumns);
        }
      }),
    );
  });

  it("reads MariaDB's CHECK message: a column's own CHECK names the column, a table's CHECK its name", () => {
    expect(mysqlRefusal('4025', 'CONSTRAINT `T x.c` failed for `rj_probe`.`T x`', 'T x', ['id', 'c'])).toEqual({ columns: ['c'] });
    expect(mysqlRefusal('4025', 'CONSTRAINT `ck x` failed for `rj_probe`.`T x`', 'T x', ['id', 'c'])).toEqual({ columns: [], constraint: 'ck x' });
    expect(mysqlRefusal('4025', 'CONSTRAINT `b`t` failed for `db`.`t`', 't', ['id'])).toEqual({ columns: [], constraint: 'b`t' });
    expect(mysqlRefusal('1062', "Duplicate entry '1-1' for key 'uk'1'", 't', [])).toEqual({ columns: [], constraint: "uk'1" });
    expect(mysqlRefusal('1644', 'trigger says no', 't', ['a'])).toBeUndefined();
    expect(mysqlRefusal(undefined, "Column 'a' cannot be null", 't', ['a'])).toBeUndefined();
  });

  it('finds the columns a CHECK clause names, backquotes doubled as the catalog keeps them, in the table order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ident, { minLength: 1, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (columns, named) => {
        const inClause = columns.filter((_, i) => named[i]);
        const clause = inClause.map((c) => `\`${c.replace(/`/g, '``')}\` > 0`).join(' and ');
        expect(checkClauseColumns(clause, columns)).toEqual(inClause);
      }),
    );
    expect(checkClauseColumns('`h` > 0 and `d` is not null', ['id', 'd', 'h', 'hh'])).toEqual(['d', 'h']);
    expect(checkClauseColumns('`b``t` > 0', ['b`t', 'b'])).toEqual(['b`t']);
  });
});
