/**
 * An Oracle database as an EngineConnection: a pool of thin-mode sessions (oracle-driver.ts).
 * A source only, for now: `transaction` (the writes of a target) is refused with
 * EngineError('unsupported') — `plan` already refuses an Oracle target (DMS3551), so this is
 * reached only through a saved plan edited by hand.
 */
import type { EngineConnection, IntrospectScope, SourceSnapshot, TargetTransaction } from '../contract.js';
import { EngineError } from '../contract.js';
import type { Catalog } from '../../schema/catalog.js';
import { introspectOracle } from './oracle-introspect.js';
import { OracleSnapshot } from './oracle-read.js';
import { OraclePoolHandle, type OracleSession } from './oracle-driver.js';

/** The SCN now, by the first query the user may run (DBMS_FLASHBACK needs EXECUTE on it, V$DATABASE SELECT_CATALOG_ROLE). */
export const ORACLE_SCN_QUERIES = ['SELECT DBMS_FLASHBACK.GET_SYSTEM_CHANGE_NUMBER FROM DUAL', 'SELECT CURRENT_SCN FROM V$DATABASE'] as const;

export class OracleConnection implements EngineConnection {
  readonly engine = 'oracle' as const;

  private constructor(
    private readonly pool: OraclePoolHandle,
    readonly endpoint: string,
    readonly serverVersion: string,
    private readonly database: string,
  ) {}

  static async open(pool: OraclePoolHandle, endpoint: string, database: string): Promise<OracleConnection> {
    const session = await pool.acquire();
    try {
      return new OracleConnection(pool, endpoint, session.serverVersion, database);
    } finally {
      await session.close();
    }
  }

  private async withSession<T>(work: (s: OracleSession) => Promise<T>): Promise<T> {
    const session = await this.pool.acquire();
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  }

  introspect(scope: IntrospectScope): Promise<Catalog> {
    return this.withSession((s) => introspectOracle((sql, binds) => s.objects(sql, binds), scope, { database: this.database, serverVersion: this.serverVersion }));
  }

  /**
   * `lanes` sessions on one state: one lane reads in a read-only transaction; more read AS OF the
   * SCN taken now, or, where the SCN cannot be read, each in a read-only transaction of its own
   * (lanesAgree false). See oracle-read.ts.
   */
  async snapshot(lanes: number): Promise<SourceSnapshot> {
    const count = Math.max(1, Math.floor(lanes));
    const sessions: OracleSession[] = [];
    try {
      for (let i = 0; i < count; i++) sessions.push(await this.pool.acquire());
      const scn = count > 1 ? await currentScn(sessions[0]!) : undefined;
      if (scn === undefined) for (const s of sessions) await s.run('SET TRANSACTION READ ONLY');
      return new OracleSnapshot(
        sessions.map((s) => ({
          query: (sql, binds) => s.query(sql, binds),
          stream: (sql, binds, batchRows) => s.stream(sql, binds, batchRows),
          close: async () => {
            await s.run('COMMIT').catch(() => undefined);
            await s.close();
          },
        })),
        scn,
      );
    } catch (err) {
      await Promise.all(sessions.map((s) => s.close()));
      throw err;
    }
  }

  async execute(statements: readonly string[]): Promise<void> {
    await this.withSession(async (s) => {
      for (const sql of statements) await s.run(sql);
      await s.run('COMMIT');
    });
  }

  query(sql: string, params?: readonly (string | number | null)[]): Promise<readonly Record<string, unknown>[]> {
    return this.withSession((s) => s.objects(sql, params ?? []));
  }

  transaction<T>(_fn: (tx: TargetTransaction) => Promise<T>): Promise<T> {
    return Promise.reject(new EngineError('Oracle as a target is not supported yet (dmsplan reads Oracle databases; it does not write them)', 'unsupported', undefined, this.endpoint));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

async function currentScn(session: OracleSession): Promise<string | undefined> {
  for (const sql of ORACLE_SCN_QUERIES) {
    try {
      const value = (await session.query(sql))[0]?.[0];
      if (value !== null && value !== undefined && /^\d+$/.test(String(value))) return String(value);
    } catch {
      // no privilege for this one: try the next
    }
  }
  return undefined;
}
