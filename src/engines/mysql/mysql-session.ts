/**
 * One server connection as the rest of the engine sees it. Only mysql-driver.ts implements it (and
 * imports mysql2); reading, writing and introspection are written against this interface.
 */
import type { RawTextRows } from '../contract.js';

export type SqlParam = string | number | null;

/** A row as the server sent it: every value its wire bytes (text protocol), or null. */
export type RawRow = (Buffer | null)[];

/**
 * A column of a binary-protocol read as its reader expects it: its layout (binaryFieldLayout) and,
 * for numbers, whether it is unsigned (undefined: not checked).
 */
export interface BinaryColumn {
  readonly layout: number;
  readonly unsigned: boolean | undefined;
}

export interface MysqlSession {
  /** Rows as objects; numbers, dates and JSON kept as the server's text. */
  query(sql: string, params?: readonly SqlParam[]): Promise<Record<string, unknown>[]>;
  /**
   * Streams the rows of `sql` in batches of about `batchRows`, pull-based: at most `maxQueued`
   * batches wait for the consumer before the socket is paused. Ending the iteration early drains
   * the rest of the result so the connection stays usable.
   */
  stream(sql: string, batchRows: number, maxQueued: number): AsyncIterable<RawRow[]>;
  /** Like stream(), but each batch records where each field's bytes are, without decoding them. */
  streamRaw(sql: string, batchRows: number, maxQueued: number): AsyncIterable<RawTextRows>;
  /**
   * Like streamRaw(), through a prepared statement: the binary protocol, numbers and dates in
   * binary forms (mysql-raw-rows.ts). `columns` is what the reader expects of each column. A result
   * that differs, or a statement refused before its result begins (not preparable, no prepared
   * statements on this server), fails with EngineError('unsupported') and no rows.
   */
  streamRawBinary(sql: string, columns: readonly BinaryColumn[], batchRows: number, maxQueued: number): AsyncIterable<RawTextRows>;
  /** Runs a `LOAD DATA LOCAL INFILE` statement whose file is `data`; returns affected rows and warnings. */
  loadLocalInfile(sql: string, data: () => AsyncIterable<Buffer>): Promise<{ readonly affectedRows: number; readonly warnings: number }>;
  /** Returns a pooled connection to its pool, or closes a dedicated one. */
  release(): Promise<void>;
}
