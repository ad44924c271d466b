/**
 * MySQL → PostgreSQL reads MySQL through the binary protocol (prepared statements), and a server
 * that refuses prepared statements is read in the text protocol instead: the same rows arrive,
 * and the run says so. A small table reads as text from the start. A private MariaDB, since refusing them is a global setting
 * (`max_prepared_stmt_count = 0`) that must not touch the shared server's other suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { MARIADBD, startPrivateMariadb, tryStart } from '../support/private-servers.js';
import { createPostgresDatabase, postgresAvailable, queryPostgres, runMysql, type TestDatabase } from '../support/servers.js';
import mysql from 'mysql2/promise';

const inCI = process.env.CI === 'true';
const server = await tryStart(startPrivateMariadb, MARIADBD);
if (typeof server === 'string') {
  if (inCI) throw new Error(`private MariaDB for the binary-protocol tests: ${server}`);
  console.warn(`[skip] private MariaDB for the binary-protocol tests: ${server}`);
}
const myServer = typeof server === 'string' ? undefined : server;
afterAll(async () => {
  await myServer?.stop();
});
const havePostgres = await postgresAvailable();

async function prepares(url: string): Promise<number> {
  const c = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await c.query("SHOW GLOBAL STATUS LIKE 'Com_stmt_prepare'");
    return Number((rows as { Value: string }[])[0]?.Value ?? 0);
  } finally {
    await c.end();
  }
}

// Above the size under which tables read as text anyway (a round trip per chunk saved).
const ROWS = 30_000;
const WIDE_ROWS = 25_000;
const CONTENT = `SELECT id, u, d, dt, dd, s FROM t ORDER BY id`;

// Skipped only when the private MariaDB or PostgreSQL cannot run outside CI; under CI=true that fails the run instead.
describe.skipIf(!myServer || !havePostgres)('MySQL binary protocol', () => {
  const source = `${myServer?.url ?? 'mysql://x/'}bin_src`;
  let plan: string;
  const targets: TestDatabase[] = [];
  beforeAll(async () => {
    await runMysql(
      myServer!.url,
      `CREATE DATABASE bin_src;
       CREATE TABLE bin_src.t (id BIGINT UNSIGNED PRIMARY KEY, u INT UNSIGNED, d DOUBLE, dt DATETIME(3), dd DATE, s VARCHAR(30));
       INSERT INTO bin_src.t SELECT seq, seq * 7 % 1000, seq / 7e0, TIMESTAMP('2020-01-01') + INTERVAL seq * 1001 SECOND, IF(seq % 5 = 0, '0000-00-00', DATE('2020-01-01') + INTERVAL seq DAY), CONCAT('é', seq) FROM bin_src.seq_1_to_${ROWS};
       ANALYZE TABLE bin_src.t;
       CREATE TABLE bin_src.wide (
         id INT PRIMARY KEY, b TINYINT(1), ti TINYINT, su SMALLINT UNSIGNED, mi MEDIUMINT, bi BIGINT, de DECIMAL(12,4),
         en ENUM('a','b','c'), j JSON, bl VARBINARY(16), ts TIMESTAMP(6) NULL, dt0 DATETIME, c CHAR(4), tx TEXT, zf INT(6) ZEROFILL
       );
       INSERT INTO bin_src.wide SELECT seq, IF(seq % 7 = 0, NULL, seq % 3), CAST(seq % 256 AS SIGNED) - 128, seq % 65536, CAST(seq * 37 % 16777216 AS SIGNED) - 8388608,
         CAST(seq AS SIGNED) * 1000000007 * IF(seq % 2, 1, -1), seq / 9, ELT(seq % 3 + 1, 'a', 'b', 'c'),
         JSON_OBJECT('k', seq, 's', CONCAT('ü', seq)), UNHEX(HEX(seq)), TIMESTAMP('2001-01-01') + INTERVAL seq SECOND + INTERVAL seq % 1000000 MICROSECOND,
         IF(seq % 11 = 0, '0000-00-00 00:00:00', TIMESTAMP('1999-12-31 23:00:00') + INTERVAL seq MINUTE), LEFT(CONCAT('c', seq), 4),
         IF(seq % 13 = 0, NULL, REPEAT('ü', seq % 5)), seq % 1000
       FROM bin_src.seq_1_to_${WIDE_ROWS};
       ANALYZE TABLE bin_src.wide;`,
    );
    plan = writePlanFile(
      `migration bin { validate = checksums }
       source src mysql { url = env("SRC") }
       target dst postgres { url = env("DST") }
       map src.bin_src.* -> dst.public.* {}`,
    );
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  async function applyInto(): Promise<{ readonly code: number; readonly output: string; readonly target: TestDatabase }> {
    const target = await createPostgresDatabase('dms_binproto');
    targets.push(target);
    const run = await runCli(['apply', plan, '--auto-approve'], { SRC: source, DST: target.url });
    return { code: run.code, output: run.stdout + run.stderr, target };
  }

  it('reads through prepared statements, and the rows arrive as the text protocol reads them', async () => {
    const before = await prepares(myServer!.url);
    const { code, output, target } = await applyInto();
    expect(code, output).toBe(0);
    expect(output).not.toMatch(/text protocol instead/);
    // Both tables were read through prepared statements (every column of both has a binary COPY
    // form, FLOAT, SET and BIT not), and validate = checksums found the binary decoders' values
    // equal to a text-protocol re-read of every row.
    expect(await prepares(myServer!.url)).toBeGreaterThanOrEqual(before + 2);
    expect(output).toMatch(/validate .*wide \(checksums\)/);
    // TINYINT(1) becomes boolean: a 2 is rejected, by key, through the binary path's decoders.
    const seqs = Array.from({ length: WIDE_ROWS }, (_, i) => i + 1);
    const kept = seqs.filter((q) => q % 7 === 0 || q % 3 !== 2);
    const [wide] = await queryPostgres(
      target.url,
      `SELECT count(*)::int AS n, count(b)::int AS b, sum(bi)::text AS bi, count(dt0)::int AS dt0, sum(zf)::int AS zf FROM wide`,
    );
    expect(wide).toEqual({
      n: kept.length,
      b: kept.filter((q) => q % 7 !== 0).length,
      bi: String(kept.reduce((sum, q) => sum + BigInt(q) * 1000000007n * (q % 2 ? 1n : -1n), 0n)),
      dt0: kept.filter((q) => q % 11 !== 0).length,
      zf: kept.reduce((sum, q) => sum + (q % 1000), 0),
    });
    const rejects = await queryPostgres(target.url, `SELECT row_key, column_name, value_text FROM "_dmsplan".rejects WHERE target_table LIKE '%wide%' ORDER BY row_key::int LIMIT 2`);
    expect(rejects).toEqual([
      { row_key: '2', column_name: 'b', value_text: '2' },
      { row_key: '5', column_name: 'b', value_text: '2' },
    ]);
    const rows = await queryPostgres(target.url, `SELECT count(*)::int AS n, count(dd)::int AS dates, sum(u)::text AS u, min(dt)::text AS first FROM t`);
    expect(rows[0]).toEqual({ n: ROWS, dates: ROWS - ROWS / 5, u: expect.any(String), first: '2020-01-01 00:16:41' });
    expect(await queryPostgres(target.url, `${CONTENT} LIMIT 2`)).toEqual([
      { id: '1', u: '7', d: 1 / 7, dt: expect.any(Date), dd: expect.any(Date), s: 'é1' },
      { id: '2', u: '14', d: 2 / 7, dt: expect.any(Date), dd: expect.any(Date), s: 'é2' },
    ]);
  });

  it('a small table reads as text: no statement is prepared', async () => {
    await runMysql(myServer!.url, `CREATE TABLE bin_src.small (id INT PRIMARY KEY, d DOUBLE); INSERT INTO bin_src.small VALUES (1, 0.5), (2, 1e-300); ANALYZE TABLE bin_src.small;`);
    const small = writePlanFile(
      `migration small { validate = checksums }
       source src mysql { url = env("SRC") }
       target dst postgres { url = env("DST") }
       map src.bin_src.small -> dst.public.small {}`,
    );
    const target = await createPostgresDatabase('dms_binproto');
    targets.push(target);
    const before = await prepares(myServer!.url);
    const run = await runCli(['apply', small, '--auto-approve'], { SRC: source, DST: target.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await prepares(myServer!.url)).toBe(before);
    expect(await queryPostgres(target.url, 'SELECT id, d FROM small ORDER BY id')).toEqual([
      { id: 1, d: 0.5 },
      { id: 2, d: 1e-300 },
    ]);
  });

  it('a server that refuses prepared statements is read in the text protocol, every row arriving', async () => {
    await runMysql(myServer!.url, 'SET GLOBAL max_prepared_stmt_count = 0');
    try {
      const { code, output, target } = await applyInto();
      expect(code, output).toBe(0);
      expect(output).toMatch(/binary protocol was refused.*reading it in the text protocol instead/);
      const [count] = await queryPostgres(target.url, 'SELECT count(*)::int AS n, count(dd)::int AS dates FROM t');
      expect(count).toEqual({ n: ROWS, dates: ROWS - ROWS / 5 });
    } finally {
      await runMysql(myServer!.url, 'SET GLOBAL max_prepared_stmt_count = 16382');
    }
  });
});
