/**
 * MariaDB's data-type plugins inet4, inet6 and uuid between MariaDB servers: they were turned into
 * longtext and char(36) (a unique key on an inet6 column then refused the plan, DMS3435), and a
 * column of them could not be loaded either — LOAD DATA's binary character set made '::1' a
 * 3-byte address. They are now kept where the target server has them, and loaded from their text.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { createMysqlDatabase, MYSQL_ADMIN_URL, mysqlAvailable, mysqlQuery, runMysql, type TestDatabase } from '../support/servers.js';

const haveMysql = await mysqlAvailable();
const version = haveMysql ? String(((await mysqlQuery(MYSQL_ADMIN_URL, 'SELECT version() AS v')) as { v: string }[])[0]!.v) : '';

// Skipped only when the live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!haveMysql)('MariaDB inet4, inet6 and uuid into MariaDB', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('keep their types, keys and values', async () => {
    // The test servers are MariaDB 10.10 or later, which has all three.
    expect(version).toMatch(/mariadb/i);
    const source = await createMysqlDatabase('xc_plugin_src');
    const target = await createMysqlDatabase('xc_plugin_dst');
    dbs.push(source, target);
    await runMysql(
      source.url,
      `CREATE TABLE net (id int PRIMARY KEY, a inet6, b inet4, u uuid DEFAULT uuid(), UNIQUE KEY (a), KEY (u));
       INSERT INTO net VALUES (1, '::1', '10.0.0.1', '00000000-0000-0000-0000-000000000001'),
         (2, '::ffff:1.2.3.4', '255.255.255.255', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'), (3, NULL, NULL, NULL);`,
    );
    const file = writePlanFile(`
migration m {
  mode     = full_load
  validate = checksums
}
source src mysql {
  url = env("SRC_URL")
}
target dst mysql {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.${target.name}.* {
}
`);
    const env = { SRC_URL: source.url, DST_URL: target.url };
    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).not.toMatch(/row\(s\) rejected/);
    expect(apply.stdout).toMatch(/checksums match/);
    const types = (url: string, db: string) => mysqlQuery(url, `SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t, COLUMN_KEY AS k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${db}' AND TABLE_NAME = 'net' ORDER BY ORDINAL_POSITION`);
    expect(await types(target.url, target.name)).toEqual(await types(source.url, source.name));
    const rows = (url: string) => mysqlQuery(url, 'SELECT id, CAST(a AS char) AS a, CAST(b AS char) AS b, CAST(u AS char) AS u FROM net ORDER BY id');
    expect(await rows(target.url)).toEqual(await rows(source.url));
    expect((await runCli(['plan', file], env)).stdout).toMatch(/No changes/);
  });
});
