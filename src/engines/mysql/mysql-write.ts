/**
 * Bulk writes into a MySQL / MariaDB target: canonical rows become a tab-separated stream for
 * `LOAD DATA LOCAL INFILE` (pulled batch by batch, so memory stays flat), or multi-row INSERTs of
 * about 1 MB when the server refuses LOCAL INFILE.
 *
 * LOAD DATA LOCAL cannot stop the file half way, so the server turns data errors and duplicate keys
 * into warnings; any warning is therefore a refusal here (EngineError 'data'), and the caller's
 * transaction (or savepoint) undoes the rows already loaded.
 */
import { EngineError, type QualifiedName, type WriteColumn } from '../contract.js';
import { checkClauseColumns, mysqlRefusal } from './mysql-refusal.js';
import type { Row, Value } from '../../types/logical.js';
import { mysqlDialect, quoteMysqlIdent } from './mysql-ddl.js';
import type { MysqlSession } from './mysql-session.js';
import { isMysqlSpatial, quoteMysqlString } from './mysql-types.js';

/** A canonical value as the text MySQL parses for the column (undefined = NULL). */
type Encoder = (v: Exclude<Value, null>) => string | Buffer;

function textOf(v: Exclude<Value, null>): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return JSON.stringify(v);
}

/** Canonical array values → JSON (this engine stores arrays as JSON). */
function arrayJson(v: Exclude<Value, null>): string {
  const plain = (x: Value): unknown => (x === null || typeof x !== 'object' || Buffer.isBuffer(x) ? (Buffer.isBuffer(x) ? x.toString('base64') : x) : x.map(plain));
  return JSON.stringify(plain(v));
}

export function encoderFor(column: WriteColumn): Encoder {
  switch (column.logical.kind) {
    case 'bool':
      return (v) => (v === true || v === '1' || v === 't' || v === 'true' ? '1' : '0');
    case 'timestamptz':
      // Canonical timestamptz is UTC with '+00:00'; the session's time_zone is UTC and DATETIME
      // (what this engine creates) holds UTC, so the offset is dropped (MariaDB refuses it).
      return (v) => textOf(v).replace(/(?:\+00:00|Z)$/, '');
    case 'set':
      return (v) => (Array.isArray(v) ? v.map((x) => textOf(x ?? '')).join(',') : textOf(v));
    case 'array':
      return (v) => (Array.isArray(v) ? arrayJson(v) : textOf(v));
    case 'binary':
      return (v) => (Buffer.isBuffer(v) ? v : textOf(v));
    case 'float':
      // The shortest float32 text ('3.4028235e+38') is above FLT_MAX as a double, and MySQL range-checks
      // the double before rounding: a FLOAT column gets the float's exact double value instead.
      return column.native.name === 'float' ? (v) => float32Exact(textOf(v)) : textOf;
    case 'int':
    case 'decimal':
    case 'text':
    case 'date':
    case 'time':
    case 'interval':
    case 'timestamp':
    case 'year':
    case 'uuid':
    case 'json':
    case 'enum':
    case 'bit':
    case 'other':
      return textOf;
    default: {
      const never: never = column.logical;
      return never;
    }
  }
}

function float32Exact(text: string): string {
  const x = Number(text);
  if (!Number.isFinite(x) || text.trim() === '') return text;
  const f = Math.fround(x);
  return Object.is(f, -0) ? '-0' : String(f);
}

function isBitColumn(column: WriteColumn): boolean {
  return column.native.name === 'bit';
}

// ───────────────────────────── LOAD DATA ─────────────────────────────

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;

/** Characters a field escapes for `FIELDS ESCAPED BY '\\'`: backslash, tab, newline, CR and NUL. */
const NEEDS_ESCAPE = /[\\\t\n\r\0]/;

/** Writes `bytes` escaped for `FIELDS ESCAPED BY '\\'` into `out` at `pos` (room for twice their length); returns the new end. */
function escapeInto(bytes: Uint8Array, out: Buffer, pos: number): number {
  let j = pos;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    switch (b) {
      case BACKSLASH:
        out[j++] = BACKSLASH;
        out[j++] = BACKSLASH;
        break;
      case TAB:
        out[j++] = BACKSLASH;
        out[j++] = 0x74; // t
        break;
      case NEWLINE:
        out[j++] = BACKSLASH;
        out[j++] = 0x6e; // n
        break;
      case 0x0d:
        out[j++] = BACKSLASH;
        out[j++] = 0x72; // r
        break;
      case 0:
        out[j++] = BACKSLASH;
        out[j++] = 0x30; // 0
        break;
      default:
        out[j++] = b;
    }
  }
  return j;
}

/**
 * One batch as LOAD DATA lines, written into one buffer. A Buffer per field (and per escape) cost
 * more in garbage collection than the encoding itself: 3.1 s of 8 s of CPU for 1M rows.
 */
export function encodeBatch(rows: readonly Row[], encoders: readonly Encoder[]): Buffer {
  let out = Buffer.allocUnsafe(64 * 1024);
  let pos = 0;
  const room = (n: number): void => {
    if (pos + n <= out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(out.length * 2, pos + n));
    out.copy(grown, 0, 0, pos);
    out = grown;
  };
  for (const row of rows) {
    for (let i = 0; i < encoders.length; i++) {
      if (i > 0) {
        room(1);
        out[pos++] = TAB;
      }
      const v = row[i];
      if (v === null || v === undefined) {
        room(2);
        out[pos++] = BACKSLASH;
        out[pos++] = 0x4e; // N
        continue;
      }
      const encoded = encoders[i]!(v);
      if (typeof encoded !== 'string') {
        room(encoded.length * 2);
        pos = escapeInto(encoded, out, pos);
      } else if (NEEDS_ESCAPE.test(encoded)) {
        const bytes = Buffer.from(encoded, 'utf8');
        room(bytes.length * 2);
        pos = escapeInto(bytes, out, pos);
      } else {
        room(encoded.length * 3); // UTF-16 units → at most 3 UTF-8 bytes each
        pos += out.write(encoded, pos, 'utf8');
      }
    }
    room(1);
    out[pos++] = NEWLINE;
  }
  return out.subarray(0, pos);
}

/**
 * '0'/'1' text → the big-endian bytes LOAD DATA stores into a BIT column as they are. (The other
 * way, a variable converted in a SET clause, makes MariaDB ignore NO_AUTO_VALUE_ON_ZERO.)
 */
function bitBytes(bits: string): Buffer | string {
  if (!/^[01]*$/.test(bits)) return bits;
  const padded = bits.padStart(Math.ceil(bits.length / 8) * 8, '0');
  const out = Buffer.alloc(padded.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(i * 8, i * 8 + 8), 2);
  return out;
}

/**
 * The file is read as binary — bytes land as they are, which a BLOB needs — and its text is UTF-8.
 * That is right for every utf8mb4 (and utf8mb3) column; one in another character set (a latin1
 * column kept from a MySQL source) gets its field as UTF-8 text, which the server converts.
 */
function loadDataSql(table: QualifiedName, columns: readonly WriteColumn[]): string {
  const variable = (i: number) => `@dmsplan_${i}`;
  const viaVariable = (c: WriteColumn) => isMysqlSpatial(c.native.name) || isOtherCharset(c) || TEXT_FORM_TYPES.has(c.native.name);
  // A spatial field is its (extended) well-known text, made a geometry by the SET clause.
  const set = columns.flatMap((c, i) =>
    isMysqlSpatial(c.native.name)
      ? [`${quoteMysqlIdent(c.name)} = ${geometryFromText(variable(i))}`]
      : isOtherCharset(c) || TEXT_FORM_TYPES.has(c.native.name)
        ? [`${quoteMysqlIdent(c.name)} = CONVERT(${variable(i)} USING utf8mb4)`]
        : [],
  );
  return (
    `LOAD DATA LOCAL INFILE 'dmsplan-rows' INTO TABLE ${mysqlDialect.qualify(table)} CHARACTER SET binary ` +
    `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ` +
    `(${columns.map((c, i) => (viaVariable(c) ? variable(i) : quoteMysqlIdent(c.name))).join(', ')})` +
    (set.length ? ` SET ${set.join(', ')}` : '')
  );
}

/**
 * MariaDB's inet4, inet6 and uuid read a binary string as their stored bytes (4 or 16 of them) and
 * refuse '::1' in the file's binary character set: their field is made text first.
 */
const TEXT_FORM_TYPES: ReadonlySet<string> = new Set(['inet4', 'inet6', 'uuid']);

/** A column whose collation names a character set other than UTF-8 (MySQL collations start with theirs). */
function isOtherCharset(c: WriteColumn): boolean {
  return c.collation !== undefined && !/^utf8(mb[34])?_/.test(c.collation);
}

/** A geometry from WKT, or from PostGIS's extended WKT (`SRID=n;…`, as the reader writes a spatial reference). */
function geometryFromText(text: string): string {
  return `IF(${text} LIKE 'SRID=%', ST_GeomFromText(SUBSTRING(${text}, LOCATE(';', ${text}) + 1), CAST(SUBSTRING(${text}, 6, LOCATE(';', ${text}) - 6) AS UNSIGNED)), ST_GeomFromText(${text}))`;
}

/** Server errors meaning "LOCAL INFILE is not allowed here". */
const LOCAL_INFILE_REFUSED = new Set(['1148', '3948', '4166', 'ER_NOT_ALLOWED_COMMAND', 'ER_CLIENT_LOCAL_FILES_DISABLED', 'ER_LOAD_INFILE_CAPABILITY_DISABLED']);

export function isLocalInfileRefused(err: unknown): boolean {
  return err instanceof EngineError && err.dbCode !== undefined && LOCAL_INFILE_REFUSED.has(err.dbCode);
}

/** The most LOAD DATA file bytes sent in one packet. */
const FILE_PIECE_BYTES = 1024 * 1024;

async function loadData(session: MysqlSession, table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>, endpoint: string): Promise<number> {
  const encoders = columns.map((c): Encoder => {
    const encode = encoderFor(c);
    return isBitColumn(c) ? (v) => {
      const e = encode(v);
      return typeof e === 'string' ? bitBytes(e) : e;
    } : encode;
  });
  async function* lines(): AsyncGenerator<Buffer> {
    for await (const batch of batches) {
      if (!batch.length) continue;
      // Each piece travels as one packet, which max_allowed_packet bounds (4 MB on MySQL 5.7):
      // a batch of wide rows is sent in slices. The server joins them; a line may span many.
      const encoded = encodeBatch(batch, encoders);
      for (let at = 0; at < encoded.length; at += FILE_PIECE_BYTES) yield encoded.subarray(at, at + FILE_PIECE_BYTES);
    }
  }
  const result = await session.loadLocalInfile(loadDataSql(table, columns), lines);
  if (result.warnings > 0) await refuseOnWarnings(session, endpoint);
  return result.affectedRows;
}

async function refuseOnWarnings(session: MysqlSession, endpoint: string): Promise<void> {
  const warnings = await session.query('SHOW WARNINGS LIMIT 3');
  const serious = warnings.filter((w) => String(w.Level) !== 'Note');
  if (serious.length === 0) return;
  const first = serious[0]!;
  throw new EngineError(`${String(first.Message)}${serious.length > 1 ? ` (and more)` : ''}`, 'data', String(first.Code), endpoint);
}

// ───────────────────────────── INSERT fallback ─────────────────────────────

const INSERT_BYTES = 1 << 20;

function sqlLiteral(column: WriteColumn, encode: Encoder, v: Value): string {
  if (v === null) return 'NULL';
  const encoded = encode(v);
  if (Buffer.isBuffer(encoded)) return `X'${encoded.toString('hex')}'`;
  if (isBitColumn(column)) return /^[01]+$/.test(encoded) ? `b'${encoded}'` : quoteMysqlString(encoded);
  if (isMysqlSpatial(column.native.name)) return geometryFromText(quoteMysqlString(encoded));
  return quoteMysqlString(encoded);
}

async function insertRows(session: MysqlSession, table: QualifiedName, columns: readonly WriteColumn[], batches: AsyncIterable<readonly Row[]>): Promise<number> {
  const encoders = columns.map(encoderFor);
  const head = `INSERT INTO ${mysqlDialect.qualify(table)} (${columns.map((c) => quoteMysqlIdent(c.name)).join(', ')}) VALUES `;
  let tuples: string[] = [];
  let bytes = 0;
  let written = 0;
  const flush = async () => {
    if (tuples.length === 0) return;
    await session.query(head + tuples.join(','));
    written += tuples.length;
    tuples = [];
    bytes = 0;
  };
  for await (const batch of batches) {
    for (const row of batch) {
      const tuple = `(${columns.map((c, i) => sqlLiteral(c, encoders[i]!, row[i] ?? null)).join(',')})`;
      tuples.push(tuple);
      bytes += tuple.length;
      if (bytes >= INSERT_BYTES) await flush();
    }
  }
  await flush();
  return written;
}

// ───────────────────────────── entry point ─────────────────────────────

export interface WriteState {
  /** Set once the server refused LOCAL INFILE: later writes go straight to INSERT. */
  localInfileRefused: boolean;
}

/**
 * Writes canonical rows into `table`. Foreign key checks are off during the load (rows of related
 * tables arrive in any order; keys are added after the data) and back on afterwards. unique_checks
 * stays on: secondary unique keys are created after the load anyway, and the primary key must be
 * checked for the copy to be exact.
 */
export async function writeMysqlRows(
  session: MysqlSession,
  state: WriteState,
  table: QualifiedName,
  columns: readonly WriteColumn[],
  batches: AsyncIterable<readonly Row[]>,
  endpoint: string,
): Promise<number> {
  await session.query('SET SESSION foreign_key_checks = 0');
  try {
    if (!state.localInfileRefused) {
      const iterator = batches[Symbol.asyncIterator]();
      // Peek at the first batch so that a refusal of LOCAL INFILE can still replay it through INSERT.
      const first = await iterator.next();
      if (first.done) return 0;
      const replay: AsyncIterable<readonly Row[]> = {
        [Symbol.asyncIterator]: () => {
          let sentFirst = false;
          return {
            next: async () => {
              if (!sentFirst) {
                sentFirst = true;
                return first;
              }
              return iterator.next();
            },
            return: async () => (iterator.return ? iterator.return() : { done: true, value: undefined }),
          };
        },
      };
      try {
        return await loadData(session, table, columns, replay, endpoint);
      } catch (err) {
        if (!isLocalInfileRefused(err)) {
          // Let the producer (often a source read) finish cleanly instead of hanging mid-result.
          await iterator.return?.().catch(() => undefined);
          throw err;
        }
        state.localInfileRefused = true;
        // The server refused before reading the file: the first batch was not consumed beyond `first`.
        return await insertRows(session, table, columns, replay);
      }
    }
    return await insertRows(session, table, columns, batches);
  } finally {
    await session.query('SET SESSION foreign_key_checks = 1').catch(() => undefined);
  }
}

// ───────────────────────────── change data capture: upsert and delete by key ─────────────────────────────

/**
 * INSERT … ON DUPLICATE KEY UPDATE in statements of about INSERT_BYTES: replaying the same rows is
 * harmless. Foreign key checks are off like for the load: the changes replay what the source already
 * checked, and one batch groups the rows of a table together.
 */
export async function upsertMysqlRows(session: MysqlSession, table: QualifiedName, columns: readonly WriteColumn[], keyColumns: readonly string[], rows: readonly Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const encoders = columns.map(encoderFor);
  // Every column, the key's too. ON DUPLICATE KEY UPDATE takes the row of ANY unique key the new
  // one collides with: when a unique value moves between rows within a batch (applied collapsed,
  // not in source order) it found the row still holding the value and gave it the new row's values
  // under its own key — the new row was lost, silently. Given the new key as well, that row
  // becomes the new one, and its own last image (in the same batch, since its value moved) comes
  // back under its key; a collision with two rows at once is a duplicate-key error, which the
  // follower answers by applying the batch in source order.
  const updates = columns.map((c) => `${quoteMysqlIdent(c.name)} = VALUES(${quoteMysqlIdent(c.name)})`);
  const head = `INSERT INTO ${mysqlDialect.qualify(table)} (${columns.map((c) => quoteMysqlIdent(c.name)).join(', ')}) VALUES `;
  const tail = ` ON DUPLICATE KEY UPDATE ${updates.join(', ')}`;
  await session.query('SET SESSION foreign_key_checks = 0');
  try {
    let tuples: string[] = [];
    let bytes = 0;
    const flush = async () => {
      if (tuples.length) await session.query(head + tuples.join(',') + tail);
      tuples = [];
      bytes = 0;
    };
    for (const row of rows) {
      const tuple = `(${columns.map((c, i) => sqlLiteral(c, encoders[i]!, row[i] ?? null)).join(',')})`;
      tuples.push(tuple);
      bytes += tuple.length;
      if (bytes >= INSERT_BYTES) await flush();
    }
    await flush();
  } finally {
    await session.query('SET SESSION foreign_key_checks = 1').catch(() => undefined);
  }
  return rows.length;
}

export async function deleteMysqlRows(session: MysqlSession, table: QualifiedName, keyColumns: readonly WriteColumn[], keys: readonly Row[]): Promise<number> {
  if (keys.length === 0) return 0;
  const encoders = keyColumns.map(encoderFor);
  const names = keyColumns.map((c) => quoteMysqlIdent(c.name));
  const lhs = names.length === 1 ? names[0]! : `(${names.join(', ')})`;
  await session.query('SET SESSION foreign_key_checks = 0');
  try {
    for (let at = 0; at < keys.length; at += 1000) {
      const tuples = keys.slice(at, at + 1000).map((k) => {
        const values = keyColumns.map((c, i) => sqlLiteral(c, encoders[i]!, k[i] ?? null));
        return values.length === 1 ? values[0]! : `(${values.join(', ')})`;
      });
      await session.query(`DELETE FROM ${mysqlDialect.qualify(table)} WHERE ${lhs} IN (${tuples.join(', ')})`);
    }
  } finally {
    await session.query('SET SESSION foreign_key_checks = 1').catch(() => undefined);
  }
  return keys.length;
}

// ───────────────────────────── careful mode: rows one statement at a time ─────────────────────────────

/**
 * Rows per INSERT when careful mode writes a refused batch again. A refused INSERT costs its rows a
 * second statement each, so the group is small enough that a dense refusal (every third row) wastes
 * little, and large enough that a lone bad row in 256 costs 16 + 16 statements, not 256.
 */
const EACH_GROUP = 16;

/**
 * Careful mode's writes (TargetTransaction.writeEach): InnoDB undoes only the statement that fails,
 * and strict mode makes a refused value fail its INSERT, so `rows` go in INSERTs of EACH_GROUP rows
 * and the rows of a refused one each in its own INSERT — no savepoint, no SHOW WARNINGS, one round
 * trip per statement. Bisecting under savepoints cost ~8 round trips a try: 20,000 rows with 30%
 * refused by a CHECK loaded at ~640 rows/s.
 */
export async function insertEachMysqlRow(session: MysqlSession, table: QualifiedName, columns: readonly WriteColumn[], rows: readonly Row[]): Promise<(EngineError | undefined)[]> {
  const encoders = columns.map(encoderFor);
  const head = `INSERT INTO ${mysqlDialect.qualify(table)} (${columns.map((c) => quoteMysqlIdent(c.name)).join(', ')}) VALUES `;
  const tuple = (row: Row) => `(${columns.map((c, i) => sqlLiteral(c, encoders[i]!, row[i] ?? null)).join(',')})`;
  const tuples = rows.map(tuple);
  const outcomes: (EngineError | undefined)[] = rows.map(() => undefined);
  const names = columns.map((c) => c.name);
  /** undefined when written; the refusal when the target refused it for its data. */
  const insert = async (from: number, to: number): Promise<EngineError | undefined> => {
    try {
      await session.query(head + tuples.slice(from, to).join(','));
      return undefined;
    } catch (err) {
      if (err instanceof EngineError && err.kind === 'data') return withMysqlRefusal(err, table, names);
      throw err;
    }
  };
  await session.query('SET SESSION foreign_key_checks = 0');
  try {
    for (let from = 0; from < rows.length; from += EACH_GROUP) {
      const to = Math.min(rows.length, from + EACH_GROUP);
      const refused = await insert(from, to);
      if (!refused) continue;
      if (to - from === 1) outcomes[from] = refused;
      else for (let i = from; i < to; i++) outcomes[i] = await insert(i, i + 1);
    }
  } finally {
    await session.query('SET SESSION foreign_key_checks = 1').catch(() => undefined);
  }
  return outcomes;
}

/**
 * TargetTransaction.constraintColumns: the columns of `table`'s key `name` (MySQL 8 names it
 * `t.k` in a duplicate entry message), else those its CHECK `name` mentions.
 */
export async function mysqlConstraintColumns(session: MysqlSession, table: QualifiedName, name: string): Promise<readonly string[]> {
  const names = name.startsWith(`${table.name}.`) ? [name, name.slice(table.name.length + 1)] : [name];
  for (const n of names) {
    const key = await session.query(
      'SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND INDEX_NAME = ? AND COLUMN_NAME IS NOT NULL ORDER BY SEQ_IN_INDEX',
      [table.schema ?? null, table.name, n],
    );
    if (key.length > 0) return key.map((r) => String(r.name));
    const check = await session.query(
      `SELECT cc.CHECK_CLAUSE AS clause FROM information_schema.TABLE_CONSTRAINTS tc
       JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
       WHERE tc.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND tc.TABLE_NAME = ? AND tc.CONSTRAINT_TYPE = 'CHECK' AND tc.CONSTRAINT_NAME = ?`,
      [table.schema ?? null, table.name, n],
    );
    if (check.length > 0) {
      const cols = await session.query('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [table.schema ?? null, table.name]);
      return checkClauseColumns(String(check[0]!.clause), cols.map((r) => String(r.name)));
    }
  }
  return [];
}

/** A data error of a write of `columns` into `table` with what its message blames (EngineError.refusal); any other error as it is. */
export function withMysqlRefusal(err: EngineError, table: QualifiedName, columns: readonly string[]): EngineError {
  if (err.kind !== 'data' || err.refusal !== undefined) return err;
  const refusal = mysqlRefusal(err.dbCode, err.message, table.name, columns);
  return refusal === undefined ? err : new EngineError(err.message, err.kind, err.dbCode, err.endpoint, err.refusedRow, refusal);
}
