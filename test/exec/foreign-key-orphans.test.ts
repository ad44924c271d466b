/**
 * Child rows whose parent is not in the target — the parent rejected on its way in, or missing in
 * the source — move to the rejects table when their foreign key is added, source by source, and
 * the key is then added: nothing lost, no failed step, counts and checksums still add up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { negateDigest, combineDigests } from '../../src/exec/checksum.js';
import { orphanCondition } from '../../src/exec/foreign-key-orphans.js';
import { postgresDialect } from '../../src/engines/postgres/postgres-ddl.js';
import { runCli } from '../support/cli.js';
import { writePlanFile } from '../support/apply-process.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable, runMysql, type TestDatabase } from '../support/servers.js';

const havePostgres = await postgresAvailable();
const haveMysql = await mysqlAvailable();

describe('orphan condition and checksum adjustments', () => {
  it('selects rows whose foreign key columns are all set and match no parent row', () => {
    const sql = orphanCondition(postgresDialect, { schema: 's', name: 'child' }, { schema: 's', name: 'parent' }, {
      name: 'fk',
      columns: ['a', 'b'],
      referencedSchema: 's',
      referencedTable: 'parent',
      referencedColumns: ['x', 'y'],
      onDelete: 'no_action',
      onUpdate: 'no_action',
    });
    expect(sql).toBe(
      '"s"."child"."a" IS NOT NULL AND "s"."child"."b" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM (SELECT "x", "y" FROM "s"."parent") dmsplan_parent WHERE dmsplan_parent."x" = "s"."child"."a" AND dmsplan_parent."y" = "s"."child"."b")',
    );
  });

  it('a negated digest cancels the digest it negates', () => {
    for (const d of ['0000000000000000', '00000001ffffffff', '8000000012345678', 'ffffffffffffffff']) {
      expect(combineDigests([d, negateDigest(d)])).toBe('0000000000000000');
      expect(combineDigests(['0123456789abcdef', d, negateDigest(d)])).toBe('0123456789abcdef');
    }
  });
});

/** A MariaDB source whose parents lose rows on the way (a NUL byte PostgreSQL cannot store) or never had them. */
const SOURCE_SQL = `
  CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);
  INSERT INTO customers SELECT seq, CONCAT('customer ', seq) FROM seq_1_to_1000;
  UPDATE customers SET name = CONCAT('bad', CHAR(0), 'name') WHERE id IN (5, 7);
  CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NULL, note VARCHAR(40), CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id));
  INSERT INTO orders SELECT seq, CASE WHEN seq % 97 = 0 THEN NULL ELSE seq % 1000 + 1 END, CONCAT('order ', seq) FROM seq_1_to_5000;
  SET SESSION foreign_key_checks = 0;
  INSERT INTO orders VALUES (9001, 99999, 'orphan in the source');
  SET SESSION foreign_key_checks = 1;
  CREATE TABLE order_lines (id INT PRIMARY KEY, order_id INT NOT NULL, qty INT NOT NULL, CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id));
  INSERT INTO order_lines SELECT seq, (seq - 1) % 5000 + 1, seq % 9 FROM seq_1_to_12000;
  CREATE TABLE employees (id INT PRIMARY KEY, boss_id INT NULL, name VARCHAR(50) NOT NULL, CONSTRAINT employees_boss_fk FOREIGN KEY (boss_id) REFERENCES employees (id));
  INSERT INTO employees VALUES (1, NULL, 'top'), (2, 1, 'second'), (3, 2, 'third'), (4, 3, 'fourth'), (5, NULL, 'other'), (6, 5, 'kept');
  UPDATE employees SET name = CONCAT('bad', CHAR(0)) WHERE id = 1;`;

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres || !haveMysql)('foreign keys over rows whose parent is missing', () => {
  let source: TestDatabase;
  const targets: TestDatabase[] = [];
  /** Per table: the source keys the target must not hold (their parent chain was rejected, or missing). */
  let expectedGone: Record<string, number[]>;

  beforeAll(async () => {
    source = await createMysqlDatabase('fkorph_src');
    await runMysql(source.url, SOURCE_SQL);
    const c = await mysql.createConnection(source.url);
    try {
      const ids = async (sql: string) => ((await c.query(sql))[0] as { id: number }[]).map((r) => Number(r.id)).sort((a, b) => a - b);
      const orders = await ids('SELECT id FROM orders WHERE customer_id IN (5, 7, 99999)');
      const lines = await ids(`SELECT id FROM order_lines WHERE order_id IN (${orders.join(', ')})`);
      expectedGone = { customers: [5, 7], orders, order_lines: lines, employees: [1, 2, 3, 4] };
    } finally {
      await c.end();
    }
  });
  afterAll(async () => {
    await source?.drop();
    for (const t of targets) await t.drop();
  });

  const plan = (targetEngine: string, schema: string) => `
migration fk_orphans {
  validate = checksums
}
source src mysql {
  url = env("SRC_URL")
}
target dst ${targetEngine} {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.${schema}.* {
}
`;

  it('into PostgreSQL: the orphans become rejects with their reason, every foreign key is added, validation holds', async () => {
    const target = await createPostgresDatabase('fkorph_pg');
    targets.push(target);
    const file = writePlanFile(plan('postgres', 'public'));
    const env = { SRC_URL: source.url, DST_URL: target.url };
    const r = await runCli(['apply', file, '--auto-approve'], env);
    const total = Object.values(expectedGone).reduce((n, k) => n + k.length, 0);
    expect(r.stdout + r.stderr, r.stdout + r.stderr).toMatch(new RegExp(`${total} row\\(s\\) rejected`));
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    try {
      const fks = (await c.query(`SELECT conname FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace ORDER BY conname`)).rows.map((x: { conname: string }) => x.conname);
      expect(fks).toEqual(['employees_boss_fk', 'lines_order_fk', 'orders_customer_fk']);
      for (const [table, gone] of Object.entries(expectedGone)) {
        const rejected = (await c.query(`SELECT row_key FROM _dmsplan.rejects WHERE target_table = $1`, [`public.${table}`])).rows.map((x: { row_key: string }) => Number(x.row_key)).sort((a, b) => a - b);
        expect(rejected, table).toEqual(gone);
        const present = (await c.query(`SELECT count(*)::int AS n FROM public.${table} WHERE id = ANY($1::int[])`, [gone])).rows[0].n;
        expect(present, table).toBe(0);
      }
      const orphan = (await c.query(`SELECT column_name, value_text, reason FROM _dmsplan.rejects WHERE target_table = 'public.orders' AND row_key = '9001'`)).rows[0];
      expect(orphan).toMatchObject({ column_name: 'customer_id', value_text: '99999' });
      expect(orphan.reason).toMatch(/^foreign key orders_customer_fk: customer_id = 99999 has no row in public\.customers \(id\): \S+\.customers has no such row in the source \(an orphan there\)$/);
      const ofRejected = (await c.query(`SELECT reason FROM _dmsplan.rejects WHERE target_table = 'public.orders' AND row_key = '4'`)).rows[0];
      expect(ofRejected.reason).toMatch(/customer_id = 5 has no row in public\.customers \(id\): that row was rejected/);
      const cascade = (await c.query(`SELECT reason FROM _dmsplan.rejects WHERE target_table = 'public.employees' AND row_key = '4'`)).rows[0];
      expect(cascade.reason).toMatch(/boss_id = 3 has no row in public\.employees \(id\): that row was rejected/);
      const validations = (await c.query(`SELECT table_id, ok, detail FROM _dmsplan.validations ORDER BY checked_at`)).rows as { table_id: string; ok: string; detail: string }[];
      expect(validations.length).toBeGreaterThanOrEqual(4);
      // The last validation of each table is the one that stands (in the order they were made: a table
      // without ORDER BY gives its rows in no order, and the run moved orphans between the two).
      const last = new Map(validations.map((v) => [v.table_id, v]));
      for (const v of last.values()) expect(v.ok, v.detail).toBe('true');
      expect([...last.values()].find((v) => v.table_id.includes('order_lines'))!.detail).toMatch(new RegExp(`12000 source rows = ${12000 - expectedGone.order_lines!.length} loaded \\+ ${expectedGone.order_lines!.length} rejected; checksums match`));
    } finally {
      await c.end();
    }
    const replan = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(replan.code, replan.stdout + replan.stderr).toBe(0);

    // A run stopped after the copies, before the foreign key: the next one has no copy to run, and
    // still files the rows it moves under the copy of the rows they were.
    const c2 = new pg.Client({ connectionString: target.url });
    await c2.connect();
    try {
      await c2.query(`ALTER TABLE public.orders DROP CONSTRAINT orders_customer_fk`);
      await c2.query(`DELETE FROM _dmsplan.steps WHERE step_id LIKE 'add_foreign_key:%orders_customer_fk'`);
      await c2.query(`INSERT INTO public.orders VALUES (777777, 424242, 'no customer')`);
      const resumed = await runCli(['apply', file, '--auto-approve'], env);
      expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
      expect(resumed.stdout + resumed.stderr).toMatch(/public\.orders: 1 row\(s\) moved to/);
      expect((await c2.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'orders_customer_fk'`)).rows[0].n).toBe(1);
      const moved = (await c2.query(`SELECT r.reason, c.rows_written::int AS w FROM _dmsplan.rejects r JOIN _dmsplan.chunks c USING (step_fingerprint) WHERE r.row_key = '777777' AND c.chunk_no < 0 AND c.rows_rejected = 1`)).rows;
      expect(moved).toEqual([{ reason: expect.stringMatching(/customer_id = 424242 has no row in public\.customers/), w: -1 }]);
    } finally {
      await c2.end();
    }
  });

  it('max_rejects holds for the rows a foreign key would move: none move, the key is not added, the run fails and says why', async () => {
    const target = await createPostgresDatabase('fkorph_max');
    targets.push(target);
    // The copies reject 3 rows (two customers, one employee): within the limit; the moves would pass it.
    const file = writePlanFile(plan('postgres', 'public').replace('validate = checksums', 'validate = checksums\n  max_rejects = 3'));
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/point at no row of public\.\w+; moving them to the rejects table would pass max_rejects \(0 more allowed in this run\), so they stay and the key is not added/);
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    try {
      expect((await c.query(`SELECT count(*)::int AS n FROM public.orders`)).rows[0].n).toBe(5001);
      expect((await c.query(`SELECT count(*)::int AS n FROM _dmsplan.rejects`)).rows[0].n).toBe(3);
      expect((await c.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND conname IN ('orders_customer_fk', 'employees_boss_fk')`)).rows[0].n).toBe(0);
    } finally {
      await c.end();
    }
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)('a parent filtered by where: thousands of children move in batches, each saying the filter left its parent out (into %s)', async (engine) => {
    const mysqlTarget = engine === 'mysql' ? await createMysqlDatabase('fkorph_where') : undefined;
    const pgTarget = engine === 'postgres' ? await createPostgresDatabase('fkorph_where') : undefined;
    for (const t of [mysqlTarget, pgTarget]) if (t) targets.push(t);
    const sqliteFile = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-fkorph-')), 'dst.sqlite');
    const schema = mysqlTarget ? mysqlTarget.name : engine === 'sqlite' ? 'main' : 'public';
    const file = writePlanFile(
      plan(engine, schema).replace(`map src.${source.name}.* -> dst.${schema}.* {\n}`, `map src.${source.name}.* -> dst.${schema}.* {\n  table customers {\n    where id <= 100\n  }\n}`),
    );
    const url = mysqlTarget?.url ?? pgTarget?.url ?? `sqlite:${sqliteFile}`;
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const c = await mysql.createConnection(source.url);
    const [[{ n }]] = (await c.query(`SELECT COUNT(*) AS n FROM orders WHERE customer_id > 100 OR customer_id IN (5, 7)`)) as unknown as [[{ n: number }]];
    await c.end();
    const sql = `SELECT count(*) AS n, min(reason) AS reason FROM ${engine === 'sqlite' ? '_dmsplan_rejects' : '_dmsplan.rejects'} WHERE target_table = '${engine === 'sqlite' ? 'orders' : `${schema}.orders`}'`;
    let row: { n: number | string; reason: string };
    if (engine === 'sqlite') {
      const db = new Database(sqliteFile, { readonly: true });
      row = db.prepare(sql).get() as typeof row;
      db.close();
    } else if (mysqlTarget) {
      const t = await mysql.createConnection(mysqlTarget.url);
      row = ((await t.query(sql))[0] as (typeof row)[])[0]!;
      await t.end();
    } else {
      const t = new pg.Client({ connectionString: pgTarget!.url });
      await t.connect();
      row = (await t.query(sql)).rows[0];
      await t.end();
    }
    // Customers 5 and 7 are rejected for their NUL byte into PostgreSQL only; elsewhere they load.
    const expected = engine === 'postgres' ? Number(n) : Number(n) - (expectedGone.orders!.length - 1);
    expect(Number(row.n)).toBe(expected);
    expect(Number(row.n)).toBeGreaterThan(1000);
    expect(row.reason).toMatch(/the plan's where on \S+\.customers leaves that row out, or the source has no such row|that row was rejected/);
  });

  /** The rejected keys of each swept table, and the target's foreign key names, read from a MariaDB or SQLite target. */
  type Inspect = () => Promise<{ fks: string[]; rejected: (table: string) => Promise<number[]> }>;

  it.each(['mysql', 'sqlite'] as const)('into %s: the same rows move, and the self-referencing key is swept through its chain', async (engine) => {
    const mysqlTarget = engine === 'mysql' ? await createMysqlDatabase('fkorph_my') : undefined;
    if (mysqlTarget) targets.push(mysqlTarget);
    const sqliteFile = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-fkorph-')), 'dst.sqlite');
    const file = writePlanFile(plan(engine, mysqlTarget ? mysqlTarget.name : 'main'));
    const env = { SRC_URL: source.url, DST_URL: mysqlTarget ? mysqlTarget.url : `sqlite:${sqliteFile}` };
    const inspect: Inspect = async () => {
      if (!mysqlTarget) {
        const db = new Database(sqliteFile, { readonly: true });
        const fks = ['customers', 'employees', 'order_lines', 'orders'].flatMap((t) => (db.pragma(`foreign_key_list(${t})`) as { table: string }[]).map((f) => `${t}->${f.table}`));
        const violations = db.pragma('foreign_key_check') as unknown[];
        expect(violations).toEqual([]);
        const rejected = async (table: string) => (db.prepare(`SELECT row_key FROM _dmsplan_rejects WHERE target_table = ?`).all(table) as { row_key: string }[]).map((x) => Number(x.row_key)).sort((a, b) => a - b);
        return { fks, rejected };
      }
      const c = await mysql.createConnection(mysqlTarget.url);
      const [rows] = await c.query(`SELECT CONCAT(TABLE_NAME, '->', REFERENCED_TABLE_NAME) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1`, [mysqlTarget.name]);
      const rejected = async (table: string) => {
        const [r] = await c.query(`SELECT row_key FROM _dmsplan.rejects WHERE target_table = ?`, [`${mysqlTarget.name}.${table}`]);
        return (r as { row_key: string }[]).map((x) => Number(x.row_key)).sort((a, b) => a - b);
      };
      return { fks: (rows as { n: string }[]).map((x) => x.n), rejected };
    };
    // MariaDB and SQLite store the NUL byte: here the parents are missing in the source instead.
    await runMysql(source.url, `SET SESSION foreign_key_checks = 0; DELETE FROM customers WHERE id IN (5, 7); DELETE FROM employees WHERE id = 1; SET SESSION foreign_key_checks = 1;`);
    try {
      const r = await runCli(['apply', file, '--auto-approve'], env);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const { fks, rejected } = await inspect();
      expect(fks.sort()).toEqual(['employees->employees', 'order_lines->orders', 'orders->customers']);
      for (const table of ['orders', 'order_lines', 'employees']) expect(await rejected(table), table).toEqual(table === 'employees' ? [2, 3, 4] : expectedGone[table]);
    } finally {
      await runMysql(source.url, `SET SESSION foreign_key_checks = 0; INSERT INTO customers VALUES (5, 'customer 5'), (7, 'customer 7'); INSERT INTO employees VALUES (1, NULL, 'top'); SET SESSION foreign_key_checks = 1;`);
    }
  });
});

// Skipped only when PostgreSQL is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres)('several foreign keys of one table refused for the same row', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-fk-shared-'));
  const file = path.join(dir, 'source.sqlite');
  const targets: TestDatabase[] = [];
  beforeAll(() => {
    const db = new Database(file);
    db.pragma('foreign_keys = OFF'); // the source holds an orphan, as one that never enforced them does
    db.exec(`
      CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT UNIQUE, a INT, b INT, UNIQUE (a, b));
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INT REFERENCES parent (id), code TEXT REFERENCES parent (code), a INT, b INT, FOREIGN KEY (a, b) REFERENCES parent (a, b));
      INSERT INTO parent VALUES (1, 'x', 1, 1);
      INSERT INTO child VALUES (1, 1, 'x', 1, 1), (2, 9, 'zz', 9, 9), (3, NULL, NULL, NULL, NULL);`);
    db.close();
  });
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  // Each key's ADD is refused for row 2 at once; the first sweep moves it, and the others then find
  // nothing to move. They failed ("is not present in table parent") though the key now holds. The
  // order of the builds varies between runs, so the plan is applied several times.
  it('moves the row once and adds every key, whichever sweep comes first', async () => {
    for (let i = 0; i < 4; i++) {
      const target = await createPostgresDatabase('fkshared');
      targets.push(target);
      const plan = writePlanFile(`migration fk_shared {\n  workers = 4\n  validate = checksums\n}\nsource src sqlite {\n  url = env("SRC_URL")\n}\ntarget dst postgres {\n  url = env("DST_URL")\n}\nmap src.main.* -> dst.public.* {\n}\n`);
      const r = await runCli(['apply', plan, '--auto-approve'], { SRC_URL: `sqlite:${file}`, DST_URL: target.url });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/1 row\(s\) rejected/);
      const c = new pg.Client({ connectionString: target.url });
      await c.connect();
      try {
        const fks = (await c.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.child'::regclass`)).rows[0].n;
        expect(fks).toBe(3);
        expect((await c.query(`SELECT id FROM public.child ORDER BY id`)).rows).toEqual([{ id: '1' }, { id: '3' }]);
      } finally {
        await c.end();
      }
    }
  });
});
