/**
 * "Nothing lost, ever", on live servers: every row the target refuses lands in the rejects table
 * with its key and reason, the run's counts say so, and a bad row never costs its batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, mysqlQuery, postgresAvailable, queryPostgres, runMysql, type TestDatabase } from '../support/servers.js';
import { writePlanFile } from '../support/apply-process.js';

const haveMysql = await mysqlAvailable();
const havePostgres = await postgresAvailable();

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

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!haveMysql || !havePostgres)('max_rejects', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createMysqlDatabase('rej_max_src');
    target = await createPostgresDatabase('rej_max_dst');
    // Two tables of 8 chunks, a NUL byte (which PostgreSQL text cannot hold) in every chunk.
    await runMysql(
      source.url,
      `CREATE TABLE a (id INT PRIMARY KEY, body VARCHAR(50) NOT NULL); INSERT INTO a SELECT seq, CONCAT('x', seq) FROM seq_1_to_40000; UPDATE a SET body = CONCAT('bad', CHAR(0)) WHERE id % 5000 = 7;
       CREATE TABLE b (id INT PRIMARY KEY, body VARCHAR(50) NOT NULL); INSERT INTO b SELECT seq, CONCAT('x', seq) FROM seq_1_to_40000; UPDATE b SET body = CONCAT('bad', CHAR(0)) WHERE id % 5000 = 9;`,
    );
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  const plan = (max: number) =>
    writePlanFile(`
migration capped {
  max_rejects = ${max}
}
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.public.* {
  table a {
    chunk rows = 5000
  }
  table b {
    chunk rows = 5000
  }
}
`);
  const rejectsKept = async () => Number((await queryPostgres(target.url, 'SELECT count(*)::int AS n FROM _dmsplan.rejects'))[0]!.n);
  const loaded = async () => Number((await queryPostgres(target.url, 'SELECT (SELECT count(*) FROM public.a) + (SELECT count(*) FROM public.b) AS n'))[0]!.n);

  // The stop message counted the rows when the limit passed, the summary what chunks being written
  // at that moment committed too ("4 rows rejected" then "5 row(s) rejected"); and a run started
  // again loaded on until as many more were rejected, so running apply repeatedly got past the limit.
  it('says the same count in the stop, the summary and the rejects table, and a rerun does not load on past it', async () => {
    const env = { SRC_URL: source.url, DST_URL: target.url };
    const first = await runCli(['apply', plan(3), '--auto-approve'], env);
    const out = first.stdout + first.stderr;
    expect(first.code).toBe(1);
    expect(out).toMatch(/rows rejected so far, more than max_rejects = 3: stopping the run/);
    const total = Number(/ (\d+) row\(s\) rejected: see/.exec(out)?.[1]);
    expect(total).toBeGreaterThan(3);
    expect(out).toContain(`Stopped because ${total} rows were rejected, more than max_rejects = 3.`);
    expect(await rejectsKept()).toBe(total);

    const rows = await loaded();
    const again = await runCli(['apply', plan(3), '--auto-approve'], env);
    expect(again.code).toBe(1);
    expect(again.stdout + again.stderr).toContain(`earlier runs of this plan rejected ${total} rows, more than max_rejects = 3`);
    expect(again.stdout + again.stderr).toContain(`${total} row(s) rejected: see`);
    expect(await rejectsKept()).toBe(total);
    expect(await loaded()).toBe(rows);

    const raised = await runCli(['apply', plan(100), '--auto-approve'], env);
    expect(raised.stdout + raised.stderr).toContain('Apply complete');
    expect(raised.stdout + raised.stderr).toContain('16 row(s) rejected: see');
    expect(raised.code).toBe(0);
    expect(await rejectsKept()).toBe(16);
    expect(await loaded()).toBe(80_000 - 16);
  }, 120_000);
});
