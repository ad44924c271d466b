/**
 * Change data capture from PostgreSQL over logical replication (`pgoutput`, publication + slot),
 * the only file importing `pg-logical-replication`; loaded lazily by the engine's `cdc.open`.
 *
 * The traps of the library (see the project's CDC notes) and how they are avoided here:
 * - acknowledge(lsn) reports lsn+1 as flushed: we acknowledge `stored - 1` (acknowledgeLsn);
 * - a non-zero acknowledge timeout reports the last *received* LSN as flushed: timeoutSeconds = 0,
 *   and heartbeats are answered here with the last stored position;
 * - values go through pg's global type parsers: every relation's parsers are replaced by the
 *   identity, and the server's text is decoded like COPY text (exact, microseconds kept);
 * - delivery is at least once: transactions whose commit end is at or before `from` are skipped.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { EngineError, type CaptureSetup, type CaptureTable, type ChangeCapture, type ChangeStream, type ChangeStreamItem, type ConnectConfig, type SourceChange, type SourceSnapshot } from '../contract.js';
import { redactUrl, scrubSecrets } from '../url.js';
import { acknowledgeLsn, bigIntToLsn, captureObjectName, compareLsn, FACTS_SQL, lsnToBigInt, postgresCaptureProblems, RelationDecoder } from './postgres-cdc.js';
import { qualifyPostgres, quotePostgresIdent, quotePostgresString } from './postgres-ddl.js';
import { connectionOf, openPostgres } from './postgres-driver.js';
import { PostgresSnapshot } from './postgres-read.js';
import { textDecoderFor } from './postgres-copy-text.js';
import { keyText, withReadBack, type ReadBack } from '../read-back.js';
import type { QualifiedName, ReadColumn } from '../contract.js';
import type { Value } from '../../types/logical.js';

/** Marker prefix of the non-transactional messages `probe()` writes into the WAL. */
const PROBE_PREFIX = 'dmsplan_probe';
/** Transactions held in memory before the stream stops reading the socket (backpressure). */
const MAX_BUFFERED = 2000;
/** Rows per read-back of values the stream does not carry. */
const READ_BACK_ROWS_AT_ONCE = 500;

/** pgoutput with raw text values: pg's global parsers would turn timestamps into Dates (µs lost). */
class RawTextPgoutput extends PgoutputPlugin {
  override parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer);
    if (message.tag === 'relation') for (const c of message.columns) c.parser = (raw: unknown) => raw;
    return message;
  }
}

export async function openPostgresCapture(config: ConnectConfig): Promise<ChangeCapture> {
  const endpoint = redactUrl(config.url);
  const driver = await openPostgres({ ...config, poolSize: Math.max(2, config.poolSize) });
  const fail = (err: unknown, doing: string): EngineError => {
    if (err instanceof EngineError) return err;
    const e = err as { code?: string; message?: string };
    const message = scrubSecrets(`${doing} ${endpoint}: ${e?.message ?? String(err)}`, [config.url]);
    return new EngineError(message, 'query', typeof e?.code === 'string' ? e.code : undefined, endpoint);
  };
  const clientConfig: pg.ClientConfig = { ...connectionOf(config), application_name: `${config.applicationName} cdc`, connectionTimeoutMillis: 15000 };

  const names = (setup: Pick<CaptureSetup, 'name'>) => {
    const name = captureObjectName(setup.name);
    return { slot: name, publication: name };
  };

  return {
    async check(tables) {
      const [wal] = await driver.query(FACTS_SQL.walLevel);
      const [role] = await driver.query(FACTS_SQL.role);
      const facts = await Promise.all(
        tables.map(async (t) => {
          const [row] = await driver.query(FACTS_SQL.table, [t.table.schema ?? 'public', t.table.name]);
          return { table: t.table, identity: String(row?.identity ?? 'd'), hasPrimaryKey: row?.has_pk === true, exists: row !== undefined };
        }),
      );
      return postgresCaptureProblems({
        walLevel: String(wal?.wal_level ?? ''),
        user: String(role?.usr ?? ''),
        superuser: role?.rolsuper === true,
        replication: role?.rolreplication === true,
        tables: facts,
      });
    },

    async start(setup, lanes) {
      const { slot, publication } = names(setup);
      const tableList = setup.tables.map((t) => qualifyPostgres(t.table)).join(', ');
      // A slot of this name in use is another follower's (this plan applied into another target
      // database): ending it and making the slot anew would move its stream past changes that
      // follower has not applied yet.
      const [held] = await driver.query('SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [slot]);
      if (held) throw slotInUse(slot, endpoint, String(held.active_pid));
      try {
        await dropSlot(driver, slot);
        await driver.query(`DROP PUBLICATION IF EXISTS ${quotePostgresIdent(publication)}`);
        await driver.query(`CREATE PUBLICATION ${quotePostgresIdent(publication)} FOR TABLE ${tableList}${viaPartitionRoot(driver.serverVersion) ? ' WITH (publish_via_partition_root = true)' : ''}`);
      } catch (err) {
        throw fail(err, 'cannot create the publication on');
      }
      const replication = new pg.Client({ ...clientConfig, replication: 'database' } as pg.ClientConfig);
      replication.on('error', () => undefined);
      try {
        await replication.connect();
        // Nothing else may run on this connection before the snapshot is imported.
        const result = await replication.query(`CREATE_REPLICATION_SLOT ${quotePostgresIdent(slot)} LOGICAL pgoutput (SNAPSHOT 'export')`);
        const row = result.rows[0] as { consistent_point?: string; snapshot_name?: string } | undefined;
        if (!row?.consistent_point || !row.snapshot_name) throw new Error('CREATE_REPLICATION_SLOT returned no snapshot');
        const position = bigIntToLsn(lsnToBigInt(row.consistent_point));
        let snapshot: SourceSnapshot | undefined;
        if (lanes > 0) snapshot = await PostgresSnapshot.openImported(driver, lanes, driver.fail, row.snapshot_name, { kind: 'pg_lsn', lsn: position });
        return { position, snapshot };
      } catch (err) {
        throw fail(err, 'cannot create the replication slot on');
      } finally {
        await replication.end().catch(() => undefined);
      }
    },

    async refresh(setup) {
      const { publication } = names(setup);
      try {
        await driver.query(`ALTER PUBLICATION ${quotePostgresIdent(publication)} SET TABLE ${setup.tables.map((t) => qualifyPostgres(t.table)).join(', ')}`);
        // A publication an earlier version made without it.
        if (viaPartitionRoot(driver.serverVersion)) await driver.query(`ALTER PUBLICATION ${quotePostgresIdent(publication)} SET (publish_via_partition_root = true)`);
      } catch (err) {
        throw fail(err, 'cannot update the publication on');
      }
    },

    async stream(setup, from) {
      const { slot, publication } = names(setup);
      const [exists] = await driver.query('SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1', [slot]);
      if (exists && exists.active_pid !== null && exists.active_pid !== undefined) throw slotInUse(slot, endpoint, String(exists.active_pid));
      if (!exists) {
        throw new EngineError(
          `the replication slot ${slot} no longer exists on ${endpoint}: changes since the last stored position are lost; run 'dmsplan teardown' and apply again with prepare = drop_and_create on the target for a new full load`,
          'unsupported',
          undefined,
          endpoint,
        );
      }
      return new PostgresChangeStream(clientConfig, driver, setup, slot, publication, from, fail, endpoint);
    },

    compare: compareLsn,

    async teardown(setup) {
      const { slot, publication } = names(setup);
      const out: string[] = [];
      try {
        if (await dropSlot(driver, slot)) out.push(`replication slot ${slot}`);
        const [pub] = await driver.query('SELECT 1 AS one FROM pg_publication WHERE pubname = $1', [publication]);
        if (pub) {
          await driver.query(`DROP PUBLICATION ${quotePostgresIdent(publication)}`);
          out.push(`publication ${publication}`);
        }
      } catch (err) {
        throw fail(err, 'teardown failed on');
      }
      return out;
    },

    async close() {
      await driver.end();
    },
  };
}

/** The server's own words ("slot … is active for PID n") do not say who holds it or what to do. */
function slotInUse(slot: string, endpoint: string, pid: string): EngineError {
  return new EngineError(
    `the replication slot ${slot} on ${endpoint} is in use by server process ${pid}: another 'dmsplan apply' of this plan (or another reader of the slot) is following this source. Stop it, or wait for it to end, then run apply again (if it was killed, the server frees the slot within wal_sender_timeout; SELECT pg_terminate_backend(${pid}); frees it at once)`,
    'unsupported',
    undefined,
    endpoint,
  );
}

/** Drops the slot if it exists, ending a walsender still attached to it (a follower killed -9). */
async function dropSlot(driver: Awaited<ReturnType<typeof openPostgres>>, slot: string): Promise<boolean> {
  const [row] = await driver.query('SELECT active_pid FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  if (!row) return false;
  if (row.active_pid !== null && row.active_pid !== undefined) {
    await driver.query('SELECT pg_terminate_backend($1)', [row.active_pid]);
    await new Promise((r) => setTimeout(r, 200));
  }
  await driver.query(`SELECT pg_drop_replication_slot(${quotePostgresString(slot)})`);
  return true;
}

class PostgresChangeStream implements ChangeStream {
  private readonly service: LogicalReplicationService;
  private readonly items: ChangeStreamItem[] = [];
  private waiter: (() => void) | undefined;
  private roomWaiter: (() => void) | undefined;
  private failure: Error | undefined;
  private confirmed: string;
  private readonly decoders = new Map<number, RelationDecoder | null>();
  /** The latest decoder of each followed table, by its qualified name (for reading back what the server does not send). */
  private readonly decoderOfTable = new Map<string, RelationDecoder>();
  /** Each table's key (primary, else its replica identity index) and whether a query of it needs ONLY (a plain table others inherit from). */
  private readonly keys = new Map<string, Promise<{ readonly key: readonly ReadColumn[]; readonly only: boolean }>>();
  private open: { changes: SourceChange[]; committedAt: number; newColumnsSeen: Set<string> } | undefined;
  private closed = false;
  private readonly probeId = `probe ${randomUUID()}`;

  constructor(
    clientConfig: pg.ClientConfig,
    private readonly driver: Awaited<ReturnType<typeof openPostgres>>,
    private readonly setup: CaptureSetup,
    slot: string,
    publication: string,
    private readonly from: string,
    private readonly fail: (err: unknown, doing: string) => EngineError,
    private readonly endpoint: string,
  ) {
    this.confirmed = from;
    this.service = new LogicalReplicationService(clientConfig, { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } });
    this.service.on('data', (_lsn: string, message: Pgoutput.Message) => this.onMessage(message));
    this.service.on('heartbeat', (_lsn: string, _ts: number, shouldRespond: boolean) => {
      if (shouldRespond) void this.service.acknowledge(acknowledgeLsn(this.confirmed)).catch(() => undefined);
    });
    this.service.on('error', (err: Error) => this.setFailure(err));
    const plugin = new RawTextPgoutput({ protoVersion: 1, publicationNames: [publication], messages: true });
    // The server decides where to start (the slot's confirmed position); the LSN given is a floor.
    this.service.subscribe(plugin, slot, acknowledgeLsn(from)).then(
      () => this.setFailure(new Error('the replication stream ended')),
      (err: unknown) => this.setFailure(err),
    );
  }

  private setFailure(err: unknown): void {
    if (this.closed || this.failure) return;
    this.failure = this.fail(err, 'change stream failed on');
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private push(item: ChangeStreamItem): void {
    this.items.push(item);
    this.wake();
  }

  private decoder(relation: Pgoutput.MessageRelation): RelationDecoder | null {
    let d = this.decoders.get(relation.relationOid);
    if (d === undefined) {
      const table = this.setup.tables.find((t: CaptureTable) => (t.table.schema ?? 'public') === relation.schema && t.table.name === relation.name);
      d = table ? new RelationDecoder(table, relation) : null;
      this.decoders.set(relation.relationOid, d);
      if (d) this.decoderOfTable.set(qualifyPostgres(d.table.table), d);
    }
    return d;
  }

  /** Awaited by the library (flow control): holding it pauses the socket while the buffer is full. */
  private async onMessage(message: Pgoutput.Message): Promise<void> {
    switch (message.tag) {
      case 'begin':
        this.open = { changes: [], committedAt: Number(BigInt(message.commitTime as bigint) / 1000n), newColumnsSeen: new Set() };
        return;
      case 'relation':
        // Sent again after DDL: a fresh decoder sees the relation's new column list.
        this.decoders.delete(message.relationOid);
        return;
      case 'insert':
      case 'update':
      case 'delete': {
        const d = this.decoder(message.relation);
        if (!d || !this.open) return;
        if (d.newColumns.length && !this.open.newColumnsSeen.has(d.table.table.name)) {
          this.open.newColumnsSeen.add(d.table.table.name);
          this.open.changes.push({ kind: 'new_columns', table: d.table.table, columns: d.newColumns });
        }
        if (message.tag === 'delete') {
          const key = d.decode(message.key ?? message.old);
          if (key) this.open.changes.push({ kind: 'delete', table: d.table.table, key });
        } else {
          const row = d.decode(message.new);
          // The old key comes as a key tuple (REPLICA IDENTITY DEFAULT or USING INDEX, only when it
          // changed) or, with REPLICA IDENTITY FULL, inside the whole old row, sent with every update.
          const oldKey = message.tag === 'update' ? d.decode(message.key ?? message.old) : undefined;
          if (row) this.open.changes.push({ kind: 'upsert', table: d.table.table, row, oldKey });
        }
        return;
      }
      case 'truncate': {
        if (!this.open) return;
        const tables = message.relations.map((r) => this.decoder(r)?.table.table).filter((t): t is NonNullable<typeof t> => t !== undefined);
        if (tables.length) this.open.changes.push({ kind: 'truncate', tables });
        return;
      }
      case 'message':
        // Only this stream's own probes count: an older run's markers are replayed after a restart.
        if (message.prefix === PROBE_PREFIX && !message.transactional && Buffer.from(message.content).toString('utf8') === this.probeId) {
          this.push({ kind: 'caught_up', ...(message.messageLsn ? { position: bigIntToLsn(lsnToBigInt(message.messageLsn)) } : {}) });
        }
        return;
      case 'commit': {
        const open = this.open;
        this.open = undefined;
        if (!open || !message.commitEndLsn) return;
        const position = bigIntToLsn(lsnToBigInt(message.commitEndLsn));
        // At least once: what was stored already is skipped.
        if (compareLsn(position, this.from) <= 0) return;
        this.push({ kind: 'transaction', position, committedAt: open.committedAt, changes: open.changes });
        if (this.items.length >= MAX_BUFFERED) await new Promise<void>((resolve) => (this.roomWaiter = resolve));
        return;
      }
      case 'origin':
      case 'type':
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  }

  async next(waitMs: number): Promise<ChangeStreamItem | undefined> {
    if (this.items.length === 0 && !this.failure && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = undefined;
          resolve();
        }, waitMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const item = this.items.shift();
    if (this.items.length < MAX_BUFFERED / 2 && this.roomWaiter) {
      const r = this.roomWaiter;
      this.roomWaiter = undefined;
      r();
    }
    if (item?.kind === 'transaction') {
      const changes = await withReadBack(item.changes, this.readBack);
      return changes === item.changes ? item : { ...item, changes };
    }
    if (item) return item;
    if (this.failure) throw this.failure;
    return undefined;
  }

  private readonly readBack: ReadBack = {
    columns: (table) => this.decoderOfTable.get(qualifyPostgres(table))?.unsent ?? [],
    followed: (table) => this.decoderOfTable.get(qualifyPostgres(table))?.table.columns ?? [],
    key: async (table) => (await this.keyOf(table)).key,
    read: async (table, key, columns, keys) => {
      const { only } = await this.keyOf(table);
      const out = new Map<string, readonly Value[]>();
      const decode = (c: ReadColumn, v: unknown): Value => (v === null || v === undefined ? null : textDecoderFor(c.logical)(String(v)));
      for (let i = 0; i < keys.length; i += READ_BACK_ROWS_AT_ONCE) {
        const some = keys.slice(i, i + READ_BACK_ROWS_AT_ONCE);
        let n = 0;
        const tuples = some.map(() => `(${key.map(() => `$${++n}`).join(', ')})`).join(', ');
        const list = [...key.map((k, j) => `${quotePostgresIdent(k.name)}::text AS k${j}`), ...columns.map((c, j) => `${quotePostgresIdent(c.name)}::text AS g${j}`)].join(', ');
        const sql = `SELECT ${list} FROM ${only ? 'ONLY ' : ''}${qualifyPostgres(table)} WHERE (${key.map((k) => quotePostgresIdent(k.name)).join(', ')}) IN (${tuples})`;
        const params = some.flatMap((values) => values.map((v) => (v === null ? null : Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : String(v))));
        let rows: readonly Record<string, unknown>[];
        try {
          rows = await this.driver.query(sql, params);
        } catch (err) {
          throw this.fail(err, 'cannot read generated values from');
        }
        for (const r of rows) out.set(keyText(key.map((k, j) => decode(k, r[`k${j}`]))), columns.map((c, j) => decode(c, r[`g${j}`])));
      }
      return out;
    },
  };

  private keyOf(table: QualifiedName): Promise<{ readonly key: readonly ReadColumn[]; readonly only: boolean }> {
    const qualified = qualifyPostgres(table);
    let known = this.keys.get(qualified);
    if (!known) {
      known = (async () => {
        const rows = await this.driver.query(
          `SELECT a.attname AS name, c.relkind::text AS kind FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
           CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
           WHERE i.indexrelid = (SELECT x.indexrelid FROM pg_catalog.pg_index x WHERE x.indrelid = $1::regclass AND (x.indisprimary OR x.indisreplident) ORDER BY x.indisprimary DESC LIMIT 1)
           ORDER BY k.n`,
          [qualified],
        );
        const [inherited] = await this.driver.query('SELECT 1 AS one FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhparent WHERE i.inhparent = $1::regclass AND c.relkind = $2', [qualified, 'r']);
        const columns = this.decoderOfTable.get(qualified)?.table.columns ?? [];
        const key = rows.map((r) => columns.find((c) => c.name === String(r.name)));
        if (key.length === 0 || key.some((c) => c === undefined)) {
          throw new EngineError(
            `${qualified} has values the change stream does not carry (generated columns, or unchanged TOASTed values) but no primary key or replica identity index among its followed columns: they cannot be read back by key. Add a primary key, or set REPLICA IDENTITY FULL on the table so that every change carries them`,
            'unsupported',
            undefined,
            this.endpoint,
          );
        }
        return { key: key as ReadColumn[], only: inherited !== undefined };
      })();
      this.keys.set(qualified, known);
    }
    return known;
  }

  async confirm(position: string): Promise<void> {
    if (compareLsn(position, this.confirmed) <= 0) return;
    this.confirmed = position;
    await this.service.acknowledge(acknowledgeLsn(position)).catch(() => undefined);
  }

  async probe(): Promise<void> {
    try {
      await this.driver.query(`SELECT pg_logical_emit_message(false, ${quotePostgresString(PROBE_PREFIX)}, ${quotePostgresString(this.probeId)})`);
    } catch (err) {
      throw this.fail(err, 'cannot probe the change stream on');
    }
  }

  buffered(): number {
    return this.items.reduce((n, i) => n + (i.kind === 'transaction' ? 1 : 0), 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.roomWaiter?.();
    await this.service.destroy().catch(() => undefined);
  }
}

/**
 * A partitioned table is mapped as one table (its partitions are not mapped on their own), so its
 * changes must be published under its own name: without publish_via_partition_root (PostgreSQL 13+)
 * they come under each partition's name, which no mapping follows — and were dropped.
 */
export function viaPartitionRoot(serverVersion: string): boolean {
  const major = Number.parseInt(serverVersion, 10);
  return Number.isNaN(major) || major >= 13;
}
