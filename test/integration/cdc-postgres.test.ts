/**
 * Change data capture from PostgreSQL (mode = full_load_and_cdc), on a private cluster with
 * wal_level = logical: a writer keeps inserting, updating (also keys and TOASTed values) and
 * deleting on the source during the full load and after it; the follower is killed with SIGKILL
 * during the load and twice while following, and started again; at the end (--until-caught-up)
 * both targets — PostgreSQL and MariaDB — equal the source value by value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runBin, runCli } from '../support/cli.js';
import { PG_BIN, startPrivatePostgres, tryStart, type PrivateServer } from '../support/private-servers.js';
import { applyThenKill, firstDifferences, sleep } from '../support/cdc-harness.js';
import { createMysqlDatabase, mysqlAvailable, type TestDatabase } from '../support/servers.js';

const inCI = process.env.CI === 'true';
// A private cluster: the shared server runs wal_level = replica and must not be restarted.
const server = await tryStart(startPrivatePostgres, path.join(PG_BIN, 'initdb'));
if (typeof server === 'string') {
  if (inCI) throw new Error(`private PostgreSQL for the CDC tests: ${server}`);
  console.warn(`[skip] private PostgreSQL for the CDC tests: ${server}`);
}
const pgServer = typeof server === 'string' ? undefined : server;
// Also when the suites below are skipped or filtered out (their own afterAll does not run then).
afterAll(async () => {
  await pgServer?.stop();
});
const haveMysql = await mysqlAvailable();

function dbUrl(s: PrivateServer, db: string): string {
  return s.url.replace(/\/postgres$/, `/${db}`);
}

async function sql(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}


/** Random transactions of inserts, updates (values, keys, TOASTed text) and deletes, until stopped. */
class Writer {
  private running = true;
  transactions = 0;
  private nextId: number;
  private readonly done: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    firstFreeId: number,
  ) {
    this.nextId = firstFreeId;
  }

  start(connections: number): void {
    for (let i = 0; i < connections; i++) this.done.push(this.loop());
  }

  private async loop(): Promise<void> {
    const c = new pg.Client({ connectionString: this.url });
    await c.connect();
    try {
      while (this.running) {
        try {
          await c.query('BEGIN');
          const ops = 1 + Math.floor(Math.random() * 4);
          for (let i = 0; i < ops; i++) await this.op(c);
          await c.query('COMMIT');
          this.transactions++;
        } catch {
          await c.query('ROLLBACK').catch(() => undefined);
        }
        await sleep(2 + Math.random() * 6);
      }
    } finally {
      await c.end();
    }
  }

  private async op(c: pg.Client): Promise<void> {
    const any = () => 1 + Math.floor(Math.random() * this.nextId);
    const r = Math.random();
    if (r < 0.35) {
      const id = this.nextId++;
      await c.query(`INSERT INTO items (id, name, price, at, big, flag, data) VALUES ($1, $2, $3, now(), $4, $5, $6)`, [id, `n${id} ünïcødé`, (id % 10000) / 7, r < 0.05 ? 'B'.repeat(6000) : null, id % 2 === 0, Buffer.from([id % 256, 0, 255])]);
    } else if (r < 0.65) await c.query(`UPDATE items SET price = price + 1.25, at = clock_timestamp(), name = name || '+' WHERE id = $1`, [any()]);
    else if (r < 0.8) await c.query(`DELETE FROM items WHERE id = $1`, [any()]);
    else if (r < 0.88) await c.query(`UPDATE items SET id = $1 WHERE id = $2`, [this.nextId++, any()]);
    else if (r < 0.94) await c.query(`UPDATE items SET big = repeat(md5(random()::text), 200) WHERE id = $1`, [any()]);
    else await c.query(`UPDATE items SET flag = NOT coalesce(flag, false), data = NULL WHERE id = $1`, [any()]);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.done);
  }
}

/** Each row as normalised text, computed by the database itself (independent of dmsplan). */
const PG_ROWS = `SELECT id::text, name, price::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at, md5(big) AS big, flag::int::text AS flag, encode(data, 'hex') AS data FROM items ORDER BY id`;
const MYSQL_ROWS = `SELECT CAST(id AS CHAR) AS id, name, CAST(price AS CHAR) AS price, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS at, md5(big) AS big, CAST(flag AS CHAR) AS flag, lower(hex(data)) AS data FROM items ORDER BY id`;

async function pgItems(url: string): Promise<string[]> {
  return (await sql(url, PG_ROWS)).rows.map((r: Record<string, unknown>) => JSON.stringify(Object.values(r)));
}

async function mysqlItems(url: string): Promise<string[]> {
  const c = await mysql.createConnection({ uri: url, dateStrings: true, timezone: 'Z' });
  try {
    const [rows] = await c.query(MYSQL_ROWS);
    return (rows as Record<string, unknown>[]).map((r) => JSON.stringify(Object.values(r)));
  } finally {
    await c.end();
  }
}

// Skipped only when a private PostgreSQL server (wal_level = logical) cannot be started outside CI; under CI=true that fails the run instead.
describe.skipIf(!pgServer)('change data capture from PostgreSQL', () => {
  let mysqlTarget: TestDatabase | undefined;
  const srcUrl = () => dbUrl(pgServer!, 'cdc_src');
  const dstUrl = () => dbUrl(pgServer!, 'cdc_dst');

  beforeAll(async () => {
    await sql(pgServer!.url, 'CREATE DATABASE cdc_src');
    await sql(pgServer!.url, 'CREATE DATABASE cdc_dst');
    await sql(
      srcUrl(),
      `CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, price numeric(14,2), at timestamptz, big text, flag boolean, data bytea);
       ALTER TABLE items ALTER COLUMN big SET STORAGE EXTERNAL;
       INSERT INTO items SELECT g, 'item ' || g, g / 3.0, timestamptz '2020-01-01 00:00:00.123456+00' + g * interval '1.000001 second',
         CASE WHEN g % 50 = 0 THEN repeat('x', 5000) END, g % 3 = 0, decode(lpad(to_hex(g % 65536), 4, '0'), 'hex')
       FROM generate_series(1, 60000) g;
       CREATE TABLE tags (tag varchar(20) PRIMARY KEY, uses int NOT NULL);
       INSERT INTO tags SELECT 't' || g, g FROM generate_series(1, 100) g;
       ANALYZE;`,
    );
    if (haveMysql) mysqlTarget = await createMysqlDatabase('cdc_pg_dst');
  }, 60000);

  afterAll(async () => {
    await mysqlTarget?.drop();
    await pgServer?.stop();
  });

  it('plan refuses a table the source cannot capture updates of, with the exact fix', async () => {
    await sql(srcUrl(), 'CREATE TABLE nokey (a int, b text)');
    const file = planFile('nokey', `map src.public.nokey -> dst.public.nokey { }`, false);
    const planned = await runCli(['plan', file], { SRC_URL: srcUrl(), DST_URL: dstUrl() });
    expect(planned.stdout + planned.stderr).toContain('ALTER TABLE "public"."nokey" REPLICA IDENTITY FULL;');
    expect(planned.code).toBe(1);
    await sql(srcUrl(), 'DROP TABLE nokey');
  });

  function planFile(name: string, maps: string, withMysql: boolean): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), `${name}.dmsplan`);
    writeFileSync(
      file,
      `migration ${name} {
  mode    = full_load_and_cdc
  workers = 2
}
source src postgres { url = env("SRC_URL") }
target dst postgres { url = env("DST_URL") }
${withMysql ? 'target my mysql { url = env("MY_URL") }' : ''}
${maps}
`,
    );
    return file;
  }

  it('loads and follows while a writer runs; killed -9 during the load and while following; ends equal, value by value', async () => {
    const withMysql = mysqlTarget !== undefined;
    const maps = `map src.public.* -> dst.public.* {
  table items { chunk rows = 6000 }
}
${withMysql ? `map src.public.* -> my.${mysqlTarget!.name}.* { }` : ''}`;
    const file = planFile('follow', maps, withMysql);
    const env: Record<string, string> = { SRC_URL: srcUrl(), DST_URL: dstUrl(), ...(withMysql ? { MY_URL: mysqlTarget!.url } : {}) };

    const writer = new Writer(srcUrl(), 60001);
    writer.start(2);
    try {
      // 1. Killed during the full load, after two chunks.
      let chunks = 0;
      const first = await applyThenKill(file, env, (e) => e.type === 'chunk_finish' && ++chunks >= 2);
      expect(first.killed, JSON.stringify(first.events.slice(-4))).toBe(true);
      expect(first.events.some((e) => e.type === 'cdc_start')).toBe(false);

      // 2. Restarted: finishes the load, follows, killed after applying some changes.
      const second = await applyThenKill(file, env, (e) => e.type === 'cdc_progress' && Number((e as { transactions?: number }).transactions) >= 20);
      expect(second.killed, JSON.stringify(second.events.filter((e) => e.type !== "table_progress").slice(-6))).toBe(true);

      // 3. Restarted while following: killed a moment after it applied more.
      const third = await applyThenKill(file, env, (e) => e.type === 'cdc_progress' && Number((e as { transactions?: number }).transactions) >= 10);
      expect(third.killed, JSON.stringify(third.events.slice(-6))).toBe(true);
      expect(third.events.find((e) => e.type === 'cdc_start')).toMatchObject({ resumed: true });
    } finally {
      await writer.stop();
    }
    expect(writer.transactions).toBeGreaterThan(100);

    // Ctrl-C while following: stops cleanly, exit 130, resumable (the last run below goes on from there).
    const interrupted = await applyThenKill(file, env, (e) => e.type === 'cdc_start', 30000, 'SIGINT');
    expect(interrupted.code).toBe(130);
    expect(interrupted.events.at(-1)).toMatchObject({ type: 'summary', status: 'interrupted' });

    // 4. The writer has stopped: catch up and end.
    if (process.env.DEBUG_CDC) console.log(new Date().toISOString(), 'final run');
    const last = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], { ...env, TZ: 'UTC' });
    expect(last.stdout + last.stderr).toMatch(/Changes followed until caught up/);
    expect(last.code).toBe(0);

    const source = await pgItems(srcUrl());
    expect(source.length).toBeGreaterThan(50000);
    const target = await pgItems(dstUrl());
    expect(target.length).toBe(source.length);
    expect(firstDifferences(target, source)).toEqual([]);
    expect((await sql(dstUrl(), 'SELECT count(*)::int AS n FROM tags')).rows[0]).toEqual({ n: 100 });
    if (withMysql) {
      const mine = await mysqlItems(mysqlTarget!.url);
      expect(mine.length).toBe(source.length);
      expect(firstDifferences(mine, source)).toEqual([]);
    }

    // A column added on the source while following stops the follower with what to do; nothing applied past it.
    let followingStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (followingStarted = resolve));
    const following = applyThenKill(file, env, (e) => {
      if (e.type === 'cdc_start') followingStarted();
      return false;
    }, 45000).catch((err: Error) => ({ killed: false, events: [{ type: String(err) }], code: null }));
    await Promise.race([started, following]);
    await sleep(500);
    await sql(srcUrl(), 'ALTER TABLE items ADD COLUMN extra int');
    await sql(srcUrl(), `INSERT INTO items (id, name, extra) VALUES (999999, 'after the column', 7)`);
    const stopped = await following;
    const message = JSON.stringify(stopped.events.filter((e) => e.type === 'summary'));
    expect(message).toContain('were added to source table public.items');
    expect(message).toContain('Add the column(s) to the target table and to the plan');
    expect((await sql(dstUrl(), 'SELECT count(*)::int AS n FROM items WHERE id = 999999')).rows[0]).toEqual({ n: 0 });

    // Teardown drops the slot and the publication.
    const down = await runCli(['teardown', file], env);
    expect(down.stdout).toMatch(/replication slot/);
    expect(down.code).toBe(0);
    expect((await sql(srcUrl(), 'SELECT count(*)::int AS n FROM pg_replication_slots')).rows[0]).toEqual({ n: 0 });
    expect((await sql(srcUrl(), 'SELECT count(*)::int AS n FROM pg_publication')).rows[0]).toEqual({ n: 0 });
  }, 120000);

  it('a table added to the plan later is loaded and then followed too', async () => {
    await sql(srcUrl(), `CREATE TABLE first_t (id int PRIMARY KEY, v text); INSERT INTO first_t SELECT g, 'v' || g FROM generate_series(1, 100) g;
                         CREATE TABLE second_t (id int PRIMARY KEY, v text); INSERT INTO second_t SELECT g, 'w' || g FROM generate_series(1, 100) g`);
    const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-'));
    const file = path.join(dir, 'grow.dmsplan');
    const head = `migration grow { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\n`;
    writeFileSync(file, `${head}map src.public.first_t -> dst.public.first_t { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    expect((await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env)).code).toBe(0);
    writeFileSync(file, `${head}map src.public.first_t -> dst.public.first_t { }\nmap src.public.second_t -> dst.public.second_t { }\n`);
    await sql(srcUrl(), `UPDATE first_t SET v = 'changed' WHERE id <= 5; UPDATE second_t SET v = 'changed' WHERE id <= 5`);
    const grown = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(grown.stdout + grown.stderr).toMatch(/Changes followed until caught up/);
    expect(grown.code).toBe(0);
    await sql(srcUrl(), `DELETE FROM second_t WHERE id > 90; INSERT INTO second_t VALUES (500, 'later'); DELETE FROM first_t WHERE id = 1`);
    expect((await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env)).code).toBe(0);
    for (const t of ['first_t', 'second_t']) {
      const rows = async (url: string) => (await sql(url, `SELECT id, v FROM ${t} ORDER BY id`)).rows;
      expect(await rows(dstUrl())).toEqual(await rows(srcUrl()));
    }
    expect((await sql(dstUrl(), 'SELECT count(*)::int AS n FROM second_t')).rows[0]).toEqual({ n: 91 });
    await runCli(['teardown', file], env);
  }, 60000);

  it('mode = cdc follows an already loaded table from now on: no copy, changes only', async () => {
    await sql(srcUrl(), `CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT g, 'before ' || g FROM generate_series(1, 50) g`);
    await sql(dstUrl(), `CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes SELECT g, 'before ' || g FROM generate_series(1, 50) g`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'only.dmsplan');
    writeFileSync(file, `migration only_changes { mode = cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.notes -> dst.public.notes { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const started = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(started.stdout + started.stderr).toMatch(/Changes followed until caught up/);
    expect(started.code).toBe(0);
    await sql(srcUrl(), `UPDATE notes SET body = 'after' WHERE id <= 10; DELETE FROM notes WHERE id > 40; INSERT INTO notes VALUES (100, 'new')`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up', '--json'], env);
    expect(followed.code).toBe(0);
    expect(followed.stdout).not.toContain('"kind":"copy"');
    const rows = async (url: string) => (await sql(url, 'SELECT id, body FROM notes ORDER BY id')).rows;
    expect(await rows(dstUrl())).toEqual(await rows(srcUrl()));
    expect((await rows(dstUrl())).length).toBe(41);
    await runCli(['teardown', file], env);
  }, 60000);

  it('sets a change the target refuses aside with the column and value the target blamed', async () => {
    await sql(srcUrl(), `CREATE TABLE guarded (id int PRIMARY KEY, score int, name text)`);
    await sql(dstUrl(), `CREATE TABLE guarded (id int PRIMARY KEY, score int CONSTRAINT positive CHECK (score > 0), name text NOT NULL)`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'guarded.dmsplan');
    writeFileSync(file, `migration guarded { mode = cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres {\n  url = env("DST_URL")\n  prepare = do_nothing\n}\nmap src.public.guarded -> dst.public.guarded { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const started = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(started.code, started.stdout + started.stderr).toBe(0);
    await sql(srcUrl(), `INSERT INTO guarded VALUES (1, 5, 'a'), (2, -3, 'b'), (3, 4, NULL); INSERT INTO guarded VALUES (4, 6, 'd')`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up', '--json'], env);
    expect(followed.code, followed.stdout + followed.stderr).toBe(0);
    expect((await sql(dstUrl(), 'SELECT id FROM guarded ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 4 }]);
    const rejects = (await sql(dstUrl(), "SELECT row_key, column_name, value_text, reason FROM _dmsplan.rejects WHERE target_table = 'public.guarded' ORDER BY row_key")).rows;
    expect(rejects).toEqual([
      { row_key: '2', column_name: 'score', value_text: '-3', reason: expect.stringMatching(/^refused by the target: .*positive/) },
      { row_key: '3', column_name: 'name', value_text: null, reason: expect.stringMatching(/^refused by the target: .*not-null/) },
    ]);
    const events = followed.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; key?: string; column?: string; value?: string });
    expect(events.filter((e) => e.type === 'reject').map((e) => [e.key, e.column, e.value])).toEqual([
      ['2', 'score', '-3'],
      ['3', 'name', undefined],
    ]);
    await runCli(['teardown', file], env);
  }, 60000);

  it('follows a partitioned table through its parent, and each table of an inheritance family as its own rows', async () => {
    await sql(
      srcUrl(),
      `CREATE TABLE events (id int, region text, v int, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
       CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
       CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
       INSERT INTO events SELECT g, CASE WHEN g % 2 = 0 THEN 'eu' ELSE 'us' END, g FROM generate_series(1, 20) g;
       CREATE TABLE cities (id int PRIMARY KEY, name text);
       CREATE TABLE capitals (state text) INHERITS (cities);
       ALTER TABLE capitals ADD PRIMARY KEY (id);
       INSERT INTO cities VALUES (1, 'a'); INSERT INTO capitals VALUES (2, 'b', 'X');`,
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'parts.dmsplan');
    writeFileSync(file, `migration parts { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.events -> dst.public.events { }\nmap src.public.cities -> dst.public.cities { }\nmap src.public.capitals -> dst.public.capitals { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const loaded = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(loaded.stdout + loaded.stderr).toMatch(/caught up/);
    expect(loaded.code).toBe(0);
    await sql(
      srcUrl(),
      `INSERT INTO events VALUES (100, 'eu', 1), (101, 'us', 1); UPDATE events SET v = -v WHERE id <= 4; DELETE FROM events WHERE id IN (5, 6);
       UPDATE events SET region = 'us' WHERE id = 8;
       INSERT INTO cities VALUES (3, 'c'); INSERT INTO capitals VALUES (4, 'd', 'Y'); UPDATE cities SET name = name || '!';`,
    );
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(followed.code).toBe(0);
    const same = async (query: string) => expect((await sql(dstUrl(), query)).rows).toEqual((await sql(srcUrl(), query)).rows);
    await same('SELECT id, region, v FROM events ORDER BY id, region');
    await same('SELECT id, name FROM ONLY cities ORDER BY id');
    await same('SELECT id, name, state FROM capitals ORDER BY id');
    // The target keeps the partitions it was made with. A partition the source gains later is named
    // by the plan (DMS4006); the change routed to it is refused by the target and set aside in the
    // rejects table with the server's reason, and following goes on.
    await sql(srcUrl(), `CREATE TABLE events_ca PARTITION OF events FOR VALUES IN ('ca'); INSERT INTO events VALUES (200, 'ca', 7), (201, 'eu', 7)`);
    const gained = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(gained.stderr).toMatch(/warning\[DMS4006\]: target table public\.events lacks partition\(s\) events_ca/);
    expect(gained.code, gained.stdout + gained.stderr).toBe(0);
    expect((await sql(dstUrl(), 'SELECT id, region FROM events WHERE id >= 200 ORDER BY id')).rows).toEqual([{ id: 201, region: 'eu' }]);
    const rejects = (await sql(dstUrl(), "SELECT row_key, reason FROM _dmsplan.rejects WHERE target_table = 'public.events'")).rows as { row_key: string; reason: string }[];
    expect(rejects.map((r) => r.row_key)).toEqual([expect.stringMatching(/200/)]);
    expect(rejects[0]!.reason).toMatch(/no partition of relation "events" found for row/);
    await runCli(['teardown', file], env);
  }, 60000);

  it('follows a table with a generated column and an identity GENERATED ALWAYS', async () => {
    await sql(srcUrl(), `CREATE TABLE gen (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x int, doubled int GENERATED ALWAYS AS (x * 2) STORED); INSERT INTO gen (x) VALUES (1), (2)`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'gen.dmsplan');
    writeFileSync(file, `migration gen { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.gen -> dst.public.gen { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const loaded = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(loaded.stdout + loaded.stderr).toMatch(/caught up/);
    await sql(srcUrl(), `INSERT INTO gen (x) VALUES (30); UPDATE gen SET x = 10 WHERE id = 1; DELETE FROM gen WHERE id = 2`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(followed.stdout + followed.stderr).toMatch(/caught up/);
    expect(followed.code).toBe(0);
    const query = 'SELECT id, x, doubled FROM gen ORDER BY id';
    expect((await sql(dstUrl(), query)).rows).toEqual((await sql(srcUrl(), query)).rows);
    await runCli(['teardown', file], env);
  }, 60000);

  it('leaves identities and sequences past the rows it followed, so the target can take inserts at cutover', async () => {
    await sql(srcUrl(), `CREATE SEQUENCE shared_no START 500; CREATE TABLE ids (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n bigint DEFAULT nextval('shared_no'), v text); INSERT INTO ids (v) VALUES ('a'), ('b')`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'ids.dmsplan');
    writeFileSync(file, `migration ids { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.ids -> dst.public.ids { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const loaded = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(loaded.code, loaded.stdout + loaded.stderr).toBe(0);
    await sql(srcUrl(), `INSERT INTO ids (v) SELECT 'x' || g FROM generate_series(1, 20) g`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(followed.stdout + followed.stderr).toMatch(/caught up/);
    // At cutover the target takes new rows: neither the identity nor the sequence hands out a number the source already used.
    const [row] = (await sql(dstUrl(), `INSERT INTO ids (v) VALUES ('on the target') RETURNING id, n`)).rows as { id: string; n: string }[];
    expect(Number(row!.id)).toBeGreaterThan(22);
    expect(Number(row!.n)).toBeGreaterThan(521);
    await runCli(['teardown', file], env);
  }, 60000);

  it('applies the plan\'s row filter to changes: rows entering it are written, rows leaving it deleted', async () => {
    await sql(srcUrl(), `CREATE TABLE stock (id int PRIMARY KEY, qty int, hidden text); INSERT INTO stock SELECT g, g, 'x' FROM generate_series(1, 100) g`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'filtered.dmsplan');
    writeFileSync(
      file,
      `migration filtered { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.stock -> dst.public.stock {\n  table stock {\n    where qty > 50 and hidden is not null\n    drop hidden\n  }\n}\n`,
    );
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const loaded = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(loaded.stdout + loaded.stderr).toMatch(/caught up/);
    expect(loaded.code).toBe(0);
    // 60 leaves the filter, 10 enters it, 70 leaves by its dropped column, 200 is new and in, 5 is new and out.
    await sql(srcUrl(), `UPDATE stock SET qty = 1 WHERE id = 60; UPDATE stock SET qty = 99 WHERE id = 10; UPDATE stock SET hidden = NULL WHERE id = 70; INSERT INTO stock VALUES (200, 500, 'y'), (5000, 5, 'z')`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(followed.code).toBe(0);
    const expected = (await sql(srcUrl(), 'SELECT id, qty FROM stock WHERE qty > 50 AND hidden IS NOT NULL ORDER BY id')).rows;
    expect((await sql(dstUrl(), 'SELECT id, qty FROM stock ORDER BY id')).rows).toEqual(expected);
    expect(expected.map((r: { id: number }) => r.id)).toEqual(expect.arrayContaining([10, 200]));
    expect(expected.map((r: { id: number }) => r.id)).not.toContain(60);
    await runCli(['teardown', file], env);
  }, 60000);

  it('a unique value moving between rows within a batch reaches both targets; a row the target refuses goes to the rejects and the follower goes on', async () => {
    await sql(srcUrl(), `CREATE TABLE accounts (id int PRIMARY KEY, email varchar(40) UNIQUE, v int); INSERT INTO accounts VALUES (2, 'e', 2), (5, 'a', 5), (6, 'b', 6)`);
    const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-'));
    const pgFile = path.join(dir, 'accounts.dmsplan');
    writeFileSync(pgFile, `migration accounts { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.accounts -> dst.public.accounts { }\n`);
    const myFile = path.join(dir, 'accounts_my.dmsplan');
    writeFileSync(myFile, `migration accounts_my { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst mysql { url = env("MY_URL") }\nmap src.public.accounts -> dst.${mysqlTarget?.name ?? 'none'}.accounts { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), MY_URL: mysqlTarget?.url ?? '', TZ: 'UTC' };
    const files = mysqlTarget ? [pgFile, myFile] : [pgFile];
    for (const file of files) expect((await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env)).code).toBe(0);
    // A rule only the target has: the row breaking it is refused there, and only there.
    await sql(dstUrl(), `ALTER TABLE accounts ADD CONSTRAINT small_v CHECK (v < 100)`);
    // Collapsed to their last images, these reach the target in another order than the source wrote
    // them: row 1 takes 'e' while row 2 still holds it there, and rows 5 and 6 swap their values.
    await sql(srcUrl(), `BEGIN; UPDATE accounts SET email = 'f' WHERE id = 2; INSERT INTO accounts VALUES (1, 'e', 1); UPDATE accounts SET v = v + 10 WHERE id = 2; COMMIT`);
    await sql(srcUrl(), `BEGIN; UPDATE accounts SET email = 'tmp' WHERE id = 5; UPDATE accounts SET email = 'a' WHERE id = 6; UPDATE accounts SET email = 'b' WHERE id = 5; COMMIT`);
    await sql(srcUrl(), `INSERT INTO accounts VALUES (7, 'c', 500); UPDATE accounts SET v = 7 WHERE id = 6`);
    for (const file of files) expect((await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env)).code).toBe(0);
    const all = ['1:e:1', '2:f:12', '5:b:5', '6:a:7', '7:c:500'];
    const pgRows = (await sql(dstUrl(), 'SELECT id, email, v FROM accounts ORDER BY id')).rows.map((r: { id: number; email: string; v: number }) => `${r.id}:${r.email}:${r.v}`);
    expect(pgRows).toEqual(all.filter((r) => !r.startsWith('7:')));
    const refused = (await sql(dstUrl(), `SELECT row_key, reason FROM _dmsplan.rejects WHERE target_table = 'public.accounts'`)).rows as { row_key: string; reason: string }[];
    expect(refused.map((r) => r.row_key)).toEqual(['7']);
    expect(refused[0]!.reason).toContain('small_v');
    if (mysqlTarget) {
      const c = await mysql.createConnection({ uri: mysqlTarget.url });
      const [rows] = await c.query('SELECT id, email, v FROM accounts ORDER BY id');
      await c.end();
      expect((rows as { id: number; email: string; v: number }[]).map((r) => `${r.id}:${r.email}:${r.v}`)).toEqual(all);
    }
    for (const file of files) await runCli(['teardown', file], env);
  }, 60000);

  it('carries TRUNCATE … CASCADE of a referenced table: the tables it empties are emptied together on the target', async () => {
    await sql(srcUrl(), `CREATE TABLE par (id int PRIMARY KEY, v text); CREATE TABLE chi (id int PRIMARY KEY, par_id int REFERENCES par (id), w text);
      INSERT INTO par VALUES (1, 'a'), (2, 'b'); INSERT INTO chi VALUES (10, 1, 'x'), (11, 2, 'y')`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'cascade.dmsplan');
    writeFileSync(file, `migration cascade { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.par -> dst.public.par { }\nmap src.public.chi -> dst.public.chi { }\n`);
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    expect((await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env)).code).toBe(0);
    // One by one, the target refused TRUNCATE par (chi's foreign key refers to it), on every restart.
    await sql(srcUrl(), `BEGIN; TRUNCATE par CASCADE; INSERT INTO par VALUES (3, 'c'); INSERT INTO chi VALUES (12, 3, 'z'); COMMIT`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(followed.stdout + followed.stderr).toContain('Changes followed until caught up');
    expect((await sql(dstUrl(), `SELECT (SELECT string_agg(id || v, ',' ORDER BY id) FROM par) AS par, (SELECT string_agg(id || ':' || par_id, ',' ORDER BY id) FROM chi) AS chi`)).rows).toEqual([{ par: '3c', chi: '12:3' }]);
    await runCli(['teardown', file], env);
  }, 60000);

  it('an update whose new values are rejected takes the row off the target, as the full load leaves a rejected row out', async () => {
    await sql(srcUrl(), `CREATE TABLE narrow (id int PRIMARY KEY, n bigint); INSERT INTO narrow SELECT g, g FROM generate_series(1, 10) g`);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-cdc-')), 'narrow.dmsplan');
    writeFileSync(
      file,
      `migration narrowed { mode = full_load_and_cdc }\nsource src postgres { url = env("SRC_URL") }\ntarget dst postgres { url = env("DST_URL") }\nmap src.public.narrow -> dst.public.narrow {\n  table narrow {\n    column n integer using cast lossy\n  }\n}\n`,
    );
    const env = { SRC_URL: srcUrl(), DST_URL: dstUrl(), TZ: 'UTC' };
    const loaded = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(loaded.code).toBe(0);
    // PostgreSQL sends no old key when the key stays: the target row must go all the same.
    await sql(srcUrl(), `UPDATE narrow SET n = 5000000000 WHERE id = 2; UPDATE narrow SET n = 30 WHERE id = 3`);
    const followed = await runBin(['apply', file, '--auto-approve', '--until-caught-up'], env);
    expect(followed.code).toBe(0);
    expect((await sql(dstUrl(), 'SELECT id, n FROM narrow ORDER BY id')).rows.map((r: { id: number; n: number }) => `${r.id}:${r.n}`)).toEqual(['1:1', '3:30', ...[4, 5, 6, 7, 8, 9, 10].map((i) => `${i}:${i}`)]);
    const rejected = (await sql(dstUrl(), `SELECT row_key, column_name, value_text FROM _dmsplan.rejects WHERE target_table = 'public.narrow'`)).rows;
    expect(rejected).toEqual([{ row_key: '2', column_name: 'n', value_text: '5000000000' }]);
    await runCli(['teardown', file], env);
  }, 60000);
});
