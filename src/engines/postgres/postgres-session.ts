/**
 * What the read and write code needs from one PostgreSQL connection, so that they never import the
 * driver (postgres-driver.ts implements it over `pg` + `pg-copy-streams`).
 */
import type { Readable, Writable } from 'node:stream';

export type Rows = readonly Record<string, unknown>[];

export interface PgSession {
  /** The server process id (for pg_cancel_backend). */
  readonly pid: number;
  query(sql: string, params?: readonly unknown[]): Promise<Rows>;
  /** `COPY … TO STDOUT`: a stream of the raw COPY data, read by pull (the socket is read on demand). */
  copyOut(sql: string): Readable;
  /** `COPY … FROM STDIN`: 'finish' is emitted once the server has taken the data; destroy() aborts the COPY. */
  copyIn(sql: string): Writable;
}

export interface PgSessionSource {
  /** A connection of its own (not from the pool), with the session settings applied. */
  open(): Promise<PgSession & { close(): Promise<void> }>;
  /**
   * A connection of the pool, until `close` gives it back (or drops it, when it may be broken):
   * for a one-lane snapshot that lives for one step, which need not pay for a new connection.
   */
  lease(): Promise<PgSession & { close(broken?: boolean): Promise<void>; readonly pooled: true }>;
  /** Cancels whatever `pid` is running, from another connection. */
  cancel(pid: number): Promise<void>;
}
