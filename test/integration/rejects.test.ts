/**
 * "Nothing lost, ever", on live servers: every row the target refuses lands in the rejects table
 * with its key and reason, the run's counts say so, and a bad row never costs its batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createMysqlDatabase, mysqlAvailable, mysqlQuery, runMysql, type TestDatabase } from '../support/servers.js';
import { writePlanFile } from '../support/apply-process.js';

const haveMysql = await mysqlAvailable();

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!haveMysql)('careful mode into a MySQL/MariaDB target', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createMysqlDatabase('rej_my_src');
    target = await createMysqlDatabase('rej_my_dst');
    await runMysql(source.url, `CREATE TABLE many (id INT PRIMARY KEY, score INT NOT NULL); INSERT INTO many SELECT seq, seq FROM seq_1_to_3000;`);
    await runMysql(target.url, `CREATE TABLE many (id INT PRIMARY KEY, score INT NOT NULL, CONSTRAINT score_digit CHECK (score % 10 >= 3))`);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  // InnoDB undoes only the statement that fails: a refused batch's rows go again in small INSERTs,
  // then one by one, without a savepoint per try (bisecting under savepoints loaded 20,000 rows with
  // 30% refused at ~640 rows/s, 145 rows/s on a busy machine; now ~4× faster there).
  it('sets every refused row aside with the CHECK it broke, loads the rest, and says how it redoes the chunk', async () => {
    const file = writePlanFile(`
source src mysql {
  url = env("SRC_URL")
}
target dst mysql {
  url = env("DST_URL")
  prepare = do_nothing
}
map src.${source.name}.many -> dst.${target.name}.many {
}
`);
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(r.stdout + r.stderr).toMatch(/900 row\(s\) rejected/);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/redoing it in careful mode \(batches of 256 rows/);
    expect(r.stdout + r.stderr).not.toMatch(/row by row/);
    const loaded = (await mysqlQuery(target.url, 'SELECT COUNT(*) AS n, SUM(score % 10 < 3) AS bad FROM many')) as { n: number; bad: string }[];
    expect(loaded[0]).toMatchObject({ n: 2100, bad: '0' });
    const rejects = (await mysqlQuery(
      target.url,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT row_key) AS keys_, SUM(reason LIKE '%score_digit%') AS named FROM _dmsplan.rejects WHERE target_table = '${target.name}.many'`,
    )) as { n: number; keys_: number; named: string }[];
    expect(rejects[0]).toMatchObject({ n: 900, keys_: 900, named: '900' });
  }, 120_000);
});
