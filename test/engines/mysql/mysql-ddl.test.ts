import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, mysqlAvailable, type TestDatabase } from '../../support/servers.js';
import type { EngineConnection, TargetColumnDef, TargetTableDef } from '../../../src/engines/contract.js';
import { compileMysqlFilter, mysqlDialect, quoteMysqlIdent, renderMysqlLiteral } from '../../../src/engines/mysql/mysql-ddl.js';
import { mysqlFromLogical, mysqlToLogical, parseMysqlType } from '../../../src/engines/mysql/mysql-types.js';
import type { ExprIR } from '../../../src/ir/ir.js';
import type { LogicalType, Row } from '../../../src/types/logical.js';
import { connect, findTable, readColumns } from './mysql-support.js';

// Live MariaDB: skipped (with a printed reason) when it is not reachable, a failure under CI=true.
const available = await mysqlAvailable();

const span = { file: 'x', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } as never;
const col = (name: string): ExprIR => ({ kind: 'column', name, span });
const str = (value: string): ExprIR => ({ kind: 'literal', value: { kind: 'string', value }, span });
const num = (text: string): ExprIR => ({ kind: 'literal', value: { kind: 'number', text }, span });

describe('MySQL dialect (pure)', () => {
  it('quotes identifiers with doubled backticks', () => {
    expect(quoteMysqlIdent('a`b')).toBe('`a``b`');
    expect(mysqlDialect.qualify({ schema: 'S', name: 'select' })).toBe('`S`.`select`');
    expect(mysqlDialect.qualify({ schema: undefined, name: 't' })).toBe('`t`');
    expect(mysqlDialect.placeholder(3)).toBe('?');
  });

  it('renders literals safely', () => {
    expect(renderMysqlLiteral({ kind: 'string', value: "it's \\ a\nb\u0000" })).toBe("'it''s \\\\ a\\nb\\0'");
    expect(renderMysqlLiteral({ kind: 'number', text: '-1.5e3' })).toBe('-1.5e3');
    expect(renderMysqlLiteral({ kind: 'number', text: '1; DROP TABLE x' })).toBe("'1; DROP TABLE x'");
    expect(renderMysqlLiteral({ kind: 'date', value: '2009-01-01' })).toBe("DATE '2009-01-01'");
    expect(renderMysqlLiteral({ kind: 'timestamp', value: '2009-01-01T10:00:00' })).toBe("TIMESTAMP '2009-01-01 10:00:00'");
    expect(renderMysqlLiteral({ kind: 'bool', value: true })).toBe('TRUE');
    expect(renderMysqlLiteral({ kind: 'null' })).toBe('NULL');
  });

  it('compiles filters', () => {
    const expr: ExprIR = {
      kind: 'logical',
      op: 'and',
      left: { kind: 'compare', op: '!=', left: col('Total'), right: num('0'), span },
      right: {
        kind: 'logical',
        op: 'or',
        left: { kind: 'in', negated: true, operand: col('Country'), list: [str('USA'), str("Côte d'Ivoire")], span },
        right: { kind: 'between', negated: false, operand: col('d'), low: { kind: 'literal', value: { kind: 'date', value: '2020-01-01' }, span }, high: { kind: 'literal', value: { kind: 'date', value: '2020-12-31' }, span }, span },
        span,
      },
      span,
    };
    expect(compileMysqlFilter(expr)).toBe("((`Total` <> 0) AND ((`Country` NOT IN ('USA', 'Côte d''Ivoire')) OR (`d` BETWEEN DATE '2020-01-01' AND DATE '2020-12-31')))");
    expect(compileMysqlFilter({ kind: 'is_null', negated: true, operand: col('x'), span })).toBe('(`x` IS NOT NULL)');
    expect(compileMysqlFilter({ kind: 'like', negated: false, operand: col('x'), pattern: str('a\\_%'), span })).toBe("(`x` LIKE 'a\\\\_%')");
    expect(compileMysqlFilter({ kind: 'not', operand: col('b'), span })).toBe('(NOT `b`)');
  });

  it('declares a collation on character types only (MySQL 8 refuses COLLATE on JSON), and INVISIBLE and PARTITION BY where asked', () => {
    const def: TargetTableDef = {
      schema: 'db',
      name: 't',
      columns: [column('id', 'int', { nullable: false }), column('e', 'enum(\'a\')', { collation: 'utf8mb4_general_ci' }), column('j', 'json', { collation: 'utf8mb4_bin' }), column('h', 'int', { invisible: true })],
      primaryKey: { name: 'PRIMARY', columns: ['id'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
      comment: undefined,
      partitionBy: 'PARTITION BY HASH (`id`)\nPARTITIONS 4',
    };
    const [sql] = mysqlDialect.createTable(def, { withPrimaryKey: true });
    expect(sql).toContain("`e` enum('a') COLLATE `utf8mb4_general_ci` NULL");
    expect(sql).toContain('`j` json NULL');
    expect(sql).toContain('`h` int NULL INVISIBLE');
    expect(sql!.endsWith('\nPARTITION BY HASH (`id`)\nPARTITIONS 4')).toBe(true);
  });

  it('resets AUTO_INCREMENT through a prepared statement', () => {
    const sql = mysqlDialect.resetIdentity({ schema: 's', name: 't' }, 'id');
    expect(sql[0]).toBe('SET @dmsplan_next = (SELECT COALESCE(MAX(`id`), 0) + 1 FROM `s`.`t`)');
    expect(sql).toContain('PREPARE dmsplan_stmt FROM @dmsplan_sql');
    expect(mysqlDialect.controlTable('runs')).toEqual({ schema: '_dmsplan', name: 'runs' });
  });

  it("resets AUTO_INCREMENT no lower than the source's counter, where it is known", () => {
    expect(mysqlDialect.resetIdentity({ schema: 's', name: 't' }, 'id', '1003')[0]).toBe('SET @dmsplan_next = GREATEST((SELECT COALESCE(MAX(`id`), 0) + 1 FROM `s`.`t`), 1003)');
  });
});

function column(name: string, type: string, extra: Partial<TargetColumnDef> = {}): TargetColumnDef {
  const native = parseMysqlType(type);
  if (!native) throw new Error(type);
  return { name, type: native, nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined, ...extra };
}

// One column per logical type the engine maps to, plus MySQL-only types.
const LOGICAL: readonly LogicalType[] = [
  { kind: 'bool' },
  { kind: 'int', bits: 8, unsigned: true },
  { kind: 'int', bits: 24, unsigned: false },
  { kind: 'int', bits: 64, unsigned: true },
  { kind: 'decimal', precision: 65, scale: 30 },
  { kind: 'decimal', precision: undefined, scale: undefined },
  { kind: 'float', bits: 32 },
  { kind: 'float', bits: 64 },
  { kind: 'text', length: 10, fixed: true },
  { kind: 'text', length: 2048, fixed: false },
  { kind: 'text', length: 100000, fixed: false },
  { kind: 'text', length: undefined, fixed: false },
  { kind: 'binary', length: 16, fixed: true },
  { kind: 'binary', length: 300, fixed: false },
  { kind: 'binary', length: undefined, fixed: false },
  { kind: 'date' },
  { kind: 'time', precision: 3, withTimeZone: false },
  { kind: 'time', precision: 0, withTimeZone: true },
  { kind: 'interval', precision: 6 },
  { kind: 'timestamp', precision: 6 },
  { kind: 'timestamptz', precision: 3 },
  { kind: 'year' },
  { kind: 'uuid' },
  { kind: 'json', binary: true },
  { kind: 'enum', values: ['a', "b'c", 'd\\e'], name: 'e' },
  { kind: 'set', values: ['x', 'y'] },
  { kind: 'array', element: { kind: 'text', length: undefined, fixed: false } },
  { kind: 'bit', length: 64, varying: false },
  { kind: 'bit', length: 10, varying: true },
  { kind: 'other', native: 'money' },
];

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!available)('MySQL DDL accepted by the server', () => {
  let db: TestDatabase;
  let conn: EngineConnection;
  beforeAll(async () => {
    db = await createMysqlDatabase('dms_my_ddl');
    conn = await connect(db.url);
  });
  afterAll(async () => {
    await conn?.execute([`DROP DATABASE IF EXISTS ${quoteMysqlIdent(`${db.name}_other`)}`]);
    await conn?.close();
    await db?.drop();
  });

  it('creates a table with every type, defaults, keys, indexes, FKs and identity', async () => {
    const columns: TargetColumnDef[] = [
      column('id', 'int unsigned', { nullable: false, identity: 'by_default', comment: "the key's comment" }),
      ...LOGICAL.map((l, i) => column(`c${i}`, mysqlFromLogical(l).text)),
      column('dflt_text', 'varchar(20)', { default: { kind: 'literal', text: "it's \\ here" } }),
      column('dflt_blob_text', 'longtext', { default: { kind: 'literal', text: 'hello' } }),
      column('dflt_num', 'decimal(10,2)', { default: { kind: 'literal', text: '1.50' }, nullable: false }),
      column('dflt_bit', 'bit(3)', { default: { kind: 'literal', text: '101' } }),
      column('dflt_now', 'datetime(3)', { default: { kind: 'current_timestamp', precision: undefined }, onUpdateCurrentTimestamp: true }),
      column('dflt_date', 'date', { default: { kind: 'current_date' } }),
      column('dflt_expr', 'int', { default: { kind: 'expression', sql: '1 + 1' } }),
      column('gen', 'int', { generated: { expression: '`dflt_expr` * 2', stored: true } }),
      column('parent_id', 'int unsigned'),
      column('geo', 'geometry'),
      column('nopad', 'varchar(10)', { collation: 'utf8mb4_nopad_bin' }),
      column('latin', 'varchar(10)', { collation: 'latin1_swedish_ci' }),
    ];
    const parent: TargetTableDef = { schema: db.name, name: 'parent', columns: [column('id', 'int unsigned', { nullable: false })], primaryKey: { name: 'PRIMARY', columns: ['id'] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], comment: undefined };
    const def: TargetTableDef = {
      schema: db.name,
      name: 'all_types',
      columns,
      primaryKey: undefined,
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [{ name: 'positive', expression: '`dflt_num` >= 0' }],
      comment: 'every type',
    };
    await conn.execute([...mysqlDialect.createTable(parent, { withPrimaryKey: false }), ...mysqlDialect.createTable(def, { withPrimaryKey: false })]);
    const q = { schema: db.name, name: 'all_types' };
    await conn.execute(mysqlDialect.addPrimaryKey(q, { name: 'all_types_pkey', columns: ['id'] }));
    // Present already: a second time is a no-op, not an error.
    await conn.execute(mysqlDialect.addPrimaryKey(q, { name: 'all_types_pkey', columns: ['id'] }));
    await conn.execute(mysqlDialect.addUniqueKey(q, { name: 'uq_c3', columns: ['c3'] }));
    await conn.execute(mysqlDialect.createIndex(q, { name: 'ix_prefix', unique: false, parts: [{ column: 'c11', descending: false, prefixLength: 20 }, { column: 'c2', descending: true }], where: undefined, method: 'btree' }));
    await conn.execute(mysqlDialect.createIndex(q, { name: 'ft', unique: false, parts: [{ column: 'c11', descending: false }], where: undefined, method: 'fulltext' }));
    await conn.execute(mysqlDialect.addForeignKey(q, { name: 'fk_parent', columns: ['parent_id'], referencedSchema: db.name, referencedTable: 'parent', referencedColumns: ['id'], onDelete: 'set_null', onUpdate: 'set_default' }, undefined));
    // The counter stands at 42 after these; resetting it from MAX(id) = 7 makes the next id 8.
    await conn.execute(['INSERT INTO `all_types` (`id`, `dflt_num`) VALUES (41, 2), (7, 1)', 'DELETE FROM `all_types` WHERE `id` = 41']);
    await conn.execute(mysqlDialect.resetIdentity(q, 'id'));
    await conn.execute(['INSERT INTO `all_types` (`dflt_num`) VALUES (3)']);
    expect(Number((await conn.query('SELECT MAX(id) AS m FROM `all_types`'))[0]?.m)).toBe(8);

    const catalog = await conn.introspect({ schemas: undefined });
    const t = findTable(catalog.tables, 'all_types');
    expect(t.comment).toBe('every type');
    expect(t.primaryKey?.columns).toEqual(['id']);
    expect(t.uniqueKeys.map((k) => k.name)).toEqual(['uq_c3']);
    expect(t.indexes.find((i) => i.name === 'ix_prefix')?.parts).toEqual([{ column: 'c11', descending: false, prefixLength: 20 }, { column: 'c2', descending: true }]);
    expect(t.foreignKeys[0]).toMatchObject({ name: 'fk_parent', onDelete: 'set_null', onUpdate: 'no_action' });
    expect(t.checks).toEqual([{ name: 'positive', expression: '`dflt_num` >= 0' }]);
    const c = (n: string) => t.columns.find((x) => x.name === n)!;
    // The counter after the insert of 8: the next value the source would hand out.
    expect(c('id').identity).toEqual({ kind: 'auto_increment', next: '9' });
    expect(c('id').comment).toBe("the key's comment");
    expect(c('dflt_text').default).toEqual({ kind: 'literal', text: "it's \\ here" });
    expect(c('dflt_blob_text').default).toEqual({ kind: 'literal', text: 'hello' });
    expect(c('dflt_bit').default).toEqual({ kind: 'literal', text: '101' });
    expect(c('dflt_now').default).toEqual({ kind: 'current_timestamp', precision: 3 });
    expect(c('dflt_now').onUpdateCurrentTimestamp).toBe(true);
    expect(c('gen').generated).toEqual({ expression: '`dflt_expr` * 2', stored: true });
    // A column's collation, and the character set it implies, round-trip; the server's collations are listed.
    expect([c('nopad').collation, c('latin').collation, c('latin').charset]).toEqual(['utf8mb4_nopad_bin', 'latin1_swedish_ci', 'latin1']);
    expect(catalog.collations).toEqual(expect.arrayContaining(['latin1_swedish_ci', 'utf8mb4_bin', 'utf8mb4_nopad_bin']));
    // MariaDB 10.10+ lists its UCA 14.0 collations once for every character set; columns carry full names.
    if (/mariadb/i.test(catalog.serverVersion) && !/^10\.[0-9]\./.test(catalog.serverVersion)) expect(catalog.collations).toContain('utf8mb4_uca1400_nopad_ai_ci');
    // Each created column reads back as the logical type it was made for, where MySQL has one.
    // (MariaDB's JSON keeps the document's text: json without `binary`.)
    const binaryJsonOnMysql = (l: LogicalType): LogicalType => (l.kind === 'json' && /mariadb/i.test(catalog.serverVersion) ? { kind: 'json', binary: false } : l);
    LOGICAL.forEach((l, i) => expect(c(`c${i}`).logical, JSON.stringify(l)).toEqual(binaryJsonOnMysql(mysqlToLogical(mysqlFromLogical(l)))));
    expect(c('c5').nativeType.text).toBe('longtext');

    await conn.execute(mysqlDialect.truncateTable({ schema: db.name, name: 'parent' }));
    await conn.execute(mysqlDialect.dropTable(q));
    await conn.execute(mysqlDialect.createSchema(`${db.name}_other`));
    await conn.execute(mysqlDialect.createSchema(`${db.name}_other`));
  });

  it('nasty identifiers survive create, write, read and introspection', async () => {
    const names = ['select', 'Mixed Case', 'back`tick', 'naïve_表', 'with space', 'order'];
    const def: TargetTableDef = {
      schema: db.name,
      name: 'Tab`le Ü',
      columns: names.map((n, i) => column(n, i === 0 ? 'int' : 'varchar(20)', { nullable: i !== 0 })),
      primaryKey: { name: 'PRIMARY', columns: ['select'] },
      uniqueKeys: [],
      indexes: [],
      foreignKeys: [],
      checks: [],
      comment: undefined,
    };
    const q = { schema: db.name, name: def.name };
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: true }));
    await conn.execute(mysqlDialect.createIndex(q, { name: 'ix `odd`', unique: false, parts: [{ column: 'Mixed Case', descending: false }], where: undefined, method: 'btree' }));
    const rows: Row[] = [
      ['1', 'a', 'b', 'c', 'd', 'e'],
      ['2', null, '`', "'", '\\', '表'],
    ];
    const columns = def.columns.map((c) => ({ name: c.name, native: c.type, logical: mysqlToLogical(c.type) }));
    await conn.transaction((tx) =>
      tx.writeRows(q, columns, (async function* () {
        yield rows;
      })()),
    );
    const catalog = await conn.introspect({ schemas: [db.name] });
    const t = findTable(catalog.tables, 'Tab`le Ü');
    expect(t.columns.map((c) => c.name)).toEqual(names);
    expect(t.indexes.map((i) => i.name)).toEqual(['ix `odd`']);
    const snapshot = await conn.snapshot(1);
    try {
      const out: Row[] = [];
      const where = compileMysqlFilter({ kind: 'compare', op: '>=', left: col('select'), right: num('1'), span });
      for await (const b of snapshot.read({ table: q, columns: readColumns(t), where, range: undefined, orderBy: ['select', 'Mixed Case'], batchRows: 10 }, 0)) out.push(...b);
      expect(out).toEqual(rows);
    } finally {
      await snapshot.close();
    }
  });

  it('creates the control schema', async () => {
    await conn.execute(mysqlDialect.createControlSchema());
    await conn.execute(mysqlDialect.createControlSchema());
    expect((await conn.query("SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '_dmsplan'")).length).toBe(1);
  });
});
