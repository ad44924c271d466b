/**
 * The streamed read of a SQL Server lane over a stand-in of mssql's request and transaction that
 * behaves as mssql 12 does where it matters here: a transaction runs one request at a time
 * (EREQINPROG otherwise), a streamed request emits rows, pauses and resumes, and a cancelled one
 * emits an ECANCEL error, then done, a little later. No SQL Server runs here.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ReadColumn, ReadRequest } from '../../../src/engines/contract.js';
import { SqlServerSnapshot, type MssqlModule, type MssqlRequest, type MssqlResult, type MssqlTransaction } from '../../../src/engines/sqlserver/sqlserver-driver.js';
import { parseSqlServerType, sqlServerToLogical } from '../../../src/engines/sqlserver/sqlserver-types.js';

class FakeTransaction implements MssqlTransaction {
  active = false;
  maxPaused = 0;
  constructor(readonly table: readonly unknown[][]) {}
  async begin(): Promise<MssqlTransaction> {
    return this;
  }
  async commit(): Promise<void> {
    if (this.active) throw Object.assign(new Error("Can't commit transaction. There is a request in progress."), { code: 'EREQINPROG' });
  }
  async rollback(): Promise<void> {}
}

class FakeRequest extends EventEmitter implements MssqlRequest {
  stream = false;
  arrayRowMode = false;
  private paused = false;
  private canceled = false;
  private wake: (() => void) | undefined;
  constructor(private readonly tx: FakeTransaction) {
    super();
  }
  input(): MssqlRequest {
    return this;
  }
  async batch(): Promise<MssqlResult> {
    return {};
  }
  async query(sql: string): Promise<MssqlResult> {
    if (this.tx.active) throw Object.assign(new Error("Can't acquire connection for the request. There is another request in progress."), { code: 'EREQINPROG' });
    this.tx.active = true;
    try {
      if (sql.startsWith('SELECT COUNT_BIG')) return { recordset: [{ n: String(this.tx.table.length) }] };
      if (sql.includes('FAIL')) {
        await new Promise((r) => setImmediate(r));
        this.emit('error', Object.assign(new Error("Invalid object name 'FAIL'."), { number: 208 }));
        this.emit('done');
        return {};
      }
      for (const row of this.tx.table) {
        while (this.paused && !this.canceled) await new Promise<void>((r) => (this.wake = r));
        if (this.canceled) break;
        await new Promise((r) => setImmediate(r));
        this.emit('row', row);
      }
      await new Promise((r) => setTimeout(r, 5)); // a cancel takes a while to reach the server
      if (this.canceled) this.emit('error', Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }));
      this.emit('done');
      return {};
    } finally {
      this.tx.active = false;
    }
  }
  pause(): boolean {
    this.paused = true;
    return true;
  }
  resume(): boolean {
    this.paused = false;
    this.wake?.();
    return true;
  }
  cancel(): boolean {
    this.canceled = true;
    this.wake?.();
    return true;
  }
}

const fakeMssql = { Request: FakeRequest, Transaction: FakeTransaction, ConnectionPool: class {}, ISOLATION_LEVEL: { READ_COMMITTED: 2, SNAPSHOT: 5 } } as unknown as MssqlModule;

const id: ReadColumn = { name: 'id', native: parseSqlServerType('bigint')!, logical: sqlServerToLogical(parseSqlServerType('bigint')!) };
const amount: ReadColumn = { name: 'amount', native: parseSqlServerType('decimal(4,4)')!, logical: sqlServerToLogical(parseSqlServerType('decimal(4,4)')!) };
const request = (table = 't'): ReadRequest => ({ table: { schema: 'dbo', name: table }, columns: [id, amount], where: undefined, range: undefined, orderBy: ['id'], batchRows: 10 });

function rows(n: number): unknown[][] {
  return Array.from({ length: n }, (_, i) => [String(i + 1), `.${String(i % 10000).padStart(4, '0')}`]);
}

describe('a SQL Server lane', () => {
  it('streams every row in batches, decoded', async () => {
    const tx = new FakeTransaction(rows(95));
    const snapshot = new SqlServerSnapshot(fakeMssql, [tx], 'sqlserver://sa:pw@h/db');
    const batches: unknown[][][] = [];
    for await (const batch of snapshot.read(request(), 0)) batches.push(batch as unknown[][]);
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(batches[0]![1]).toEqual(['2', '0.0001']);
    await snapshot.close();
  });

  it('after a consumer stops reading early, the next request of the lane waits for the cancelled stream instead of failing', async () => {
    const tx = new FakeTransaction(rows(1000));
    const snapshot = new SqlServerSnapshot(fakeMssql, [tx], 'sqlserver://sa:pw@h/db');
    for await (const batch of snapshot.read(request(), 0)) {
      expect(batch).toHaveLength(10);
      break;
    }
    expect(await snapshot.count({ schema: 'dbo', name: 't' }, undefined, 0)).toBe(1000);
    await snapshot.close();
  });

  it('fails a read the server refuses with an EngineError naming the endpoint without its password', async () => {
    const snapshot = new SqlServerSnapshot(fakeMssql, [new FakeTransaction([])], 'sqlserver://sa:S3cretPw@h/db');
    const read = async () => {
      for await (const _ of snapshot.read(request('FAIL'), 0)) void _;
    };
    await expect(read()).rejects.toMatchObject({ name: 'EngineError', kind: 'query', dbCode: '208', endpoint: 'sqlserver://sa:***@h/db' });
    await snapshot.close();
  });
});
