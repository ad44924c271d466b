/**
 * The executor on live servers: resume after kill -9, bad rows isolated into the rejects table,
 * stale saved plans refused, secrets never shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runBin, runCli } from '../support/cli.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, postgresAvailable, runMysql, runPostgres, type TestDatabase } from '../support/servers.js';
import { postgresTableDigest } from '../support/compare.js';
import { nthChunkFinish, startApply, writePlanFile } from '../support/apply-process.js';

const havePostgres = await postgresAvailable();
const haveMysql = await mysqlAvailable();

async function queryOne<T>(url: string, sql: string): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows[0] as T;
  } finally {
    await c.end();
  }
}

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres)('resume after kill -9', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createPostgresDatabase('resume_src');
    target = await createPostgresDatabase('resume_dst');
    await runPostgres(
      source.url,
      `CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, amount numeric(12,2), at timestamptz, note text);
       INSERT INTO events SELECT g, 'k' || (g % 7), (g % 100000) / 100.0, timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second', repeat('x', g % 50)
       FROM generate_series(1, 400000) g;
       ANALYZE events;`,
    );
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('finishes the copy exactly once: no row lost, none doubled', async () => {
    const file = writePlanFile(`
migration resume_test {
  workers  = 1
  validate = checksums
}
source src postgres {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.public.* -> dst.public.* {
  table events {
    chunk rows = 20000
  }
}
`);
    const env = { SRC_URL: source.url, DST_URL: target.url };
    // Start apply, wait for the third committed chunk, then kill -9 in the middle of the copy.
    const run = startApply(file, env);
    await run.waitFor(nthChunkFinish(3));
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    const partial = await queryOne<{ n: string }>(target.url, 'SELECT count(*)::text AS n FROM public.events');
    expect(Number(partial.n)).toBeLessThan(400000);

    const again = await runBin(['apply', file, '--auto-approve'], env);
    expect(again.stdout).toMatch(/Resuming/);
    expect(again.stdout + again.stderr).toMatch(/Apply complete/);
    expect(again.code).toBe(0);
    expect(await postgresTableDigest(target.url, 'public.events')).toEqual(await postgresTableDigest(source.url, 'public.events'));

    const replan = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(replan.stdout).toContain('No changes.');
    expect(replan.code).toBe(0);
  });
});

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres || !haveMysql)('bad rows', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createMysqlDatabase('badrows_src');
    target = await createPostgresDatabase('badrows_dst');
    await runMysql(
      source.url,
      `CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100) NOT NULL, score INT NOT NULL);
       INSERT INTO notes (id, body, score) SELECT seq, CONCAT('note ', seq), seq FROM seq_1_to_5000;
       UPDATE notes SET body = CONCAT('bad', CHAR(0), 'byte') WHERE id IN (17, 4242);`,
    );
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('rejects only the rows that cannot be stored, with key, column, value and reason; the rest loads', async () => {
    const file = writePlanFile(`
migration bad_rows {
  validate = counts
}
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.public.* {
}
`);
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(r.stdout + r.stderr).toMatch(/2 row\(s\) rejected/);
    expect(r.code).toBe(0);
    const loaded = await queryOne<{ n: string }>(target.url, 'SELECT count(*)::text AS n FROM public.notes');
    expect(loaded.n).toBe('4998');
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    const rejects = (await c.query('SELECT row_key, column_name, value_text, reason FROM _dmsplan.rejects ORDER BY row_key')).rows;
    await c.end();
    expect(rejects).toHaveLength(2);
    expect(rejects.map((x: { row_key: string }) => x.row_key).sort()).toEqual(['17', '4242']);
    for (const x of rejects as { column_name: string; value_text: string; reason: string }[]) {
      expect(x.column_name).toBe('body');
      expect(x.value_text).toContain('bad');
      expect(x.reason.length).toBeGreaterThan(5);
    }
  });

  it('stops the run once more rows are rejected than max_rejects allows', async () => {
    const file = writePlanFile(`
migration strict_rejects {
  max_rejects = 1
}
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.limited.* {
}
`);
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/more than max_rejects = 1/);
  });

  it('a row the target itself refuses costs only that row (careful mode)', async () => {
    await runPostgres(target.url, `CREATE SCHEMA strict; CREATE TABLE strict.notes (id integer PRIMARY KEY, body varchar(100) NOT NULL, score integer NOT NULL CHECK (score <> 2500 AND score <> 4000))`);
    const file = writePlanFile(`
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.* -> dst.strict.* {
  table notes {
    where id <> 17 and id <> 4242
  }
}
`);
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(r.stdout + r.stderr).toMatch(/2 row\(s\) rejected/);
    expect(r.code).toBe(0);
    // The table's line counts the rows the chunks redone in careful mode wrote, as the summary does.
    expect(r.stdout).toMatch(/✓ strict\.notes: 4,996 rows, 2 rejected in/);
    const loaded = await queryOne<{ n: string }>(target.url, 'SELECT count(*)::text AS n FROM strict.notes');
    expect(loaded.n).toBe('4996');
    const rej = await queryOne<{ keys: string }>(target.url, `SELECT string_agg(row_key, ',' ORDER BY row_key::int) AS keys FROM _dmsplan.rejects WHERE target_table = 'strict.notes'`);
    expect(rej.keys).toBe('2500,4000');
  });

  // Thousands of refused rows in one chunk: each savepoint rolled back must also be released, or
  // the later ones nest inside it and PostgreSQL's lock table fills up (SQLSTATE 53200, "out of
  // shared memory"; 20,000 rows with 30% refused did it on a server with the default
  // max_locks_per_transaction of 64).
  it('isolates thousands of refused rows in one chunk without filling the lock table', async () => {
    await runMysql(source.url, `CREATE TABLE many (id INT PRIMARY KEY, score INT NOT NULL); INSERT INTO many SELECT seq, seq FROM seq_1_to_20000;`);
    await runPostgres(target.url, `CREATE SCHEMA choosy; CREATE TABLE choosy.many (id integer PRIMARY KEY, score integer NOT NULL CHECK (score % 10 >= 3))`);
    const file = writePlanFile(`
source src mysql {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.${source.name}.many -> dst.choosy.many {
}
`);
    const r = await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
    expect(r.stdout + r.stderr).toMatch(/6,?000 row\(s\) rejected/);
    expect(r.code).toBe(0);
    const loaded = await queryOne<{ n: string; bad: string }>(target.url, 'SELECT count(*)::text AS n, count(*) FILTER (WHERE score % 10 < 3)::text AS bad FROM choosy.many');
    expect(loaded).toEqual({ n: '14000', bad: '0' });
    const rej = await queryOne<{ n: string }>(target.url, `SELECT count(*)::text AS n FROM _dmsplan.rejects WHERE target_table = 'choosy.many' AND reason LIKE '%check%'`);
    expect(rej.n).toBe('6000');
  }, 120_000);
});

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!havePostgres)('saved plans and secrets', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    source = await createPostgresDatabase('saved_src');
    target = await createPostgresDatabase('saved_dst');
    await runPostgres(source.url, `CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 100) g;`);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  const withPassword = (url: string, password: string) => url.replace('postgres://postgres@', `postgres://postgres:${password}@`);
  const plan = `
source src postgres {
  url = env("SRC_URL")
}
target dst postgres {
  url = env("DST_URL")
}
map src.public.* -> dst.public.* {
}
`;

  it('refuses a stale saved plan and names what changed', async () => {
    const file = writePlanFile(plan);
    const out = path.join(path.dirname(file), 'plan.json');
    const env = { SRC_URL: source.url, DST_URL: target.url };
    const p = await runCli(['plan', file, '--out', out], env);
    expect(p.code).toBe(0);
    await runPostgres(source.url, 'ALTER TABLE items ADD COLUMN extra int');
    const a = await runCli(['apply', out], env);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain('DMS4003');
    expect(a.stderr).toContain('public.items changed');
    await runPostgres(source.url, 'ALTER TABLE items DROP COLUMN extra');
  });

  it('never prints or saves the password of a URL', async () => {
    const secret = 'Sup3r-S3cret-Pw';
    const file = writePlanFile(plan);
    const out = path.join(path.dirname(file), 'plan.json');
    // PostgreSQL here trusts local connections, so the password is accepted and never checked.
    const env = { SRC_URL: withPassword(source.url, secret), DST_URL: withPassword(target.url, secret) };
    const outputs: string[] = [];
    for (const args of [['plan', file, '--out', out], ['plan', file, '--json'], ['apply', out, '--json'], ['apply', file, '--auto-approve'], ['graph', out]]) {
      const r = await runCli(args, env);
      outputs.push(r.stdout, r.stderr);
    }
    outputs.push(readFileSync(out, 'utf8'));
    for (const text of outputs) expect(text).not.toContain(secret);
    expect(outputs.join('\n')).toContain('postgres:***@');
  });
});
