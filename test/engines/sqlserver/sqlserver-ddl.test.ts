/** The T-SQL dialect: quoting, literals, filters and DDL, asserted as exact text (no SQL Server runs here). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExprIR } from '../../../src/ir/ir.js';
import { compileSqlServerFilter, quoteSqlServerIdent, renderSqlServerLiteral, sqlServerDialect } from '../../../src/engines/sqlserver/sqlserver-ddl.js';
import { parseSqlServerType } from '../../../src/engines/sqlserver/sqlserver-types.js';
import type { TargetTableDef } from '../../../src/engines/contract.js';

const t = (text: string) => parseSqlServerType(text)!;
const span = { file: 'p', startOffset: 0, endOffset: 0, startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

describe('the SQL Server dialect', () => {
  it('brackets names, doubling ] — any name reads back as itself', () => {
    expect(quoteSqlServerIdent('a]b')).toBe('[a]]b]');
    expect(sqlServerDialect.qualify({ schema: 'dbo', name: 'Order Details' })).toBe('[dbo].[Order Details]');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (name) => {
        const quoted = quoteSqlServerIdent(name);
        expect(quoted.startsWith('[') && quoted.endsWith(']')).toBe(true);
        expect(quoted.slice(1, -1).replace(/]]/g, ']')).toBe(name);
        // No lone ] inside: the name cannot end the identifier early.
        expect(/(^|[^\]])\](?!\])/.test(quoted.slice(1, -1).replace(/]]/g, ''))).toBe(false);
      }),
    );
  });

  it('writes strings as N literals and dates as language-independent CASTs', () => {
    expect(renderSqlServerLiteral({ kind: 'string', value: "O'Brien – ünïcode" })).toBe("N'O''Brien – ünïcode'");
    expect(renderSqlServerLiteral({ kind: 'date', value: '2009-01-01' })).toBe("CAST('2009-01-01' AS date)");
    expect(renderSqlServerLiteral({ kind: 'timestamp', value: '2009-01-01T10:00:00.1234567' })).toBe("CAST('2009-01-01 10:00:00.1234567' AS datetime2(7))");
    expect(renderSqlServerLiteral({ kind: 'bool', value: true })).toBe('1');
    expect(renderSqlServerLiteral({ kind: 'number', text: '-1.5e3' })).toBe('-1.5e3');
  });

  it('compiles LIKE case-sensitively, with [ escaped (a wildcard in T-SQL) and an explicit escape character', () => {
    const like: ExprIR = { kind: 'like', operand: { kind: 'column', name: 'Name', span }, pattern: { kind: 'literal', value: { kind: 'string', value: 'a[b]\\_%' }, span }, negated: false, span } as ExprIR;
    expect(compileSqlServerFilter(like)).toBe("([Name] COLLATE Latin1_General_100_BIN2 LIKE N'a\\[b]\\_%' ESCAPE N'\\')");
  });

  it('creates a table with IDENTITY seeded at the source counter, defaults, and a clustered primary key', () => {
    const table: TargetTableDef = {
      schema: 'app',
      name: 'Invoice',
      columns: [
        { name: 'Id', type: t('int'), nullable: false, default: undefined, identity: 'by_default', identityNext: '412', generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined },
        { name: 'Total', type: t('decimal(10,2)'), nullable: true, default: { kind: 'literal', text: '0' }, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined },
        { name: 'Note', type: t('nvarchar(max)'), nullable: true, default: { kind: 'literal', text: "it's" }, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined },
        { name: 'At', type: t('datetime2(7)'), nullable: false, default: { kind: 'current_timestamp', precision: undefined }, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined },
      ],
      primaryKey: { name: 'PK_Invoice', columns: ['Id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
      comment: undefined,
    };
    expect(sqlServerDialect.createTable(table, { withPrimaryKey: true })).toEqual([
      'CREATE TABLE [app].[Invoice] (\n' +
        '  [Id] int IDENTITY(412, 1) NOT NULL,\n' +
        '  [Total] decimal(10,2) NULL CONSTRAINT [DF_Invoice_Total] DEFAULT (0),\n' +
        "  [Note] nvarchar(max) NULL CONSTRAINT [DF_Invoice_Note] DEFAULT N'it''s',\n" +
        '  [At] datetime2(7) NOT NULL CONSTRAINT [DF_Invoice_At] DEFAULT SYSDATETIME(),\n' +
        '  CONSTRAINT [PK_Invoice] PRIMARY KEY CLUSTERED ([Id])\n' +
        ')',
    ]);
    expect(sqlServerDialect.createSchema('app')).toEqual(["IF SCHEMA_ID(N'app') IS NULL EXEC(N'CREATE SCHEMA [app]')"]);
  });

  it('makes a unique key over columns that may be NULL a filtered index: a UNIQUE constraint would let only one NULL in', () => {
    expect(sqlServerDialect.addUniqueKey({ schema: 'app', name: 'T' }, { name: 'UQ_T_Email', columns: ['Email', 'Tenant'] })).toEqual([
      'CREATE UNIQUE NONCLUSTERED INDEX [UQ_T_Email] ON [app].[T] ([Email], [Tenant]) WHERE [Email] IS NOT NULL AND [Tenant] IS NOT NULL',
    ]);
    expect(sqlServerDialect.addUniqueKey({ schema: 'app', name: 'T' }, { name: 'UQ_T_Code', columns: ['Code'], nullsNotDistinct: true })).toEqual(['ALTER TABLE [app].[T] ADD CONSTRAINT [UQ_T_Code] UNIQUE ([Code])']);
  });

  it('creates indexes with INCLUDE and filters, foreign keys with actions (RESTRICT as NO ACTION)', () => {
    expect(sqlServerDialect.createIndex({ schema: 'app', name: 'T' }, { name: 'IX', unique: false, parts: [{ column: 'A', descending: true }], where: '([A] > (0))', method: 'btree', include: ['B'] })).toEqual([
      'CREATE NONCLUSTERED INDEX [IX] ON [app].[T] ([A] DESC) INCLUDE ([B]) WHERE ([A] > (0))',
    ]);
    expect(sqlServerDialect.addForeignKey({ schema: 'app', name: 'Child' }, { name: 'FK', columns: ['P'], referencedSchema: 'x', referencedTable: 'Parent', referencedColumns: ['Id'], onDelete: 'restrict', onUpdate: 'cascade' }, 'app')).toEqual([
      'ALTER TABLE [app].[Child] ADD CONSTRAINT [FK] FOREIGN KEY ([P]) REFERENCES [app].[Parent] ([Id]) ON DELETE NO ACTION ON UPDATE CASCADE',
    ]);
  });

  it('reseeds an identity past the largest value and to the source counter, for a table that had rows or never had any', () => {
    expect(sqlServerDialect.resetIdentity({ schema: 'app', name: 'T' }, 'Id', '100')).toEqual([
      "DECLARE @next decimal(38,0) = (SELECT ISNULL(MAX([Id]), 0) + 1 FROM [app].[T]); IF @next < 100 SET @next = 100; IF (SELECT last_value FROM sys.identity_columns WHERE object_id = OBJECT_ID(N'[app].[T]') AND name = N'Id') IS NULL DBCC CHECKIDENT (N'[app].[T]', RESEED, @next) ELSE BEGIN SET @next = @next - 1; DBCC CHECKIDENT (N'[app].[T]', RESEED, @next) END",
    ]);
  });
});
