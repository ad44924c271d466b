/** The queries of a SQL Server read, exact (no SQL Server runs here), and the URL settings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadColumn } from '../../../src/engines/contract.js';
import { countSql, keyBoundsSql, selectSql, sessionSql, splitPointsOf, splitPointsSql } from '../../../src/engines/sqlserver/sqlserver-read.js';
import { parseSqlServerType, sqlServerToLogical } from '../../../src/engines/sqlserver/sqlserver-types.js';
import { sqlServerSettingsOf } from '../../../src/engines/sqlserver/sqlserver-url.js';

function column(name: string, type: string): ReadColumn {
  const native = parseSqlServerType(type)!;
  return { name, native, logical: sqlServerToLogical(native) };
}

const table = { schema: 'dbo', name: 'Invoice' };
const id = column('InvoiceId', 'int');

describe('SQL Server read queries', () => {
  it('selects every column by the expression that reads it exactly, a key range with the NULL keys in the first range', () => {
    const request = { table, columns: [id, column('Total', 'numeric(10,2)')], where: '([Total] > 0)', orderBy: ['InvoiceId'], batchRows: 1000 };
    expect(selectSql({ ...request, range: { column: id, after: undefined, upTo: '100' } })).toBe(
      'SELECT [InvoiceId] AS [c0], CONVERT(varchar(50), [Total]) AS [c1] FROM [dbo].[Invoice] WHERE (([Total] > 0)) AND ([InvoiceId] <= 100 OR [InvoiceId] IS NULL) ORDER BY [InvoiceId]',
    );
    expect(selectSql({ ...request, where: undefined, range: { column: id, after: '100', upTo: undefined } })).toBe(
      'SELECT [InvoiceId] AS [c0], CONVERT(varchar(50), [Total]) AS [c1] FROM [dbo].[Invoice] WHERE [InvoiceId] > 100 ORDER BY [InvoiceId]',
    );
  });

  it('splits on a `chunk … by` column of another kind with literals of the column\'s own type', () => {
    const range = (c: ReadColumn, after: string, upTo: string) => selectSql({ table, columns: [c], where: undefined, orderBy: [], batchRows: 1, range: { column: c, after, upTo } }).replace(/^.* WHERE /, '');
    expect(range(column('Code', 'nvarchar(40)'), "O'Brien", 'Zoë')).toBe("[Code] > N'O''Brien' AND [Code] <= N'Zoë'");
    expect(range(column('Code', 'varchar(40)'), 'a', 'b')).toBe("[Code] > 'a' AND [Code] <= 'b'");
    expect(range(column('At', 'datetime'), '2009-01-01 00:00:00.003', '2010-01-01 00:00:00.000')).toBe("[At] > CONVERT(datetime, '2009-01-01 00:00:00.003', 121) AND [At] <= CONVERT(datetime, '2010-01-01 00:00:00.000', 121)");
    expect(range(column('D', 'date'), '2009-01-01', '2010-01-01')).toBe("[D] > CONVERT(date, '2009-01-01', 23) AND [D] <= CONVERT(date, '2010-01-01', 23)");
    expect(range(column('T', 'time(7)'), '10:00:00.1234567', '23:59:59.9999999')).toBe("[T] > CONVERT(time(7), '10:00:00.1234567') AND [T] <= CONVERT(time(7), '23:59:59.9999999')");
    expect(range(column('G', 'uniqueidentifier'), '6f9619ff-8b86-d011-b42d-00c04fc964ff', 'ffffffff-8b86-d011-b42d-00c04fc964ff')).toBe(
      "[G] > CONVERT(uniqueidentifier, '6f9619ff-8b86-d011-b42d-00c04fc964ff') AND [G] <= CONVERT(uniqueidentifier, 'ffffffff-8b86-d011-b42d-00c04fc964ff')",
    );
    expect(range(column('M', 'money'), '-0.5000', '10.0000')).toBe('[M] > CAST(-0.5000 AS money) AND [M] <= CAST(10.0000 AS money)');
  });

  it('says which columns a table cannot be split on, as an unsupported read and not a crash', () => {
    const f = column('Score', 'float');
    expect(() => selectSql({ table, columns: [f], where: undefined, orderBy: [], batchRows: 1, range: { column: f, after: '1.5', upTo: undefined } })).toThrow(
      expect.objectContaining({ name: 'EngineError', kind: 'unsupported', message: expect.stringContaining('not split into ranges on a float column (Score)') }),
    );
  });

  it('refuses a range bound that is not an integer rather than write it into the SQL', () => {
    expect(() => selectSql({ table, columns: [id], where: undefined, orderBy: [], batchRows: 1, range: { column: id, after: "1; DROP TABLE x --", upTo: undefined } })).toThrow(/bug/);
  });

  it('counts with COUNT_BIG, bounds and splits the key on the server', () => {
    expect(countSql(table, undefined)).toBe('SELECT COUNT_BIG(*) AS n FROM [dbo].[Invoice]');
    expect(keyBoundsSql(table, id, undefined)).toBe('SELECT [min_key] AS min_key, [max_key] AS max_key FROM (SELECT MIN([InvoiceId]) AS [min_key], MAX([InvoiceId]) AS [max_key] FROM [dbo].[Invoice]) AS bounds');
    expect(keyBoundsSql(table, column('Code', 'nvarchar(400)'), undefined)).toBe('SELECT [min_key] AS min_key, [max_key] AS max_key FROM (SELECT MIN([Code]) AS [min_key], MAX([Code]) AS [max_key] FROM [dbo].[Invoice]) AS bounds');
    expect(keyBoundsSql(table, column('At', 'datetime'), undefined)).toBe(
      'SELECT CONVERT(varchar(27), [min_key], 121) AS min_key, CONVERT(varchar(27), [max_key], 121) AS max_key FROM (SELECT MIN([At]) AS [min_key], MAX([At]) AS [max_key] FROM [dbo].[Invoice]) AS bounds',
    );
    // Ordered by the key, not by its text: as text '10' sorts before '9'.
    expect(splitPointsSql(table, column('Amount', 'decimal(10,0)'), undefined, 4)).toBe(
      'SELECT CONVERT(varchar(50), [p]) AS point FROM (SELECT MAX(k) AS [p] FROM (SELECT [Amount] AS k, NTILE(4) OVER (ORDER BY [Amount]) AS tile FROM [dbo].[Invoice] WHERE [Amount] IS NOT NULL) AS tiles GROUP BY tile) AS points ORDER BY [points].[p]',
    );
  });

  it('keeps split points strictly increasing and never ends on the maximum (no empty last range)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b).map(String);
        const max = sorted[sorted.length - 1]!;
        const points = splitPointsOf(sorted, max);
        for (let i = 1; i < points.length; i++) expect(Number(points[i])).toBeGreaterThan(Number(points[i - 1]));
        expect(points).not.toContain(max);
      }),
    );
  });
});

describe('SQL Server session settings', () => {
  it('are SET statements (the session block was ignored on SQL Server endpoints)', () => {
    expect(sessionSql('lock_timeout', '5000')).toBe('SET LOCK_TIMEOUT 5000');
    expect(sessionSql('DEADLOCK_PRIORITY', 'LOW')).toBe('SET DEADLOCK_PRIORITY LOW');
    expect(sessionSql('LANGUAGE', "Fran'çais")).toBe("SET LANGUAGE N'Fran''çais'");
    expect(() => sessionSql('LOCK_TIMEOUT; DROP TABLE x', '1')).toThrow(/not a SQL Server SET option/);
  });
});

describe('SQL Server URLs', () => {
  it('reads host, port, database, user and a password with URL-encoded characters', () => {
    const s = sqlServerSettingsOf({ url: 'sqlserver://sa:p%40ss%2Fw%3Ard@db.example:14330/Chinook?encrypt=false&trustServerCertificate=true', tls: undefined });
    expect(s).toEqual({ server: 'db.example', port: 14330, database: 'Chinook', user: 'sa', password: 'p@ss/w:rd', encrypt: false, trustServerCertificate: true, instanceName: undefined });
  });

  it('encrypts and checks the certificate by default; the tls block decides where the URL says nothing', () => {
    expect(sqlServerSettingsOf({ url: 'mssql://u:p@h/db', tls: undefined })).toMatchObject({ encrypt: true, trustServerCertificate: false });
    expect(sqlServerSettingsOf({ url: 'sqlserver://u:p@h/db', tls: { mode: 'disable' } })).toMatchObject({ encrypt: false });
    expect(sqlServerSettingsOf({ url: 'sqlserver://u:p@h/db', tls: { mode: 'require' } })).toMatchObject({ encrypt: true, trustServerCertificate: true });
    expect(sqlServerSettingsOf({ url: 'sqlserver://u:p@h/db?instanceName=SQLEXPRESS', tls: { mode: 'verify_full' } })).toMatchObject({ encrypt: true, trustServerCertificate: false, instanceName: 'SQLEXPRESS' });
  });

  it('says what is wrong with a URL without showing its password', () => {
    expect(() => sqlServerSettingsOf({ url: 'sqlserver://sa:Secr3tPw@h/db?encrypt=maybe', tls: undefined })).toThrow('sqlserver://sa:***@h/db: encrypt=maybe is not true or false');
    try {
      sqlServerSettingsOf({ url: 'sqlserver://sa:Secr3tPw@/db', tls: undefined });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).not.toContain('Secr3tPw');
    }
  });
});
