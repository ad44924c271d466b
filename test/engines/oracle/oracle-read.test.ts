import { describe, expect, it } from 'vitest';
import type { ReadColumn, ReadRequest } from '../../../src/engines/contract.js';
import { EngineError } from '../../../src/engines/contract.js';
import { flashbackHint, oracleBoundsSql, oracleCountSql, oracleReadSql, OracleSnapshot, oracleSplitSql, type OracleReadSession } from '../../../src/engines/oracle/oracle-read.js';
import { oracleToLogical, parseOracleType } from '../../../src/engines/oracle/oracle-types.js';

function column(name: string, type: string): ReadColumn {
  const native = parseOracleType(type)!;
  return { name, native, logical: oracleToLogical(native) };
}

const ID = column('ID', 'NUMBER(10)');
const NAME = column('Name', 'NVARCHAR2(40)');
const HIRED = column('HIRED', 'DATE');
const table = { schema: 'HR', name: 'EMPLOYEES' };

function request(extra: Partial<ReadRequest> = {}): ReadRequest {
  return { table, columns: [ID, NAME, HIRED], where: undefined, range: undefined, orderBy: ['ID'], batchRows: 2, ...extra };
}

describe('Oracle reads', () => {
  it('selects every column in an exact text form, from the table at the snapshot SCN', () => {
    expect(oracleReadSql(request(), '123456')).toEqual({
      sql: `SELECT t."ID", t."Name", TO_CHAR(t."HIRED", 'SYYYY-MM-DD HH24:MI:SS') FROM "HR"."EMPLOYEES" AS OF SCN 123456 t ORDER BY t."ID"`,
      binds: [],
    });
    expect(oracleReadSql(request({ columns: [], orderBy: [] }), undefined).sql).toBe('SELECT NULL FROM "HR"."EMPLOYEES" t');
  });

  it('bounds key ranges: the first range takes NULL keys, later ones start after the previous bound', () => {
    expect(oracleReadSql(request({ range: { column: ID, after: undefined, upTo: '100' } }), undefined).sql).toContain(`WHERE (t."ID" <= 100 OR t."ID" IS NULL) ORDER BY`);
    expect(oracleReadSql(request({ where: '("DEPT" = 10)', range: { column: ID, after: '100', upTo: '200' } }), undefined).sql).toContain(`WHERE (("DEPT" = 10)) AND t."ID" > 100 AND t."ID" <= 200 ORDER BY`);
    const text = oracleReadSql(request({ range: { column: NAME, after: "O'Brien", upTo: 'Zed' }, orderBy: ['Name'] }), undefined);
    expect(text).toEqual({ sql: expect.stringContaining(`WHERE t."Name" > :1 AND t."Name" <= :2 ORDER BY t."Name"`), binds: [{ national: "O'Brien" }, { national: 'Zed' }] });
    const dates = oracleReadSql(request({ range: { column: HIRED, after: '2020-01-01 00:00:00', upTo: undefined } }), undefined);
    expect(dates).toEqual({ sql: expect.stringContaining(`WHERE t."HIRED" > TO_DATE(:1, 'SYYYY-MM-DD HH24:MI:SS') ORDER BY`), binds: ['2020-01-01 00:00:00'] });
  });

  it('counts, bounds and splits with the same formats', () => {
    expect(oracleCountSql(table, '("X" > 1)', '7')).toBe('SELECT COUNT(*) FROM "HR"."EMPLOYEES" AS OF SCN 7 t WHERE (("X" > 1))');
    expect(oracleBoundsSql(table, HIRED, undefined, undefined)).toBe(`SELECT TO_CHAR(MIN(t."HIRED"), 'SYYYY-MM-DD HH24:MI:SS'), TO_CHAR(MAX(t."HIRED"), 'SYYYY-MM-DD HH24:MI:SS') FROM "HR"."EMPLOYEES" t`);
    expect(oracleSplitSql(table, ID, undefined, 50, 200, undefined)).toBe(
      `SELECT k FROM (SELECT t."ID" AS k, ROW_NUMBER() OVER (ORDER BY t."ID") AS dmsplan_rn FROM "HR"."EMPLOYEES" t) WHERE MOD(dmsplan_rn, 50) = 0 AND dmsplan_rn < 200 ORDER BY dmsplan_rn`,
    );
  });

  it('streams decoded batches from a session and says whether its lanes agree', async () => {
    const seen: string[] = [];
    const session: OracleReadSession = {
      query: async (sql) => {
        seen.push(sql);
        return sql.startsWith('SELECT COUNT') ? [['3']] : [['1', '5']];
      },
      async *stream(sql, binds, batchRows) {
        seen.push(`${sql} ${JSON.stringify(binds)} ${batchRows}`);
        yield [['1', 'Åsa', ' 2020-01-02 03:04:05'], ['.5', null, '-0001-01-01 00:00:00']];
        yield [['-2', '', null]];
      },
      close: async () => undefined,
    };
    const snapshot = new OracleSnapshot([session, session], '99');
    expect(snapshot.lanesAgree).toBe(true);
    expect(new OracleSnapshot([session, session], undefined).lanesAgree).toBe(false);
    expect(new OracleSnapshot([session], undefined).lanesAgree).toBe(true);
    const batches: unknown[] = [];
    for await (const b of snapshot.read(request(), 1)) batches.push(b);
    expect(batches).toEqual([
      [
        ['1', 'Åsa', '2020-01-02 03:04:05'],
        ['0.5', null, '0001-01-01 00:00:00 BC'],
      ],
      [['-2', '', null]],
    ]);
    expect(await snapshot.count(table, undefined, 0)).toBe(3);
    expect(await snapshot.keyBounds(table, ID, undefined, 0)).toEqual({ min: '1', max: '5' });
    await snapshot.close();
    await expect(snapshot.read(request(), 0)[Symbol.asyncIterator]().next()).rejects.toThrow(/closed snapshot/);
  });

  it('says what to grant when a flashback read is refused, and what to set when the undo is gone', async () => {
    const refused = new EngineError('oracle://app:***@db:1521/X: ORA-01031: insufficient privileges', 'query', 'ORA-01031', 'oracle://app:***@db:1521/X');
    const session: OracleReadSession = {
      query: async () => [],
      // eslint-disable-next-line require-yield
      async *stream() {
        throw refused;
      },
      close: async () => undefined,
    };
    const reading = new OracleSnapshot([session, session], '7').read(request(), 0)[Symbol.asyncIterator]().next();
    await expect(reading).rejects.toThrow(`ORA-01031: insufficient privileges (the parallel lanes read "HR"."EMPLOYEES" AS OF SCN, a flashback query: GRANT FLASHBACK ON "HR"."EMPLOYEES" TO <the plan's user>, or GRANT FLASHBACK ANY TABLE, or run with workers = 1)`);
    // Without an SCN there is no flashback query to explain.
    await expect(new OracleSnapshot([session], undefined).read(request(), 0)[Symbol.asyncIterator]().next()).rejects.toBe(refused);
    const old = new EngineError('ORA-01555: snapshot too old', 'query', 'ORA-01555', 'e');
    expect((flashbackHint(old, table) as Error).message).toContain('UNDO_RETENTION');
  });
});
