/**
 * The binary reader takes mysql2's row packets by routing Execute's fields-EOF state to its own
 * (mysql-driver.ts). Should a mysql2 release route them elsewhere, the rows would reach mysql2's own
 * parser and the read would come back empty: instead it must end as 'unsupported', which the copy
 * answers by reading the table as text. Simulated here by marking Execute's prototype as routed
 * before the driver can route it (a file of its own: each test file has its own mysql2).
 */
import mysql from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineConnection } from '../../../src/engines/contract.js';
import { createMysqlDatabase, mysqlAvailable, runMysql, type TestDatabase } from '../../support/servers.js';
import { connect, findTable, readColumns } from './mysql-support.js';

const available = await mysqlAvailable();

// Skipped only when a live server is unreachable outside CI; under CI=true the probe fails the run instead.
describe.skipIf(!available)('MySQL binary reads when mysql2 does not hand its rows over', () => {
  let db: TestDatabase;
  let conn: EngineConnection;
  beforeAll(async () => {
    db = await createMysqlDatabase('dms_my_route');
    await runMysql(db.url, 'CREATE TABLE t (id INT PRIMARY KEY, d DOUBLE); INSERT INTO t VALUES (1, 0.5), (2, 1.5), (3, NULL);');
    // Execute's prototype, from a command of mysql2's callback API, marked as already routed.
    const raw = mysql.createConnection({ uri: db.url });
    const command = raw.execute('SELECT 1', () => undefined) as unknown as object;
    (Object.getPrototypeOf(command) as { dmsplanRouted?: boolean }).dmsplanRouted = true;
    await new Promise<void>((resolve) => raw.end(() => resolve()));
    conn = await connect(db.url);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  it('ends the read as unsupported, not empty, and the lane stays usable', async () => {
    const catalog = await conn.introspect({ schemas: undefined });
    const columns = readColumns(findTable(catalog.tables, 't'));
    const snapshot = await conn.snapshot(1);
    try {
      const request = { table: { schema: db.name, name: 't' }, columns, where: undefined, range: undefined, orderBy: [], batchRows: 10 } as const;
      const read = async () => {
        for await (const batch of snapshot.rawText!.binary!.read(request, 0)) void batch;
      };
      await expect(read()).rejects.toMatchObject({ kind: 'unsupported', message: expect.stringMatching(/did not reach/) });
      expect(await snapshot.count({ schema: db.name, name: 't' }, undefined, 0)).toBe(3);
    } finally {
      await snapshot.close();
    }
  });
});
