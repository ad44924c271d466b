/**
 * The MariaDB binlog change stream, live (a private MariaDB with the row binlog; the shared one
 * runs without it and must not be reconfigured): rows as the source has them, also when a session
 * writes smaller row images than the server's FULL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mysqlQuery } from '../../support/servers.js';
import { runCli } from '../../support/cli.js';
import { MARIADBD, startPrivateMariadb, tryStart } from '../../support/private-servers.js';

const server = await tryStart(startPrivateMariadb, MARIADBD);
if (typeof server === 'string') {
  if (process.env.CI === 'true') throw new Error(`private MariaDB for the CDC tests: ${server}`);
  console.warn(`[skip] private MariaDB for the CDC tests: ${server}`);
}
const myServer = typeof server === 'string' ? undefined : server;
afterAll(async () => {
  await myServer?.stop();
});

const my = mysqlQuery;

// Skipped only when a private MariaDB server (row binlog) cannot be started outside CI; under CI=true that fails the run instead.
describe.skipIf(!myServer)('the MariaDB binlog change stream', () => {
  const env = () => ({ SRC_URL: `${myServer!.url}drv_src`, DST_URL: `${myServer!.url}drv_dst`, TZ: 'UTC' });

  it('a session writing NOBLOB or MINIMAL row images loses no value: columns left out of an image are read back by key', async () => {
    await my(myServer!.url, `CREATE DATABASE drv_src; CREATE DATABASE drv_dst;
      CREATE TABLE drv_src.t (id int PRIMARY KEY, a varchar(20), body text, data blob, flags bit(5) DEFAULT b'10101',
        at datetime(6) DEFAULT '2020-01-02 03:04:05.123456', amount decimal(20,6) DEFAULT 12345678901234.123456, c int DEFAULT 5);
      INSERT INTO drv_src.t (id, a, body, data) VALUES (1, 'a', 'body 1', x'00ff10'), (2, 'b', 'body 2', x'0102'), (3, 'c', 'body 3', NULL)`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-drv-')), 'images.dmsplan');
    writeFileSync(file, `migration images { mode = full_load_and_cdc }\nsource src mysql { url = env("SRC_URL") }\ntarget dst mysql { url = env("DST_URL") }\nmap src.drv_src.* -> dst.drv_dst.* { }\n`);
    const follow = async () => {
      const run = await runCli(['apply', file, '--auto-approve', '--until-caught-up'], env());
      expect(run.stdout + run.stderr).toMatch(/Changes followed until caught up/);
      expect(run.code).toBe(0);
    };
    await follow();
    await my(`${myServer!.url}drv_src`, `SET SESSION binlog_row_image = 'NOBLOB'; UPDATE t SET a = 'noblob' WHERE id = 1;
      SET SESSION binlog_row_image = 'MINIMAL'; UPDATE t SET a = 'minimal' WHERE id = 2; UPDATE t SET id = 30 WHERE id = 3;
      INSERT INTO t (id, a) VALUES (4, 'defaults'); INSERT INTO t (id) VALUES (5); DELETE FROM t WHERE id = 5`);
    await follow();
    const rows = `SELECT id, a, body, hex(data) AS data, bin(flags) AS flags, at, CAST(amount AS CHAR) AS amount, c FROM t ORDER BY id`;
    const source = await my(`${myServer!.url}drv_src`, rows);
    expect((source as { id: number }[]).map((r) => r.id)).toEqual([1, 2, 4, 30]);
    expect(await my(`${myServer!.url}drv_dst`, rows)).toEqual(source);
  }, 60000);
});
