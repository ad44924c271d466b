/**
 * The control schema in the target (`_dmsplan`): runs, steps, chunks, rejects, validations. It is
 * what makes `apply` resumable and what `plan` reads to know what is already done. Portable SQL
 * only (VARCHAR(255) keys, TEXT, BIGINT), so every target engine takes the same statements.
 */
import type { ControlTableName, Dialect, EngineConnection, TargetTransaction } from '../engines/contract.js';

type ControlTable = ControlTableName;

const REJECTS_PER_INSERT = 500;

const COLUMNS: Readonly<Record<ControlTable, readonly string[]>> = {
  runs: ['run_id VARCHAR(64) NOT NULL PRIMARY KEY', 'plan_name TEXT', 'plan_fingerprint VARCHAR(64)', 'tool_version VARCHAR(32)', 'started_at VARCHAR(32)', 'finished_at VARCHAR(32)', 'status VARCHAR(16)'],
  steps: ['step_fingerprint VARCHAR(64) NOT NULL PRIMARY KEY', 'step_id TEXT', 'run_id VARCHAR(64)', 'finished_at VARCHAR(32)'],
  chunks: [
    'step_fingerprint VARCHAR(64) NOT NULL',
    'chunk_no BIGINT NOT NULL',
    'lower_bound TEXT',
    'upper_bound TEXT',
    'status VARCHAR(16)',
    'rows_written BIGINT',
    'rows_rejected BIGINT',
    'checksum VARCHAR(64)',
    'run_id VARCHAR(64)',
    'finished_at VARCHAR(32)',
    'PRIMARY KEY (step_fingerprint, chunk_no)',
  ],
  rejects: ['run_id VARCHAR(64)', 'step_fingerprint VARCHAR(64)', 'chunk_no BIGINT', 'source_table TEXT', 'target_table TEXT', 'row_key TEXT', 'column_name TEXT', 'value_text TEXT', 'reason TEXT', 'rejected_at VARCHAR(32)'],
  // Change data capture: where each source's stream stands for this target, written in the same
  // transaction as the changes it covers. `stream_key` hashes the plan, the source and the target
  // tables (a MySQL server's one `_dmsplan` database serves every target database on it).
  cdc_streams: ['stream_key VARCHAR(64) NOT NULL PRIMARY KEY', 'source_endpoint VARCHAR(255)', 'plan_name VARCHAR(255)', 'capture_name VARCHAR(255)', 'stream_position TEXT', 'transactions BIGINT', 'run_id VARCHAR(64)', 'updated_at VARCHAR(32)'],
  // Merges with strategy = surrogate: the new key given to each source row (merged table, merge,
  // source, source key as canonical text — a JSON array of texts for a composite key). The merged
  // table is part of the key because a MySQL server's one `_dmsplan` database serves every target
  // database on it. Lengths keep the primary key within MySQL's 3072-byte index limit in utf8mb4.
  key_map: [
    'target_table VARCHAR(130) NOT NULL',
    'merge_name VARCHAR(128) NOT NULL',
    'source_name VARCHAR(200) NOT NULL',
    'source_key VARCHAR(255) NOT NULL',
    'new_key BIGINT NOT NULL',
    'run_id VARCHAR(64)',
    'PRIMARY KEY (target_table, merge_name, source_name, source_key)',
    'UNIQUE (target_table, merge_name, new_key)',
  ],
  validations: ['run_id VARCHAR(64)', 'table_id TEXT', 'level VARCHAR(16)', 'ok VARCHAR(5)', 'source_rows BIGINT', 'target_rows BIGINT', 'rejected_rows BIGINT', 'detail TEXT', 'checked_at VARCHAR(32)'],
};

/** Fingerprints per DELETE when forgetting steps (well under every engine's limit on parameters). */
const FORGET_AT_ONCE = 200;

/**
 * A copy that began is recorded in `steps` under its fingerprint with this prefix, and its step
 * id, until it finishes. Its chunks name only the fingerprint, so without it a table made anew by
 * another version of the plan could not tell that a half-done copy of an earlier version wrote
 * into it: that version, planned again, resumed after its chunks into the other version's rows.
 * No step has such a fingerprint, so the record never reads as a finished step.
 */
const STARTED = 'started:';

export class ControlSchema {
  constructor(private readonly dialect: Dialect) {}

  private table(name: ControlTable): string {
    return this.dialect.qualify(this.dialect.controlTable(name));
  }

  ddl(): readonly string[] {
    const out = [...this.dialect.createControlSchema()];
    for (const name of Object.keys(COLUMNS) as ControlTable[]) out.push(`CREATE TABLE IF NOT EXISTS ${this.table(name)} (${COLUMNS[name].join(', ')})`);
    return out;
  }

  /**
   * Creates what is missing. A schema an administrator made beforehand is enough: PostgreSQL and
   * MySQL check the privilege to create one before they look whether it exists, so a user who may
   * only create tables in it failed at `CREATE SCHEMA IF NOT EXISTS`. That statement's failure
   * counts only when the tables cannot be made either (then it is the error that says why).
   */
  async ensure(conn: EngineConnection): Promise<void> {
    const schema = this.dialect.createControlSchema();
    const tables = this.ddl().slice(schema.length);
    let schemaFailure: unknown;
    try {
      await conn.execute(schema);
    } catch (err) {
      schemaFailure = err;
    }
    try {
      await conn.execute(tables);
    } catch (err) {
      throw schemaFailure ?? err;
    }
    await this.checkShapes(conn);
  }

  /**
   * CREATE TABLE IF NOT EXISTS keeps a table of the name whatever its columns: one in another
   * shape (made by hand, or by another tool) failed the first chunk that wrote a reject, after
   * other chunks had loaded. Each table is read once by every column this version writes.
   */
  private async checkShapes(conn: EngineConnection): Promise<void> {
    for (const name of Object.keys(COLUMNS) as ControlTable[]) {
      const columns = COLUMNS[name].filter((c) => !/^(PRIMARY KEY|UNIQUE)\b/.test(c)).map((c) => c.split(' ')[0]!);
      try {
        await conn.query(`SELECT ${columns.join(', ')} FROM ${this.table(name)} WHERE 1 = 0`);
      } catch (err) {
        throw new ControlShapeError(this.table(name), this.dialect.controlTable(name).name, columns, err);
      }
    }
  }

  /** What to do when `ensure` fails for want of privileges: the statements an administrator runs. */
  setupHint(engine: string, url: string): string {
    let user = 'the_user';
    let database = 'the_database';
    try {
      const u = new URL(url);
      user = decodeURIComponent(u.username) || user;
      database = decodeURIComponent(u.pathname.replace(/^\//, '')) || database;
    } catch {
      // A file URL (SQLite): no user to name.
    }
    const where = this.dialect.qualify({ schema: this.dialect.controlTable('runs').schema, name: 'x' }).replace(/\.[^.]*$/, '');
    switch (engine) {
      case 'postgres':
        return `apply records its progress in the schema ${where}: let the user create it (GRANT CREATE ON DATABASE ${this.dialect.quoteIdent(database)} TO ${this.dialect.quoteIdent(user)};) or create it for the user (CREATE SCHEMA ${where} AUTHORIZATION ${this.dialect.quoteIdent(user)};)`;
      case 'mysql':
        return `apply records its progress in the database ${where}: let the user create it and its tables (GRANT ALL ON ${where}.* TO '${user.replace(/'/g, "''")}'@'%';, with the user's own host)`;
      default:
        return 'apply records its progress in the target: the user must be able to create tables there';
    }
  }

  /** Whether the control tables exist (plan must not create them: it writes nothing). */
  async exists(conn: EngineConnection): Promise<boolean> {
    try {
      await conn.query(`SELECT 1 FROM ${this.table('steps')} WHERE 1 = 0`);
      return true;
    } catch {
      return false;
    }
  }

  private p(i: number): string {
    return this.dialect.placeholder(i);
  }

  async startRun(conn: EngineConnection, run: { id: string; planName: string; fingerprint: string; toolVersion: string; at: string }): Promise<void> {
    await conn.query(
      `INSERT INTO ${this.table('runs')} (run_id, plan_name, plan_fingerprint, tool_version, started_at, status) VALUES (${this.p(1)}, ${this.p(2)}, ${this.p(3)}, ${this.p(4)}, ${this.p(5)}, 'running')`,
      [run.id, run.planName, run.fingerprint, run.toolVersion, run.at],
    );
  }

  async finishRun(conn: EngineConnection, runId: string, status: 'ok' | 'failed' | 'interrupted', at: string): Promise<void> {
    await conn.query(`UPDATE ${this.table('runs')} SET status = ${this.p(1)}, finished_at = ${this.p(2)} WHERE run_id = ${this.p(3)}`, [status, at, runId]);
  }

  async completedSteps(conn: EngineConnection): Promise<Set<string>> {
    const rows = await conn.query(`SELECT step_fingerprint FROM ${this.table('steps')}`);
    return new Set(rows.map((r) => String(r.step_fingerprint)));
  }

  /** Steps recorded by runs of the plan with this fingerprint (a saved plan applied again, say). */
  async completedStepsOfPlan(conn: EngineConnection, planFingerprint: string): Promise<Set<string>> {
    const rows = await conn.query(`SELECT s.step_fingerprint FROM ${this.table('steps')} s JOIN ${this.table('runs')} r ON r.run_id = s.run_id WHERE r.plan_fingerprint = ${this.p(1)}`, [planFingerprint]);
    return new Set(rows.map((r) => String(r.step_fingerprint)));
  }

  /** Every recorded step: fingerprint → step id (`copy:dw.chinook.album`), of whatever plan version recorded it. */
  async recordedStepIds(conn: EngineConnection): Promise<Map<string, string>> {
    const rows = await conn.query(`SELECT step_fingerprint, step_id FROM ${this.table('steps')}`);
    return new Map(rows.map((r) => [String(r.step_fingerprint), String(r.step_id ?? '')]));
  }

  /** Copy steps with at least one committed chunk. */
  async startedCopies(conn: EngineConnection): Promise<Set<string>> {
    const rows = await conn.query(`SELECT DISTINCT step_fingerprint FROM ${this.table('chunks')} WHERE status = 'done'`);
    return new Set(rows.map((r) => String(r.step_fingerprint)));
  }

  /** The fingerprint under which `steps` records that the copy of this fingerprint began. */
  static startedRecord(copyFingerprint: string): string {
    return `${STARTED}${copyFingerprint}`;
  }

  /** Records that a copy began (see STARTED); its finished record replaces it. */
  async recordCopyStarted(conn: EngineConnection, step: { fingerprint: string; id: string; runId: string; at: string }): Promise<void> {
    await this.recordStep(conn, { ...step, fingerprint: ControlSchema.startedRecord(step.fingerprint) });
  }

  async recordStep(conn: EngineConnection | TargetTransaction, step: { fingerprint: string; id: string; runId: string; at: string }): Promise<void> {
    await conn.query(`DELETE FROM ${this.table('steps')} WHERE step_fingerprint IN (${this.p(1)}, ${this.p(2)})`, [step.fingerprint, `${STARTED}${step.fingerprint}`]);
    await conn.query(`INSERT INTO ${this.table('steps')} (step_fingerprint, step_id, run_id, finished_at) VALUES (${this.p(1)}, ${this.p(2)}, ${this.p(3)}, ${this.p(4)})`, [
      step.fingerprint,
      step.id,
      step.runId,
      step.at,
    ]);
  }

  /** Forgets what earlier runs recorded of these steps: their completion and their chunks. */
  async forgetSteps(conn: EngineConnection, fingerprints: readonly string[]): Promise<void> {
    for (let i = 0; i < fingerprints.length; i += FORGET_AT_ONCE) {
      // A copy's started record stands for its chunks, and goes with them.
      const some = fingerprints.slice(i, i + FORGET_AT_ONCE).map((f) => (f.startsWith(STARTED) ? f.slice(STARTED.length) : f));
      const records = [...some, ...some.map((f) => `${STARTED}${f}`)];
      await conn.query(`DELETE FROM ${this.table('steps')} WHERE step_fingerprint IN (${records.map((_, k) => this.p(k + 1)).join(', ')})`, records);
      await conn.query(`DELETE FROM ${this.table('chunks')} WHERE step_fingerprint IN (${some.map((_, k) => this.p(k + 1)).join(', ')})`, some);
    }
  }

  /** Rows each step's finished chunks (and adjustments) rejected, for the steps that rejected any. */
  async rejectedRowsBySteps(conn: EngineConnection): Promise<Map<string, number>> {
    const rows = await conn.query(`SELECT step_fingerprint, SUM(rows_rejected) AS n FROM ${this.table('chunks')} WHERE status = 'done' GROUP BY step_fingerprint`);
    return new Map(rows.filter((r) => Number(r.n ?? 0) !== 0).map((r) => [String(r.step_fingerprint), Number(r.n)]));
  }

  /** Every step with chunk records, whatever their status. */
  async chunkedSteps(conn: EngineConnection): Promise<Set<string>> {
    const rows = await conn.query(`SELECT DISTINCT step_fingerprint FROM ${this.table('chunks')}`);
    return new Set(rows.map((r) => String(r.step_fingerprint)));
  }

  async chunks(conn: EngineConnection, stepFingerprint: string): Promise<ChunkRecord[]> {
    const rows = await conn.query(
      `SELECT chunk_no, lower_bound, upper_bound, status, rows_written, rows_rejected, checksum FROM ${this.table('chunks')} WHERE step_fingerprint = ${this.p(1)} ORDER BY chunk_no`,
      [stepFingerprint],
    );
    return rows.map((r) => ({
      chunkNo: Number(r.chunk_no),
      lower: r.lower_bound === null ? undefined : String(r.lower_bound),
      upper: r.upper_bound === null ? undefined : String(r.upper_bound),
      done: r.status === 'done',
      rowsWritten: Number(r.rows_written ?? 0),
      rowsRejected: Number(r.rows_rejected ?? 0),
      checksum: r.checksum === null || r.checksum === undefined ? undefined : String(r.checksum),
    }));
  }

  /** Drops the chunk records of a copy none of whose chunks finished (nothing of it is loaded). */
  async forgetUnstartedChunks(conn: EngineConnection, stepFingerprint: string): Promise<void> {
    await conn.query(`DELETE FROM ${this.table('chunks')} WHERE step_fingerprint = ${this.p(1)} AND status <> 'done'`, [stepFingerprint]);
  }

  async planChunks(conn: EngineConnection, stepFingerprint: string, ranges: readonly { lower: string | undefined; upper: string | undefined }[]): Promise<void> {
    await conn.transaction(async (tx) => {
      for (const [i, r] of ranges.entries()) {
        await tx.query(
          `INSERT INTO ${this.table('chunks')} (step_fingerprint, chunk_no, lower_bound, upper_bound, status, rows_written, rows_rejected) VALUES (${this.p(1)}, ${this.p(2)}, ${this.p(3)}, ${this.p(4)}, 'pending', 0, 0)`,
          [stepFingerprint, i, r.lower ?? null, r.upper ?? null],
        );
      }
    });
  }

  /** Marks a chunk done — called inside the transaction that wrote its rows. */
  async finishChunk(tx: TargetTransaction, c: { stepFingerprint: string; chunkNo: number; rows: number; rejected: number; checksum: string; runId: string; at: string }): Promise<void> {
    await tx.query(
      `UPDATE ${this.table('chunks')} SET status = 'done', rows_written = ${this.p(1)}, rows_rejected = ${this.p(2)}, checksum = ${this.p(3)}, run_id = ${this.p(4)}, finished_at = ${this.p(5)} WHERE step_fingerprint = ${this.p(6)} AND chunk_no = ${this.p(7)}`,
      [c.rows, c.rejected, c.checksum, c.runId, c.at, c.stepFingerprint, c.chunkNo],
    );
  }

  /**
   * Adjustments of a copy after it finished (rows moved out of the target to the rejects table by
   * a foreign key step) are kept as chunk records with negative numbers: done, no bounds, rows
   * written −n, rejected +n, and the negated checksum of the rows taken out. Every total over a
   * step's chunks then stays true without knowing about them.
   */
  async nextAdjustmentNo(conn: EngineConnection | TargetTransaction, stepFingerprint: string): Promise<number> {
    const [row] = await conn.query(`SELECT MIN(chunk_no) AS n FROM ${this.table('chunks')} WHERE step_fingerprint = ${this.p(1)}`, [stepFingerprint]);
    const lowest = row?.n === null || row?.n === undefined ? 0 : Number(row.n);
    return Math.min(lowest, 0) - 1;
  }

  async recordAdjustment(tx: TargetTransaction, a: { stepFingerprint: string; chunkNo: number; rowsWritten: number; rowsRejected: number; checksum: string; runId: string; at: string }): Promise<void> {
    if (a.chunkNo >= 0) throw new Error('bug: an adjustment takes a negative chunk number');
    await tx.query(
      `INSERT INTO ${this.table('chunks')} (step_fingerprint, chunk_no, lower_bound, upper_bound, status, rows_written, rows_rejected, checksum, run_id, finished_at) VALUES (${[1, 2].map((i) => this.p(i)).join(', ')}, NULL, NULL, 'done', ${[3, 4, 5, 6, 7].map((i) => this.p(i)).join(', ')})`,
      [a.stepFingerprint, a.chunkNo, a.rowsWritten, a.rowsRejected, a.checksum, a.runId, a.at],
    );
  }

  /**
   * Rejects in multi-row INSERTs of up to REJECTS_PER_INSERT rows: a chunk (or a foreign key step)
   * with many rejects costs a statement per batch, not per row. 10 parameters a row keeps a batch
   * within every engine's limit (SQLite's is 32,766).
   */
  async recordRejects(tx: TargetTransaction, records: readonly RejectRecord[]): Promise<void> {
    for (let from = 0; from < records.length; from += REJECTS_PER_INSERT) {
      const batch = records.slice(from, from + REJECTS_PER_INSERT);
      const rows = batch.map((_, r) => `(${Array.from({ length: 10 }, (_, c) => this.p(r * 10 + c + 1)).join(', ')})`).join(', ');
      await tx.query(
        `INSERT INTO ${this.table('rejects')} (run_id, step_fingerprint, chunk_no, source_table, target_table, row_key, column_name, value_text, reason, rejected_at) VALUES ${rows}`,
        batch.flatMap((r) => [r.runId, r.stepFingerprint, r.chunkNo, r.sourceTable, r.targetTable, r.key, r.column ?? null, r.value ?? null, r.reason, r.at]),
      );
    }
  }

  /** The keys of the rows a copy step rejected, or undefined when there are more than `limit`. */
  async rejectedKeys(conn: EngineConnection, stepFingerprint: string, limit: number): Promise<Set<string> | undefined> {
    const rows = await conn.query(`SELECT row_key FROM ${this.table('rejects')} WHERE step_fingerprint = ${this.p(1)} LIMIT ${Math.floor(limit) + 1}`, [stepFingerprint]);
    return rows.length > limit ? undefined : new Set(rows.map((r) => String(r.row_key)));
  }

  async recordValidation(conn: EngineConnection, v: { runId: string; table: string; level: string; ok: boolean; sourceRows: number; targetRows: number; rejectedRows: number; detail: string; at: string }): Promise<void> {
    await conn.query(
      `INSERT INTO ${this.table('validations')} (run_id, table_id, level, ok, source_rows, target_rows, rejected_rows, detail, checked_at) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => this.p(i)).join(', ')})`,
      [v.runId, v.table, v.level, v.ok ? 'true' : 'false', v.sourceRows, v.targetRows, v.rejectedRows, v.detail, v.at],
    );
  }

  /** The stored stream position of one source's stream into this target, if change capture ever started. */
  async cdcPosition(conn: EngineConnection | TargetTransaction, streamKey: string): Promise<{ captureName: string; position: string; transactions: number } | undefined> {
    const [row] = await conn.query(`SELECT capture_name, stream_position, transactions FROM ${this.table('cdc_streams')} WHERE stream_key = ${this.p(1)}`, [streamKey]);
    if (!row) return undefined;
    return { captureName: String(row.capture_name), position: String(row.stream_position), transactions: Number(row.transactions ?? 0) };
  }

  /** Records where the stream stands — inside the transaction that applied the changes up to there. */
  async saveCdcPosition(conn: EngineConnection | TargetTransaction, p: { streamKey: string; source: string; plan: string; captureName: string; position: string; transactions: number; runId: string; at: string }): Promise<void> {
    await conn.query(`DELETE FROM ${this.table('cdc_streams')} WHERE stream_key = ${this.p(1)}`, [p.streamKey]);
    await conn.query(
      `INSERT INTO ${this.table('cdc_streams')} (stream_key, source_endpoint, plan_name, capture_name, stream_position, transactions, run_id, updated_at) VALUES (${[1, 2, 3, 4, 5, 6, 7, 8].map((i) => this.p(i)).join(', ')})`,
      [p.streamKey, p.source, p.plan, p.captureName, p.position, p.transactions, p.runId, p.at],
    );
  }

  /** Forgets the streams of a capture (teardown): the next apply starts afresh. */
  async forgetCdcPositions(conn: EngineConnection, captureName: string): Promise<number> {
    const rows = await conn.query(`SELECT stream_key FROM ${this.table('cdc_streams')} WHERE capture_name = ${this.p(1)}`, [captureName]);
    await conn.query(`DELETE FROM ${this.table('cdc_streams')} WHERE capture_name = ${this.p(1)}`, [captureName]);
    return rows.length;
  }

  /** The largest new key of a merge's key map (0 when nothing is mapped yet). */
  async largestNewKey(conn: EngineConnection, map: KeyMapScope): Promise<bigint> {
    const [row] = await conn.query(`SELECT MAX(new_key) AS k FROM ${this.table('key_map')} WHERE target_table = ${this.p(1)} AND merge_name = ${this.p(2)}`, [map.table, map.merge]);
    return row?.k === null || row?.k === undefined ? 0n : BigInt(String(row.k));
  }

  /** How many keys of one source a merge's key map holds. */
  async mappedKeys(conn: EngineConnection, map: KeyMapScope, source: string): Promise<number> {
    const [row] = await conn.query(`SELECT COUNT(*) AS n FROM ${this.table('key_map')} WHERE target_table = ${this.p(1)} AND merge_name = ${this.p(2)} AND source_name = ${this.p(3)}`, [map.table, map.merge, source]);
    return Number(row?.n ?? 0);
  }

  /** Records new keys, in one transaction (a batch is mapped entirely or not at all). */
  async recordKeys(conn: EngineConnection, map: KeyMapScope, source: string, entries: readonly { readonly sourceKey: string; readonly newKey: bigint }[], runId: string): Promise<void> {
    if (entries.length === 0) return;
    const values = entries.map((_, i) => `(${[1, 2, 3, 4, 5, 6].map((j) => this.p(i * 6 + j)).join(', ')})`).join(', ');
    const params = entries.flatMap((e) => [map.table, map.merge, source, e.sourceKey, e.newKey.toString(), runId]);
    await conn.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${this.table('key_map')} (target_table, merge_name, source_name, source_key, new_key, run_id) VALUES ${values}`, params);
    });
  }

  /** One page of a source's key map in new-key order, after `after` (paging keeps memory bounded). */
  async keyMapPage(conn: EngineConnection, map: KeyMapScope, source: string, after: bigint, limit: number): Promise<{ sourceKey: string; newKey: bigint }[]> {
    const rows = await conn.query(
      `SELECT source_key, new_key FROM ${this.table('key_map')} WHERE target_table = ${this.p(1)} AND merge_name = ${this.p(2)} AND source_name = ${this.p(3)} AND new_key > ${this.p(4)} ORDER BY new_key LIMIT ${Math.floor(limit)}`,
      [map.table, map.merge, source, after.toString()],
    );
    return rows.map((r) => ({ sourceKey: String(r.source_key), newKey: BigInt(String(r.new_key)) }));
  }

  keyMapTable(): string {
    return this.table('key_map');
  }

  rejectsTable(): string {
    return this.table('rejects');
  }
}

/** A control table that exists without the columns this version writes. */
export class ControlShapeError extends Error {
  constructor(
    readonly table: string,
    /** The table's own name, unqualified (`rejects`, or `_dmsplan_rejects` on SQLite). */
    readonly tableName: string,
    readonly columns: readonly string[],
    readonly reason: unknown,
  ) {
    super(`control table ${table} lacks columns this version of dmsplan writes (it needs ${columns.join(', ')})`);
  }
}

/** Whose key map: the merged table (`schema.table`) and the merge's name. */
export interface KeyMapScope {
  readonly table: string;
  readonly merge: string;
}

export interface ChunkRecord {
  /** From 0 for the chunks a copy planned; negative for adjustments made after it (see recordAdjustment). */
  readonly chunkNo: number;
  readonly lower: string | undefined;
  readonly upper: string | undefined;
  readonly done: boolean;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly checksum: string | undefined;
}

export interface RejectRecord {
  readonly runId: string;
  readonly stepFingerprint: string;
  readonly chunkNo: number;
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly key: string;
  readonly column: string | undefined;
  readonly value: string | undefined;
  readonly reason: string;
  readonly at: string;
}
