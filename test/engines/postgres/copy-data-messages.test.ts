import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyDataMessageCutter, type CutChunk } from '../../../src/engines/postgres/copy-data-messages.js';
import { openPostgres, type PostgresDriver } from '../../../src/engines/postgres/postgres-driver.js';
import { PostgresSnapshot } from '../../../src/engines/postgres/postgres-read.js';
import { postgresEngine } from '../../../src/engines/postgres/index.js';
import type { EngineConnection, ReadRequest } from '../../../src/engines/contract.js';
import { createPostgresDatabase, postgresAvailable, runPostgres, type TestDatabase } from '../../support/servers.js';

/** One backend message: type byte, length word (counting itself), payload. */
function message(type: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([head, payload]);
}

/** Feeds `chunks` until the cutter reports the end; the runs, the end, and the chunks after it. */
function feed(chunks: readonly Buffer[]): { runs: Buffer; end: CutChunk['end']; after: Buffer } {
  const cutter = new CopyDataMessageCutter();
  const runs: Buffer[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const cut = cutter.cut(chunks[i]!);
    for (const run of cut.runs) {
      // A run holds whole CopyData messages only.
      let at = 0;
      while (at < run.length) {
        expect(run[at]).toBe(0x64);
        at += 1 + run.readUInt32BE(at + 1);
      }
      expect(at).toBe(run.length);
      runs.push(run);
    }
    if (cut.end) return { runs: Buffer.concat(runs), end: cut.end, after: Buffer.concat(chunks.slice(i + 1)) };
  }
  return { runs: Buffer.concat(runs), end: undefined, after: Buffer.alloc(0) };
}

/** `bytes` cut at the given offsets (sorted, deduplicated, within bounds). */
function cutAt(bytes: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    if (p > from) pieces.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  if (from < bytes.length) pieces.push(bytes.subarray(from));
  return pieces;
}

const payload = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
// Data, and the messages a COPY's reader must drop: CopyOutResponse, notice, parameter status, notification.
const streamMessage = fc.oneof(
  { weight: 6, arbitrary: payload.map((p) => ({ data: true, bytes: message('d', p) })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('H', 'N', 'S', 'A'), payload).map(([t, p]) => ({ data: false, bytes: message(t, p) })) },
);

describe('CopyDataMessageCutter', () => {
  it('passes on exactly the CopyData messages, whole, wherever the socket cuts the stream, and hands back what follows CopyDone', () => {
    fc.assert(
      fc.property(fc.array(streamMessage, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 30 }), (messages, offsets) => {
        const after = Buffer.concat([message('C', Buffer.from('COPY 3\0')), message('Z', Buffer.from('T'))]);
        const stream = Buffer.concat([...messages.map((m) => m.bytes), message('c', Buffer.alloc(0)), after]);
        const fed = feed(cutAt(stream, offsets));
        expect(fed.runs.equals(Buffer.concat(messages.filter((m) => m.data).map((m) => m.bytes)))).toBe(true);
        expect(fed.end?.reason).toBe('done');
        expect(Buffer.concat([fed.end!.rest, fed.after]).equals(after)).toBe(true);
      }),
    );
  });

  it('stops at an ErrorResponse and hands it back from its first byte, whole or not yet', () => {
    fc.assert(
      fc.property(fc.array(streamMessage, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, offsets) => {
        const error = Buffer.concat([message('E', Buffer.from('SERROR\0C22012\0Mdivision by zero\0\0')), message('Z', Buffer.from('E'))]);
        const stream = Buffer.concat([...messages.map((m) => m.bytes), error]);
        const fed = feed(cutAt(stream, offsets));
        expect(fed.runs.equals(Buffer.concat(messages.filter((m) => m.data).map((m) => m.bytes)))).toBe(true);
        expect(fed.end?.reason).toBe('error');
        expect(Buffer.concat([fed.end!.rest, fed.after]).equals(error)).toBe(true);
      }),
    );
  });

  it('holds a message cut across many chunks until it is whole, then passes it on in one piece', () => {
    const big = message('d', Buffer.alloc(100_000, 7));
    const stream = Buffer.concat([message('d', Buffer.from('a')), big, message('c', Buffer.alloc(0))]);
    const cutter = new CopyDataMessageCutter();
    const runs: Buffer[] = [];
    for (let at = 0; at < stream.length; at += 3) runs.push(...cutter.cut(stream.subarray(at, at + 3)).runs);
    expect(runs.map((r) => r.length)).toEqual([6, big.length]);
  });
});

// Live suite: needs the PostgreSQL server of the test machines (skipped, with a warning, outside CI when absent).
const available = await postgresAvailable();

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!available)('COPY as whole CopyData messages (live PostgreSQL)', () => {
  let db: TestDatabase;
  let conn: EngineConnection;
  let driver: PostgresDriver;

  beforeAll(async () => {
    db = await createPostgresDatabase('dms_pgmsg');
    // Rows of every size: a few far bigger than a socket read, so messages are cut many times.
    await runPostgres(
      db.url,
      `CREATE TABLE src (id int PRIMARY KEY, t text, b bytea, j jsonb, n numeric, ts timestamptz);
       INSERT INTO src SELECT g, CASE WHEN g % 1000 = 0 THEN repeat('é', 300000) WHEN g % 7 = 0 THEN NULL ELSE 'row ' || g END,
         CASE WHEN g % 3 = 0 THEN decode(md5(g::text), 'hex') END, jsonb_build_object('g', g), g / 7.0, '2024-01-01'::timestamptz + g * interval '1 second'
       FROM generate_series(1, 20000) g;
       CREATE TABLE dst (LIKE src INCLUDING ALL);
       CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF i % 500 = 0 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$;`,
    );
    conn = await postgresEngine.connect({ url: db.url, session: [], tls: undefined, poolSize: 4, applicationName: 'dmsplan-test' });
    driver = await openPostgres({ url: db.url, session: [], tls: undefined, poolSize: 2, applicationName: 'dmsplan-test' });
  }, 120_000);

  afterAll(async () => {
    await conn?.close();
    await driver?.end();
    await db?.drop();
  });

  async function request(where?: string): Promise<ReadRequest> {
    const table = (await conn.introspect({ schemas: ['public'] })).tables.find((t) => t.name === 'src')!;
    return { table, columns: table.columns.map((c) => ({ name: c.name, native: c.nativeType, logical: c.logical })), where, range: undefined, orderBy: [], batchRows: 1000 };
  }

  const differences = async (): Promise<number> => Number((await conn.query('SELECT count(*)::int AS n FROM ((TABLE src EXCEPT TABLE dst) UNION ALL (TABLE dst EXCEPT TABLE src)) x'))[0]!['n']);

  it('copies every row unchanged, rows of 600 kB among them, with notices sent in the middle of the data', async () => {
    await runPostgres(db.url, 'TRUNCATE dst');
    const req = await request('noisy("id") > 0');
    const snap = await conn.snapshot(1);
    try {
      const n = await conn.transaction((tx) => tx.copyIn!({ schema: 'public', name: 'dst' }, req.columns.map((c) => c.name), 'binary', snap.copyOut!(req, 0, 'binary', 'messages'), 'messages'));
      expect(n).toBe(20000);
      // The lane goes on after the COPY: the driver has its socket back.
      expect(await snap.count(req.table, undefined, 0)).toBe(20000);
    } finally {
      await snap.close();
    }
    expect(await differences()).toBe(0);
  });

  it('a source error in the middle of the COPY fails the read with the server error; the lane and the target connection go on', async () => {
    await runPostgres(db.url, 'TRUNCATE dst');
    const req = await request('1 / ("id" - 15000) IS NOT NULL');
    const snap = await conn.snapshot(1);
    try {
      const attempt = conn.transaction((tx) => tx.copyIn!({ schema: 'public', name: 'dst' }, req.columns.map((c) => c.name), 'binary', snap.copyOut!(req, 0, 'binary', 'messages'), 'messages'));
      await expect(attempt).rejects.toThrow(/division by zero/);
      expect(await snap.count(req.table, undefined, 0)).toBe(20000);
    } finally {
      await snap.close();
    }
    expect(await conn.query('SELECT count(*)::int AS n FROM dst')).toEqual([{ n: 0 }]);
    await runPostgres(db.url, 'TRUNCATE dst');
    const again = await request();
    const snap2 = await conn.snapshot(1);
    try {
      await conn.transaction((tx) => tx.copyIn!({ schema: 'public', name: 'dst' }, again.columns.map((c) => c.name), 'binary', snap2.copyOut!(again, 0, 'binary', 'messages'), 'messages'));
    } finally {
      await snap2.close();
    }
    expect(await differences()).toBe(0);
  });

  it('a target that refuses a row fails the COPY with its error; the transaction is rolled back', async () => {
    await runPostgres(db.url, 'TRUNCATE dst; INSERT INTO dst (id) VALUES (12345)');
    const req = await request();
    const snap = await conn.snapshot(1);
    try {
      const attempt = conn.transaction((tx) => tx.copyIn!({ schema: 'public', name: 'dst' }, req.columns.map((c) => c.name), 'binary', snap.copyOut!(req, 0, 'binary', 'messages'), 'messages'));
      await expect(attempt).rejects.toMatchObject({ kind: 'data' });
    } finally {
      await snap.close();
    }
    expect(await conn.query('SELECT count(*)::int AS n FROM dst')).toEqual([{ n: 1 }]);
  });

  it('an early stop cancels the COPY and leaves the lane usable', async () => {
    // Rows that come slowly: the COPY is still running when it is cancelled.
    const req = await request("pg_sleep(0.0005)::text = ''");
    const snap = await PostgresSnapshot.open(driver, 1, (err) => (err instanceof Error ? err : new Error(String(err))));
    try {
      for await (const piece of snap.copyOut(req, 0, 'binary', 'messages')) {
        expect(piece[0]).toBe(0x64);
        break;
      }
      expect(await snap.count(req.table, undefined, 0)).toBe(20000);
    } finally {
      await snap.close();
    }
  });
});
