/** The queries of a SQL Server read, exact (no SQL Server runs here), and the URL settings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadColumn } from '../../../src/engines/contract.js';
import { countSql, keyBoundsSql, selectSql, splitPointsOf, splitPointsSql } from '../../../src/engines/sqlserver/sqlserver-read.js';
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

  it('refuses a range bound that is not an integer rather than write it into the SQL', () => {
    expect(() => selectSql({ table, columns: [id], where: undefined, orderBy: [], batchRows: 1, range: { column: id, after: "1; DROP TABLE x --", upTo: undefined } })).toThrow(/bug/);
  });

  it('counts with COUNT_BIG, bounds and splits the key on the server', () => {
    expect(countSql(table, undefined)).toBe('SELECT COUNT_BIG(*) AS n FROM [dbo].[Invoice]');
    expect(keyBoundsSql(table, id, undefined)).toBe('SELECT CONVERT(varchar(50), MIN([InvoiceId])) AS min_key, CONVERT(varchar(50), MAX([InvoiceId])) AS max_key FROM [dbo].[Invoice]');
    expect(splitPointsSql(table, id, undefined, 4)).toBe(
      'SELECT CONVERT(varchar(50), MAX(k)) AS point FROM (SELECT [InvoiceId] AS k, NTILE(4) OVER (ORDER BY [InvoiceId]) AS tile FROM [dbo].[Invoice] WHERE [InvoiceId] IS NOT NULL) AS tiles GROUP BY tile ORDER BY MAX(k)',
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
