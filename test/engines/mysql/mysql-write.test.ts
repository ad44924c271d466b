import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMysqlDatabase, mysqlAvailable, type TestDatabase } from '../../support/servers.js';
import { EngineError, type EngineConnection, type TargetColumnDef, type TargetTableDef, type WriteColumn } from '../../../src/engines/contract.js';
import { mysqlDialect } from '../../../src/engines/mysql/mysql-ddl.js';
import { mysqlFromLogical, mysqlToLogical, parseMysqlType } from '../../../src/engines/mysql/mysql-types.js';
import type { MysqlSession } from '../../../src/engines/mysql/mysql-session.js';
import { writeMysqlRows } from '../../../src/engines/mysql/mysql-write.js';
import { INFILE_BUFFERED_BYTES, pacedBySocket } from '../../../src/engines/mysql/mysql-driver.js';
import { EventEmitter } from 'node:events';
import type { LogicalType, Row } from '../../../src/types/logical.js';
import { connect, findTable, readColumns } from './mysql-support.js';

// Live MariaDB: skipped (with a printed reason) when it is not reachable, a failure under CI=true.
const available = await mysqlAvailable();

function column(name: string, type: string, extra: Partial<TargetColumnDef> = {}): TargetColumnDef {
  const native = parseMysqlType(type);
  if (!native) throw new Error(type);
  return { name, type: native, nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined, ...extra };
}

const COLUMNS: readonly TargetColumnDef[] = [
  column('id', 'bigint unsigned', { nullable: false, identity: 'by_default' }),
  column('i8', 'tinyint'),
  column('u64', 'bigint unsigned'),
  column('dec', 'decimal(65,30)'),
  column('f32', 'float'),
  column('f64', 'double'),
  column('txt', 'varchar(100)'),
  column('big_text', 'longtext'),
  column('bin', 'varbinary(50)'),
  column('blob_col', 'longblob'),
  column('d', 'date'),
  column('ts', 'datetime(6)'),
  column('tstz', mysqlFromLogical({ kind: 'timestamptz', precision: 6 }).text),
  column('dur', 'time(6)'),
  column('y', 'year'),
  column('st', "set('a','b','c')"),
  column('en', "enum('x','y''z')"),
  column('b1', 'bit(1)'),
  column('b64', 'bit(64)'),
  column('j', 'json'),
  column('flag', 'tinyint(1)'),
  column('u', 'char(36)'),
];

function tableDef(schema: string, name: string, columns: readonly TargetColumnDef[] = COLUMNS): TargetTableDef {
  return { schema, name, columns, primaryKey: { name: 'PRIMARY', columns: [columns[0]!.name] }, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], comment: undefined };
}

function writeColumns(def: TargetTableDef, logical: Partial<Record<string, LogicalType>> = {}): WriteColumn[] {
  return def.columns.map((c) => ({ name: c.name, native: c.type, logical: logical[c.name] ?? mysqlToLogical(c.type), ...(c.collation ? { collation: c.collation } : {}) }));
}

const ROWS: Row[] = [
  [
    '0', '-128', '18446744073709551615', '-99999999999999999999999999999999999.999999999999999999999999999999', '3.4028235e+38', '1.7976931348623157e+308',
    'tab\there\nline\\back\u0000nul 😀 𝄞', 'x'.repeat(70000), Buffer.from([0, 0x5c, 0x0a, 0x09, 0x0d, 0xff, 0x4e]), Buffer.alloc(100000, 7),
    '0000-00-00', '9999-12-31 23:59:59.999999', '2020-06-01 07:00:00.123456+00:00', '-838:59:59.000000', '2155',
    [], "y'z", '1', '1'.repeat(64), '{"a": [1, 2.5]}', '1', '123e4567-e89b-12d3-a456-426614174000',
  ],
  [
    '1', '127', '0', '0.000000000000000000000000000001', '0.1', '5e-324',
    '', '', Buffer.alloc(0), Buffer.alloc(0),
    '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:00.000000+00:00', '838:59:59.000000', '1901',
    ['a', 'c'], 'x', '0', '0'.repeat(61) + '101', '[]', '0', '00000000-0000-0000-0000-000000000000',
  ],
  ['2', null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  ['3', null, null, null, '-0', '-1.5', '\\N', 'NULL', Buffer.from('\\N'), null, null, null, null, null, null, null, null, null, null, null, null, null],
];

async function* batches(rows: readonly Row[], size: number): AsyncGenerator<readonly Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function readBack(conn: EngineConnection, schema: string, name: string): Promise<Row[]> {
  const catalog = await conn.introspect({ schemas: [schema] });
  const table = findTable(catalog.tables, name);
  // Read with the writer's logical types (timestamptz for the DATETIME holding UTC, bool for tinyint(1)).
  const columns = readColumns(table).map((c) => (c.name === 'tstz' ? { ...c, logical: { kind: 'timestamptz' as const, precision: 6 } } : c.name === 'flag' ? { ...c, logical: { kind: 'bool' as const } } : c.name === 'u' ? { ...c, logical: { kind: 'uuid' as const } } : c));
  const snapshot = await conn.snapshot(1);
  try {
    const rows: Row[] = [];
    for await (const batch of snapshot.read({ table: { schema, name }, columns, where: undefined, range: undefined, orderBy: [columns[0]!.name], batchRows: 100 }, 0)) rows.push(...batch);
    return rows;
  } finally {
    await snapshot.close();
  }
}

/** What the rows read back as: canonical floats normalised, and MariaDB has no negative zero. */
function expected(rows: readonly Row[]): Row[] {
  return rows.map((r) => r.map((v, i) => (i === 20 && typeof v === 'string' ? v === '1' : i === 4 && v === '-0' ? '0' : v)));
}

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!available)('MySQL writes: canonical rows in, the same rows out', () => {
  let db: TestDatabase;
  let conn: EngineConnection;
  beforeAll(async () => {
    db = await createMysqlDatabase('dms_my_write');
    conn = await connect(db.url);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  it('LOAD DATA LOCAL INFILE round trip, id 0 kept, NULL distinct from "\\N" and ""', async () => {
    const def = tableDef(db.name, 'loaded');
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: false }));
    const columns = writeColumns(def, { tstz: { kind: 'timestamptz', precision: 6 }, flag: { kind: 'bool' }, u: { kind: 'uuid' } });
    const input = ROWS.map((r) => r.map((v, i) => (i === 20 && typeof v === 'string' ? v === '1' : v)));
    const written = await conn.transaction((tx) => tx.writeRows({ schema: db.name, name: 'loaded' }, columns, batches(input, 2)));
    expect(written).toBe(4);
    expect(await readBack(conn, db.name, 'loaded')).toEqual(expected(ROWS));
  });

  it('falls back to multi-row INSERT when the server refuses LOCAL INFILE', async () => {
    const def = tableDef(db.name, 'inserted');
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: false }));
    const columns = writeColumns(def, { tstz: { kind: 'timestamptz', precision: 6 }, flag: { kind: 'bool' }, u: { kind: 'uuid' } });
    const input = ROWS.map((r) => r.map((v, i) => (i === 20 && typeof v === 'string' ? v === '1' : v)));
    const acquire = (conn as unknown as { acquire(): Promise<MysqlSession> }).acquire.bind(conn);
    const session = await acquire();
    try {
      const refusing: MysqlSession = {
        query: (sql, params) => session.query(sql, params),
        stream: (sql, n, q) => session.stream(sql, n, q),
        streamRaw: (sql, n, q) => session.streamRaw(sql, n, q),
        streamRawBinary: (sql, c, n, q) => session.streamRawBinary(sql, c, n, q),
        loadLocalInfile: () => Promise.reject(new EngineError('The used command is not allowed with this MariaDB version', 'query', '1148', 'mysql://x')),
        release: () => session.release(),
      };
      const state = { localInfileRefused: false };
      const written = await writeMysqlRows(refusing, state, { schema: db.name, name: 'inserted' }, columns, batches(input, 3), 'mysql://x');
      expect(written).toBe(4);
      expect(state.localInfileRefused).toBe(true);
    } finally {
      await session.release();
    }
    expect(await readBack(conn, db.name, 'inserted')).toEqual(expected(ROWS));
  });

  it('a refused row is a data error and the transaction leaves nothing behind', async () => {
    const def = tableDef(db.name, 'refusing', [column('id', 'int', { nullable: false }), column('v', 'varchar(3)')]);
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: true }));
    const columns = writeColumns(def);
    for (const rows of [
      [['1', 'abc'], ['1', 'dup']],
      [['1', 'abc'], ['2', 'too long']],
    ] as Row[][]) {
      const attempt = conn.transaction((tx) => tx.writeRows({ schema: db.name, name: 'refusing' }, columns, batches(rows, 1)));
      await expect(attempt).rejects.toMatchObject({ name: 'EngineError', kind: 'data' });
      expect((await conn.query('SELECT COUNT(*) AS n FROM `refusing`'))[0]?.n).toBe('0');
    }
    // And the connection is still fine for the next chunk.
    await conn.transaction((tx) => tx.writeRows({ schema: db.name, name: 'refusing' }, columns, batches([['1', 'abc']], 1)));
    expect((await conn.query('SELECT COUNT(*) AS n FROM `refusing`'))[0]?.n).toBe('1');
  });

  it('a row a CHECK constraint refuses through INSERT is a data error too (mysql2 names MariaDB 4025 after an unrelated MySQL error)', async () => {
    const def = tableDef(db.name, 'checked', [column('id', 'int', { nullable: false }), column('score', 'int')]);
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: true }));
    await conn.execute([`ALTER TABLE \`checked\` ADD CONSTRAINT score_small CHECK (score < 10)`]);
    const attempt = conn.transaction((tx) => tx.query('INSERT INTO `checked` VALUES (1, 5), (2, 50)'));
    await expect(attempt).rejects.toMatchObject({ name: 'EngineError', kind: 'data', message: expect.stringMatching(/score_small/) });
    expect((await conn.query('SELECT COUNT(*) AS n FROM `checked`'))[0]?.n).toBe('0');
  });

  it('writeEach: refused rows come back with their own error and leave the rest of the transaction as it was, without savepoints', async () => {
    const def = tableDef(db.name, 'each', [column('id', 'int', { nullable: false }), column('v', 'varchar(3)', { nullable: false }), column('score', 'int')]);
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: true }));
    await conn.execute([`ALTER TABLE \`each\` ADD CONSTRAINT score_even CHECK (score % 2 = 0)`]);
    const columns = writeColumns(def);
    // 40 rows (three groups of INSERTs): odd scores break the CHECK, id 7 is a duplicate of id 6's
    // key, id 20's text is too long, id 33's is NULL.
    const rows: Row[] = Array.from({ length: 40 }, (_, i) => [String(i === 7 ? 6 : i), i === 20 ? 'long' : i === 33 ? null : 'ok', String(i % 8 === 5 ? i : 2 * i)]);
    const outcomes = await conn.transaction(async (tx) => {
      await tx.writeRows({ schema: db.name, name: 'each' }, columns, batches([['100', 'pre', '0']], 1));
      return tx.writeEach!({ schema: db.name, name: 'each' }, columns, rows);
    });
    const refused = outcomes.flatMap((e, i) => (e ? [i] : []));
    expect(refused).toEqual([5, 7, 13, 20, 21, 29, 33, 37]);
    for (const i of refused) expect(outcomes[i]).toMatchObject({ name: 'EngineError', kind: 'data' });
    expect(outcomes[5]!.message).toMatch(/score_even/);
    expect(outcomes[7]!.message).toMatch(/Duplicate entry '6'/);
    expect(outcomes[20]!.message).toMatch(/too long/);
    expect(outcomes[33]!.message).toMatch(/cannot be null/);
    const back = await conn.query('SELECT id FROM `each` ORDER BY id');
    expect(back.map((r) => Number(r.id))).toEqual([...rows.flatMap((r, i) => (refused.includes(i) ? [] : [Number(r[0])])), 100].sort((a, b) => a - b));
  });

  it('loads a row larger than max_allowed_packet (the LOAD DATA file goes in slices), and a latin1 column through CONVERT', async () => {
    const def = tableDef(db.name, 'wide', [column('id', 'int', { nullable: false }), column('b', 'longblob'), column('l', 'varchar(10)', { collation: 'latin1_swedish_ci' })]);
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: true }));
    const packet = Number((await conn.query('SELECT @@max_allowed_packet AS p'))[0]?.p);
    const wide = Buffer.alloc(Math.min(packet, 64 * 1024 * 1024) + 1024 * 1024, 0x5c); // backslashes: escaped, so twice the bytes
    const written = await conn.transaction((tx) => tx.writeRows({ schema: db.name, name: 'wide' }, writeColumns(def), batches([['1', wide, 'é€'], ['2', Buffer.from('x'), null]], 2)));
    expect(written).toBe(2);
    const back = await conn.query('SELECT id, LENGTH(b) AS n, MD5(b) AS h, HEX(l) AS l FROM `wide` ORDER BY id');
    expect(back.map((r) => [String(r.id), String(r.n), r.h, r.l])).toEqual([
      ['1', String(wide.length), createHash('md5').update(wide).digest('hex'), 'E980'],
      ['2', '1', createHash('md5').update('x').digest('hex'), null],
    ]);
  });

  it('writes nothing for an empty stream', async () => {
    const def = tableDef(db.name, 'empty', [column('id', 'int', { nullable: false })]);
    await conn.execute(mysqlDialect.createTable(def, { withPrimaryKey: true }));
    expect(await conn.transaction((tx) => tx.writeRows({ schema: db.name, name: 'empty' }, writeColumns(def), batches([], 1)))).toBe(0);
  });
});

describe('a LOAD DATA file and the socket it is written to', () => {
  it('waits for the socket to drain once it holds more than INFILE_BUFFERED_BYTES (mysql2 does not)', async () => {
    const socket = Object.assign(new EventEmitter(), { writableLength: 0 });
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 3; i++) yield Buffer.from([i]);
    }
    const paced = pacedBySocket(pieces(), socket);
    expect((await paced.next()).value).toEqual(Buffer.from([0]));
    socket.writableLength = INFILE_BUFFERED_BYTES + 1;
    let second: Buffer | undefined;
    const pending = paced.next().then((r) => (second = r.value as Buffer));
    await new Promise((r) => setTimeout(r, 20));
    expect(second).toBeUndefined();
    socket.writableLength = 0;
    socket.emit('drain');
    await pending;
    expect(second).toEqual(Buffer.from([1]));
    expect((await paced.next()).value).toEqual(Buffer.from([2]));
  });
});
