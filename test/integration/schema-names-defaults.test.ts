/**
 * Schema details that differ between MySQL and PostgreSQL and used to fail an apply half way or
 * lose a definition: names that are per table on one side and per schema on the other (MySQL index
 * and unique key names, PostgreSQL foreign key names), literal defaults of a type that changes
 * (a boolean's `true` in a MySQL tinyint(1), a tinyint(1)'s 0 in a boolean), ON UPDATE
 * CURRENT_TIMESTAMP, spatial columns with their SPATIAL index and spatial reference between
 * MySQL servers, column collations and character sets (kept between MySQL servers; exact for text
 * from PostgreSQL, where 'a' and 'a ' are two values), MySQL partitions and INVISIBLE columns, and
 * a target schema dropped by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable, queryPostgres, runMysql, runPostgres, type TestDatabase } from '../support/servers.js';
import { mysqlText } from './fidelity/support.js';

const ready = (await postgresAvailable()) && (await mysqlAvailable());

function plan(source: string, target: string, from: string, to: string): string {
  return writePlanFile(`
migration names_defaults {
  validate = checksums
}
source src ${source} {
  url = env("SRC_URL")
}
target dst ${target} {
  url = env("DST_URL")
}
map src.${from}.* -> dst.${to}.* {
}
`);
}

// Skipped only when a live server is unreachable outside CI; under CI=true the probes fail the run instead.
describe.skipIf(!ready)('names, defaults and spatial columns between MySQL and PostgreSQL', () => {
  let mysqlSource: TestDatabase;
  let pgSource: TestDatabase;
  const targets: TestDatabase[] = [];

  beforeAll(async () => {
    [mysqlSource, pgSource] = await Promise.all([createMysqlDatabase('nd_my_src'), createPostgresDatabase('nd_pg_src')]);
    await runMysql(
      mysqlSource.url,
      `CREATE TABLE users (id int PRIMARY KEY, email varchar(60), active boolean NOT NULL DEFAULT TRUE, flag tinyint(1) NOT NULL DEFAULT 0,
         touched timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, UNIQUE KEY email (email), KEY idx_active (active));
       CREATE TABLE admins (id int PRIMARY KEY, email varchar(60), UNIQUE KEY email (email), KEY idx_active (id));
       CREATE TABLE places (id int PRIMARY KEY, at geometry NOT NULL, area polygon NULL, SPATIAL KEY idx_at (at));
       CREATE TABLE gen (id int PRIMARY KEY, x int, v int AS (x * 2) VIRTUAL, s varchar(20) AS (CONCAT('s', x)) STORED, KEY (s));
       INSERT INTO gen (id, x) VALUES (1, 1);
       CREATE TABLE words (id int PRIMARY KEY, email varchar(60) COLLATE utf8mb4_general_ci, l varchar(10) CHARACTER SET latin1, UNIQUE KEY email_ci (email));
       INSERT INTO words VALUES (1, 'X@y.org', 'é'), (2, 'z@y.org', 'ÿ€');
       CREATE TABLE parts (id int NOT NULL, d date NOT NULL, PRIMARY KEY (id, d)) PARTITION BY RANGE (year(d)) (PARTITION p2020 VALUES LESS THAN (2021), PARTITION pmax VALUES LESS THAN MAXVALUE);
       INSERT INTO parts VALUES (1, '2020-05-01'), (2, '2030-01-01');
       CREATE TABLE hidden (id int PRIMARY KEY, secret varchar(10) INVISIBLE, v int);
       INSERT INTO hidden (id, secret, v) VALUES (1, 's', 5);
       INSERT INTO users (id, email, active, flag) VALUES (1, 'a@x.org', 1, 1), (2, 'b@x.org', 0, 0);
       INSERT INTO admins VALUES (1, 'a@x.org');
       INSERT INTO places VALUES (1, ST_GeomFromText('POINT(-112.8185647 49.6999986)'), ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')),
                                 (2, ST_GeomFromText('POINT(1 2)', 4326), NULL);`,
    );
    await runPostgres(
      pgSource.url,
      `CREATE TABLE parent (id int PRIMARY KEY);
       CREATE TABLE a (id int PRIMARY KEY, parent_id int, enabled boolean NOT NULL DEFAULT true, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent);
       CREATE TABLE b (id int PRIMARY KEY, parent_id int, CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent);
       INSERT INTO parent VALUES (1); INSERT INTO a VALUES (1, 1, false); INSERT INTO b VALUES (1, 1);
       CREATE TABLE spaced (id int PRIMARY KEY, k varchar(20) UNIQUE);
       INSERT INTO spaced VALUES (1, 'a'), (2, 'a '), (3, 'A');`,
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([mysqlSource?.drop(), pgSource?.drop(), ...targets.map((t) => t.drop())]);
  });

  it('MySQL → PostgreSQL: per-table key names get their table\'s name, the boolean defaults arrive, ON UPDATE CURRENT_TIMESTAMP is called out', async () => {
    const target = await createPostgresDatabase('nd_pg_dst');
    targets.push(target);
    const env = { SRC_URL: mysqlSource.url, DST_URL: target.url };
    const file = plan('mysql', 'postgres', mysqlSource.name, 'public');
    const run = await runCli(['apply', file, '--auto-approve'], env);
    expect(run.stdout + run.stderr).toMatch(/Apply complete/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning\[DMS3439\]: \S+\.users: touched is set to the current time by every UPDATE/);
    // Partitions and INVISIBLE are MySQL's: called out, the table plain and the column ordinary here.
    expect(run.stderr).toMatch(/warning\[DMS3436\]: \S+\.parts is partitioned on the source/);
    expect(run.stderr).toMatch(/warning\[DMS3448\]: \S+\.hidden: secret is INVISIBLE on mysql/);
    expect(await queryPostgres(target.url, 'SELECT id, secret, v FROM hidden')).toEqual([{ id: 1, secret: 's', v: 5 }]);
    // The plan says how each table's rows travel: here MySQL's wire bytes, straight into COPY binary.
    expect(run.stdout).toMatch(/table public\.users[^]*?copy: mysql wire bytes moved into COPY binary/);
    const indexes = await queryPostgres(target.url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
    expect(indexes.map((r) => r.indexname)).toEqual(['admins_email', 'admins_idx_active', 'admins_pkey', 'gen_pkey', 'gen_s', 'hidden_pkey', 'parts_pkey', 'places_pkey', 'users_email', 'users_idx_active', 'users_pkey', 'words_email_ci', 'words_pkey']);
    const defaults = await queryPostgres(target.url, "SELECT column_name, column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name IN ('active', 'flag') ORDER BY column_name");
    expect(defaults).toEqual([
      { column_name: 'active', column_default: 'true' },
      { column_name: 'flag', column_default: 'false' },
    ]);
    // Spatial values as their text; a spatial reference other than 0 in front (extended WKT).
    expect(await queryPostgres(target.url, 'SELECT at, area FROM places ORDER BY id')).toEqual([
      { at: 'POINT(-112.8185647 49.6999986)', area: 'POLYGON((0 0,1 0,1 1,0 0))' },
      { at: 'SRID=4326;POINT(1 2)', area: null },
    ]);
  });

  it('MySQL → MySQL: spatial columns, their SPATIAL index and spatial references are kept, and a second plan has nothing to do', async () => {
    const target = await createMysqlDatabase('nd_my_dst');
    targets.push(target);
    const env = { SRC_URL: mysqlSource.url, DST_URL: target.url };
    const file = plan('mysql', 'mysql', mysqlSource.name, target.name);
    const run = await runCli(['apply', file, '--auto-approve'], env);
    expect(run.stdout + run.stderr).toMatch(/Apply complete/);
    expect(run.stderr).not.toMatch(/DMS3439/);
    expect(run.stdout).toMatch(/copy: decoded rows → LOAD DATA LOCAL INFILE/);
    const rows = await mysqlText(target.url, 'SELECT id, ST_AsText(at) AS at, ST_SRID(at) AS srid, ST_AsText(area) AS area FROM places ORDER BY id');
    expect(rows).toEqual([
      { id: '1', at: 'POINT(-112.8185647 49.6999986)', srid: '0', area: 'POLYGON((0 0,1 0,1 1,0 0))' },
      { id: '2', at: 'POINT(1 2)', srid: '4326', area: null },
    ]);
    const columns = await mysqlText(target.url, `SELECT COLUMN_NAME AS c, DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'places' ORDER BY ORDINAL_POSITION`);
    expect(columns).toEqual([{ c: 'id', t: 'int' }, { c: 'at', t: 'geometry' }, { c: 'area', t: 'polygon' }]);
    const spatial = await mysqlText(target.url, `SELECT INDEX_NAME AS i, INDEX_TYPE AS t FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'places' AND INDEX_NAME <> 'PRIMARY'`);
    expect(spatial).toEqual([{ i: 'idx_at', t: 'SPATIAL' }]);
    // Generated columns stay generated between MySQL servers: the target computes them.
    const generated = await mysqlText(target.url, `SELECT COLUMN_NAME AS c, EXTRA AS e FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'gen' AND EXTRA LIKE '%GENERATED%' ORDER BY c`);
    expect(generated).toEqual([{ c: 's', e: 'STORED GENERATED' }, { c: 'v', e: 'VIRTUAL GENERATED' }]);
    await runMysql(target.url, 'INSERT INTO gen (id, x) VALUES (2, 5)');
    expect(await mysqlText(target.url, 'SELECT id, v, s FROM gen ORDER BY id')).toEqual([{ id: '1', v: '2', s: 's1' }, { id: '2', v: '10', s: 's5' }]);
    const onUpdate = await mysqlText(target.url, `SELECT EXTRA AS e FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'users' AND COLUMN_NAME = 'touched'`);
    expect(onUpdate[0]!.e).toMatch(/on update current_timestamp/i);
    // Collations and character sets are the source's: a case-insensitive unique key stays so, and a
    // latin1 column holds the same bytes (the load file is UTF-8; the server converts).
    expect(await mysqlText(target.url, 'SELECT id, HEX(l) AS l FROM words ORDER BY id')).toEqual([{ id: '1', l: 'E9' }, { id: '2', l: 'FF80' }]);
    const collations = await mysqlText(target.url, `SELECT COLUMN_NAME AS c, COLLATION_NAME AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'words' AND COLLATION_NAME IS NOT NULL ORDER BY c`);
    expect(collations).toEqual([{ c: 'email', n: 'utf8mb4_general_ci' }, { c: 'l', n: 'latin1_swedish_ci' }]);
    await expect(runMysql(target.url, "INSERT INTO words VALUES (3, 'x@Y.org', NULL)")).rejects.toThrow(/Duplicate entry/);
    // Partitions and INVISIBLE columns are kept between MySQL servers.
    expect(run.stderr).not.toMatch(/DMS3436|DMS3448/);
    const partitions = await mysqlText(target.url, `SELECT PARTITION_NAME AS p, TABLE_ROWS AS n FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'parts' ORDER BY PARTITION_ORDINAL_POSITION`);
    expect(partitions.map((r) => r.p)).toEqual(['p2020', 'pmax']);
    expect(await mysqlText(target.url, 'SELECT * FROM hidden')).toEqual([{ id: '1', v: '5' }]);
    expect(await mysqlText(target.url, 'SELECT secret FROM hidden')).toEqual([{ secret: 's' }]);
    const replan = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(replan.stdout).toContain('No changes.');
  });

  it('PostgreSQL → MySQL: foreign key names that are per table get their table\'s name (MySQL names them per database), a boolean default becomes 1/0', async () => {
    const target = await createMysqlDatabase('nd_my_dst');
    targets.push(target);
    const env = { SRC_URL: pgSource.url, DST_URL: target.url };
    const file = plan('postgres', 'mysql', 'public', target.name);
    const run = await runCli(['apply', file, '--auto-approve'], env);
    expect(run.stdout + run.stderr).toMatch(/Apply complete/);
    const fks = await mysqlText(target.url, `SELECT CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '${target.name}' ORDER BY n`);
    expect(fks.map((r) => r.n)).toEqual(['a_fk_parent', 'b_fk_parent']);
    const enabled = await mysqlText(target.url, `SELECT COLUMN_DEFAULT AS d FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'a' AND COLUMN_NAME = 'enabled'`);
    expect(enabled).toEqual([{ d: '1' }]);
    // Values PostgreSQL keeps apart stay apart under the unique key: MySQL's utf8mb4_bin ignores trailing spaces.
    expect(await mysqlText(target.url, "SELECT CONCAT('[', k, ']') AS k FROM spaced ORDER BY id")).toEqual([{ k: '[a]' }, { k: '[a ]' }, { k: '[A]' }]);
    const collation = await mysqlText(target.url, `SELECT COLLATION_NAME AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${target.name}' AND TABLE_NAME = 'spaced' AND COLUMN_NAME = 'k'`);
    expect(collation).toEqual([{ n: 'utf8mb4_nopad_bin' }]);
  });

  it('a target schema dropped by hand after an apply is made again by the next one (its record is not trusted)', async () => {
    const target = await createPostgresDatabase('nd_pg_dst');
    targets.push(target);
    const env = { SRC_URL: pgSource.url, DST_URL: target.url };
    const file = plan('postgres', 'postgres', 'public', 'copied');
    const first = await runCli(['apply', file, '--auto-approve'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/copy: binary COPY stream, passed through unchanged/);
    await runPostgres(target.url, 'DROP SCHEMA copied CASCADE');
    const again = await runCli(['apply', file, '--auto-approve'], env);
    expect(again.stdout + again.stderr).toMatch(/Apply complete/);
    expect(await queryPostgres(target.url, 'SELECT count(*)::int AS n FROM copied.spaced')).toEqual([{ n: 3 }]);
  });
});
