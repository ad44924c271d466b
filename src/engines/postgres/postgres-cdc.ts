/**
 * Change data capture from PostgreSQL, the pure half: LSN arithmetic, object names, the
 * prerequisite checks as data, and pgoutput tuples → canonical change rows. The driver half
 * (pg-logical-replication) is postgres-cdc-driver.ts, loaded lazily.
 */
import type { CaptureProblem, CaptureTable, ChangeRow, QualifiedName, ReadColumn } from '../contract.js';
import type { Value } from '../../types/logical.js';
import { textDecoderFor } from './postgres-copy-text.js';
import { qualifyPostgres, quotePostgresIdent } from './postgres-ddl.js';

/** `0/85554E10` or `00000000/85554E10` → a number (formats differ between the server and the library). */
export function lsnToBigInt(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  if (hi === undefined || lo === undefined || !/^[0-9A-Fa-f]+$/.test(hi) || !/^[0-9A-Fa-f]+$/.test(lo)) throw new Error(`not an LSN: ${lsn}`);
  return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
}

/** The server's own spelling: `0/85554E10`. */
export function bigIntToLsn(n: bigint): string {
  return `${(n >> 32n).toString(16).toUpperCase()}/${(n & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function compareLsn(a: string, b: string): number {
  const x = lsnToBigInt(a);
  const y = lsnToBigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * What to acknowledge to keep everything after `stored`: the library sends lsn+1 as the flushed
 * position, and a transaction whose commit starts exactly at `stored` would be skipped on restart.
 */
export function acknowledgeLsn(stored: string): string {
  const n = lsnToBigInt(stored);
  return bigIntToLsn(n > 0n ? n - 1n : 0n);
}

/** Slot and publication names: lower case, [a-z0-9_], at most 63 bytes (slot names allow no more). */
export function captureObjectName(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return clean.slice(0, 63);
}

/** Rows of the catalog queries the checks below read. */
export interface PostgresCaptureFacts {
  readonly walLevel: string;
  readonly user: string;
  readonly superuser: boolean;
  readonly replication: boolean;
  /** Per followed table: replica identity (d, n, f, i) and whether it has a primary key. */
  readonly tables: readonly { readonly table: QualifiedName; readonly identity: string; readonly hasPrimaryKey: boolean; readonly exists: boolean }[];
}

export const FACTS_SQL = {
  walLevel: 'SHOW wal_level',
  role: 'SELECT current_user AS usr, rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user',
  table: `SELECT c.relreplident::text AS identity, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_pk
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2`,
} as const;

export function postgresCaptureProblems(facts: PostgresCaptureFacts): CaptureProblem[] {
  const out: CaptureProblem[] = [];
  if (facts.walLevel !== 'logical') {
    out.push({
      check: 'log_level',
      message: `wal_level is ${facts.walLevel}: logical replication needs wal_level = logical`,
      fix: 'ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL',
    });
  }
  if (!facts.superuser && !facts.replication) {
    out.push({ check: 'privilege', message: `role ${facts.user} has neither REPLICATION nor superuser`, fix: `ALTER ROLE ${quotePostgresIdent(facts.user)} WITH REPLICATION;` });
  }
  for (const t of facts.tables) {
    if (!t.exists) continue;
    const fix = `ALTER TABLE ${qualifyPostgres(t.table)} REPLICA IDENTITY FULL;`;
    if (t.identity === 'n') out.push({ check: 'table_key', table: t.table, message: `${qualifyPostgres(t.table)} has REPLICA IDENTITY NOTHING: its updates and deletes cannot be captured`, fix });
    else if (t.identity === 'd' && !t.hasPrimaryKey) {
      out.push({ check: 'table_key', table: t.table, message: `${qualifyPostgres(t.table)} has no primary key, so the source refuses its updates and deletes once it is published`, fix });
    }
  }
  return out;
}

export interface PgoutputRelation {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly { readonly name: string }[];
}

/** Decodes pgoutput text values of the followed columns into canonical values; other columns are left out. */
export class RelationDecoder {
  private readonly decoders: ReadonlyMap<string, (text: string) => Value>;
  /** Columns of the relation the plan never saw (added on the source while following). */
  readonly newColumns: readonly string[];
  /**
   * Followed columns the server does not send: generated ones (pgoutput leaves them out). Their
   * values are read back from the source by key before the transaction goes out (read-back.ts).
   */
  readonly unsent: readonly ReadColumn[];

  constructor(
    readonly table: CaptureTable,
    relation: PgoutputRelation,
  ) {
    this.decoders = new Map(table.columns.map((c) => [c.name, textDecoderFor(c.logical)]));
    const known = new Set(table.knownColumns);
    this.newColumns = relation.columns.map((c) => c.name).filter((n) => !known.has(n));
    const sent = new Set(relation.columns.map((c) => c.name));
    this.unsent = table.columns.filter((c) => !sent.has(c.name));
  }

  /** `undefined` stays undefined: an unchanged TOASTed value the server did not send. */
  decode(tuple: Readonly<Record<string, unknown>> | null): ChangeRow | undefined {
    if (!tuple) return undefined;
    const out: Record<string, Value | undefined> = {};
    for (const [name, decode] of this.decoders) {
      const raw = tuple[name];
      out[name] = raw === undefined ? undefined : raw === null ? null : decode(String(raw));
    }
    return out;
  }
}
