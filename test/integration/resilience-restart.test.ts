/**
 * A target PostgreSQL restarted in the middle of a copy: the run survives it (the chunk in flight
 * is rolled back by the server and retried after the restart) and the target ends equal to the
 * source. The target is a private cluster — the shared server on :5432 serves other suites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { EngineError } from '../../src/engines/contract.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { runBin } from '../support/cli.js';
import { nthChunkFinish, startApply, writePlanFile } from '../support/apply-process.js';
import { createPrivateDatabase, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { createPostgresDatabase, postgresAvailable, runPostgres, uniqueName, type TestDatabase } from '../support/servers.js';

// Probed at module load so describe.skipIf sees the answer (under CI=true a failure throws).
const havePostgres = await postgresAvailable();
const cluster: PrivatePostgres | undefined = havePostgres ? await startPrivatePostgres() : undefined;

const ROWS = 300_000;

async function tableDigest(url: string, table: string): Promise<{ n: string; digest: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query(`SELECT count(*)::text AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM ${table} t`);
    return r.rows[0] as { n: string; digest: string };
  } finally {
    await c.end();
  }
}

describe.skipIf(!cluster)('target restarted mid-run', () => {
  let source: TestDatabase;
  let targetUrl: string;
  beforeAll(async () => {
    source = await createPostgresDatabase('restart_src');
    targetUrl = await createPrivateDatabase(cluster!, uniqueName('restart_dst'));
    await runPostgres(
      source.url,
      `CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, amount numeric(12,2), at timestamptz, note text);
       INSERT INTO events SELECT g, 'k' || (g % 7), (g % 100000) / 100.0, timestamptz '2020-01-01 00:00:00+00' + g * interval '1 second', repeat('y', g % 40)
       FROM generate_series(1, ${ROWS}) g;
       ANALYZE events;`,
    );
  }, 60_000);
  afterAll(async () => {
    await source?.drop();
    await cluster?.remove();
  });

  it('survives a pg_ctl restart of the target during the copy, and the target equals the source', async () => {
    const file = writePlanFile(`
migration restart_test {
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
    chunk rows = 15000
  }
}
`);
    const env = { SRC_URL: source.url, DST_URL: targetUrl };
    const apply = startApply(file, env);
    await apply.waitFor(nthChunkFinish(2));
    const restartedAt = apply.events.length;
    await cluster!.restart();
    const first = await apply.exited;

    // The restart really happened in the middle of the copy: chunks finished after it.
    const chunksAfter = apply.events.slice(restartedAt).filter((e) => e.type === 'chunk_finish').length;
    expect(chunksAfter).toBeGreaterThan(0);
    const summary = apply.events.at(-1);
    expect(summary?.type).toBe('summary');

    if (first.code !== 0) {
      // Not survived in-process: then a second apply must resume and finish.
      const again = await runBin(['apply', file, '--auto-approve'], env);
      expect(again.stdout + again.stderr).toMatch(/Apply complete/);
      expect(again.code).toBe(0);
    }
    // The run itself survived: a retry warning was shown and the run completed.
    expect({ code: first.code, message: summary?.message }).toEqual({ code: 0, message: expect.stringMatching(/Apply complete/) });
    const retries = apply.events.filter((e) => e.type === 'log' && /retrying/.test(String(e.message)));
    expect(retries.length).toBeGreaterThan(0);

    // Progress does not count the rows of the attempt that was rolled back.
    const lastProgress = apply.events.filter((e) => e.type === 'table_progress').at(-1);
    expect(lastProgress).toMatchObject({ rowsRead: ROWS, rowsWritten: ROWS });

    expect(await tableDigest(targetUrl, 'public.events')).toEqual(await tableDigest(source.url, 'public.events'));
  }, 60_000);

  it('a restart between two statements of a transaction fails that transaction with a retryable error; the process lives on', async () => {
    // The pool only listens for errors on idle clients: a checked-out one losing its server used to
    // emit an unhandled 'error' and kill the whole process (here: the test worker).
    const conn = await postgresEngine.connect({ url: targetUrl, session: [], tls: undefined, poolSize: 2, applicationName: 'dmsplan-test', role: 'target' });
    try {
      const outcome = await conn
        .transaction(async (tx) => {
          await tx.query('SELECT 1');
          await cluster!.restart();
          await tx.query('SELECT 1');
        })
        .then(
          () => 'committed',
          (err: unknown) => err,
        );
      expect(outcome).toBeInstanceOf(EngineError);
      expect(['transient', 'connect']).toContain((outcome as EngineError).kind);
      expect((outcome as EngineError).message).not.toMatch(/\n|at .*\.js/);
      // The pool recovers: the next statement runs on a fresh connection.
      expect(await conn.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    } finally {
      await conn.close();
    }
  }, 30_000);
});
