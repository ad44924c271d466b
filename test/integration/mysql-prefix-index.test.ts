/**
 * A MySQL prefix index (KEY (body(10)) on TEXT or BLOB) indexes the first characters or bytes only.
 * PostgreSQL's B-tree takes at most 2704 bytes an entry: an index over the whole values failed to
 * build on the first long one, after the load. Where a whole value may not fit, the PostgreSQL index
 * is over the prefix (substr), as the source's; a bounded short column keeps a whole-value index.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable, queryPostgres, runMysql, type TestDatabase } from '../support/servers.js';

const havePostgres = await postgresAvailable();
const haveMysql = await mysqlAvailable();

// Skipped only when a live server is unreachable outside CI; under CI=true the probes fail the run instead.
describe.skipIf(!havePostgres || !haveMysql)('MySQL prefix indexes into PostgreSQL', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('index the prefix of long text and blobs, so that long values do not fail CREATE INDEX', async () => {
    const source = await createMysqlDatabase('xc_prefix_my');
    const target = await createPostgresDatabase('xc_prefix_pg');
    dbs.push(source, target);
    // 6,400 hex digits and 3,200 random-looking bytes: more than a B-tree entry, even compressed.
    await runMysql(
      source.url,
      `CREATE TABLE doc (id int PRIMARY KEY, body text, data blob, name varchar(200), KEY (body(10)), UNIQUE KEY (data(8)), KEY (name(10)));
       INSERT INTO doc SELECT 1, group_concat(md5(seq) SEPARATOR ''), unhex(group_concat(md5(seq) SEPARATOR '')), 'short' FROM seq_1_to_200;
       INSERT INTO doc VALUES (2, 'x', x'00', NULL);`,
    );
    const file = writePlanFile(`
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.app.* {
}
`);
    const env = { SRC_URL: source.url, DST_URL: target.url };
    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    const indexes = await queryPostgres(target.url, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'app' AND indexname <> 'doc_pkey' ORDER BY indexname");
    expect(indexes.map((r) => (r.indexdef as string).replace(/^.* USING /, ''))).toEqual(['btree (substr(body, 1, 10))', 'btree (substr(data, 1, 8))', 'btree (name)']);
    expect(indexes[1]!.indexdef).toMatch(/^CREATE UNIQUE INDEX/);
    expect(await queryPostgres(target.url, 'SELECT id, length(body) AS body, length(data) AS data FROM app.doc ORDER BY id')).toEqual([
      { id: 1, body: 6400, data: 3200 },
      { id: 2, body: 1, data: 1 },
    ]);
    const again = await runCli(['plan', file], env);
    expect(again.stdout).toMatch(/No changes/);
  });
});
