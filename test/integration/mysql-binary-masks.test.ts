/**
 * `mask C = hash` on a MySQL VARBINARY column into PostgreSQL bytea: the hash was hex text, which the
 * binary COPY refused (every chunk redone row by row) and then stored as the bytes of its digits, and
 * the checksum validation failed. The masked value is now the digest's bytes — padded with zero
 * bytes into a MySQL BINARY(n), as the server stores it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, mysqlQuery, postgresAvailable, queryPostgres, runMysql, type TestDatabase } from '../support/servers.js';

const havePostgres = await postgresAvailable();
const haveMysql = await mysqlAvailable();

// Skipped only when a live server is unreachable outside CI; under CI=true the probes fail the run instead.
describe.skipIf(!havePostgres || !haveMysql)('masks on MySQL binary columns into PostgreSQL and MySQL', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('hash to the digest bytes and redact to bytes x, through the COPY and the checksum validation', async () => {
    const source = await createMysqlDatabase('xc_binmask_my');
    const target = await createPostgresDatabase('xc_binmask_pg');
    dbs.push(source, target);
    await runMysql(source.url, `CREATE TABLE secrets (id int PRIMARY KEY, token varbinary(64), salt binary(4), note blob); INSERT INTO secrets VALUES (1, x'00ff80', x'01020304', 'abc'), (2, '', x'00', NULL), (3, NULL, NULL, x'ff');`);
    const file = writePlanFile(`
migration m {
  mode     = full_load
  validate = checksums
}
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.app.* {
  table secrets {
    mask token = hash
    mask salt = hash
    mask note = redact
  }
}
`);
    const apply = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout + apply.stderr).not.toMatch(/refused by the target|row\(s\) rejected/);
    expect(apply.stdout).toMatch(/validate app\.secrets \(checksums\).*checksums match/);
    const want = (await mysqlQuery(source.url, "SELECT id, lower(sha2(token, 256)) AS token, lower(sha2(salt, 256)) AS salt, repeat('78', length(note)) AS note FROM secrets ORDER BY id")) as Record<string, unknown>[];
    const got = await queryPostgres(target.url, "SELECT id, encode(token, 'hex') AS token, encode(salt, 'hex') AS salt, encode(note, 'hex') AS note FROM app.secrets ORDER BY id");
    expect(got).toEqual(want.map((r) => ({ ...r })));
  });

  it('into MySQL BINARY(n): padded with zero bytes as the server stores them, so the checksums agree', async () => {
    const source = await createMysqlDatabase('xc_binmask_src');
    const target = await createMysqlDatabase('xc_binmask_dst');
    dbs.push(source, target);
    await runMysql(source.url, `CREATE TABLE secrets (id int PRIMARY KEY, salt binary(4), wide binary(40)); INSERT INTO secrets VALUES (1, x'01020304', 'k'), (2, NULL, NULL);`);
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
  table secrets {
    mask salt = 'ab'
    mask wide = hash
  }
}
`);
    const apply = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(apply.code, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toMatch(/checksums match/);
    const want = await mysqlQuery(source.url, "SELECT id, IF(salt IS NULL, NULL, '61620000') AS salt, IF(wide IS NULL, NULL, concat(lower(sha2(wide, 256)), repeat('00', 8))) AS wide FROM secrets ORDER BY id");
    expect(await mysqlQuery(target.url, 'SELECT id, lower(hex(salt)) AS salt, lower(hex(wide)) AS wide FROM secrets ORDER BY id')).toEqual(want);
  });
});
