/**
 * Reading a MySQL / MariaDB source: one consistent snapshot over several connections (lanes), and
 * rows streamed as canonical values (see types/logical.ts) with pull-based backpressure.
 *
 * Rows arrive as the text protocol's raw bytes (the session's raw batches: each field's offsets in
 * its packet) and each column has one decoder chosen up front from its logical type, so no JS
 * numbers or Dates are ever made: integers and decimals stay the server's exact digits,
 * DATETIME/DATE/TIME stay its text (zero dates included).
 */
import type { QualifiedName, RawTextRows, RawTextSource, ReadColumn, ReadRequest, SourceSnapshot, WireForm } from '../contract.js';
import type { Row, Value } from '../../types/logical.js';
import { denseIntegerSplits } from '../key-splits.js';
import { mysqlDialect, quoteMysqlIdent } from './mysql-ddl.js';
import { wireInt, wireText } from '../../types/values/wire-values.js';
import { LENGTH_ENCODED, TEMPORAL } from './mysql-raw-rows.js';
import type { BinaryColumn, MysqlSession } from './mysql-session.js';
import { isMysqlSpatial, quoteMysqlString } from './mysql-types.js';

// ───────────────────────────── canonical values ─────────────────────────────

type Decoder = (raw: Buffer) => Value;

const ascii: Decoder = (b) => b.toString('latin1');
const utf8: Decoder = (b) => b.toString('utf8');

/**
 * An integer's text without the zeros a ZEROFILL column pads it with ('00042' → '42', as the binary
 * protocol gives it). Its bytes still move as they are where the writer parses numbers.
 */
const intText: Decoder = (b) => (b.length > 1 && b[0] === 0x30 ? stripZeros(b.toString('latin1')) : b.toString('latin1'));

function stripZeros(text: string): string {
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 0x30) i++;
  return text.slice(i);
}

/**
 * YEAR(2), which MariaDB still has, prints two digits: 70–99 are 1970–1999 and 00–69 are
 * 2000–2069 (what `ALTER … MODIFY y YEAR` makes of them). Canonical years have four, so '05' is
 * 2005, never the number 5.
 */
const yearText: Decoder = (b) => {
  const text = b.toString('latin1');
  if (text.length !== 2) return text;
  return `${Number(text) >= 70 ? '19' : '20'}${text}`;
};

/** The shortest text that reads back as the same float32 ('0.1', not '0.10000000149011612'). */
function float32Text(x: number): string {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return 'NaN';
  if (Object.is(f, -0)) return '-0';
  if (!Number.isFinite(f)) return f > 0 ? 'Infinity' : '-Infinity';
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(f.toPrecision(digits));
    if (Math.fround(text) === f) return String(text);
  }
  return String(f);
}

/** BIT(n) arrives as ceil(n/8) big-endian bytes; canonical is n characters '0'/'1'. */
function bitText(b: Buffer, length: number): string {
  let bits = '';
  for (const byte of b) bits += byte.toString(2).padStart(8, '0');
  return bits.length >= length ? bits.slice(bits.length - length) : bits.padStart(length, '0');
}

/** JSON text of an array column (stored as JSON by this engine) → canonical nested values. */
function jsonArrayValue(text: string): Value {
  const toValue = (v: unknown): Value => {
    if (v === null) return null;
    if (Array.isArray(v)) return v.map(toValue);
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return String(v);
    return JSON.stringify(v);
  };
  return toValue(JSON.parse(text));
}

export function decoderFor(column: ReadColumn): Decoder {
  const { logical, native } = column;
  switch (logical.kind) {
    case 'bool':
      return (b) => !(b.length === 1 && b[0] === 0x30) && !(native.name === 'bit' && b.every((x) => x === 0));
    case 'int':
      return intText;
    case 'decimal':
    case 'date':
    case 'timestamp':
    case 'interval':
    case 'time':
      return ascii;
    case 'year':
      return yearText;
    case 'timestamptz':
      // The session's time_zone is '+00:00', so TIMESTAMP prints in UTC; DATETIME holding a
      // timestamptz (what this engine creates for one) is UTC by construction.
      return (b) => `${b.toString('latin1')}+00:00`;
    case 'float':
      return logical.bits === 32 ? (b) => float32Text(Number(b.toString('latin1'))) : (b) => {
        const x = Number(b.toString('latin1'));
        return Object.is(x, -0) ? '-0' : String(x);
      };
    case 'text':
    case 'enum':
    case 'json':
    case 'uuid':
    case 'other':
      return utf8;
    case 'binary':
      // A copy: the raw value is a view into the packet buffer.
      return (b) => Buffer.from(b);
    case 'bit':
      return native.name === 'bit' ? (b) => bitText(b, native.params[0] ?? 1) : utf8;
    case 'set':
      return (b) => (b.length === 0 ? [] : b.toString('utf8').split(','));
    case 'array':
      return (b) => jsonArrayValue(b.toString('utf8'));
    default: {
      const never: never = logical;
      return never;
    }
  }
}

/**
 * How a column's wire text relates to its canonical value: the same bytes wherever the decoder
 * above only turns bytes into a string (or a Buffer, for binary), plus '+00:00' for TIMESTAMP;
 * a DOUBLE's text is another spelling of the same value. The rest must be decoded.
 */
export function rawTextForm(column: ReadColumn): ReturnType<RawTextSource['form']> {
  const { logical, native } = column;
  switch (logical.kind) {
    case 'int':
    case 'decimal':
    case 'date':
    case 'timestamp':
    case 'interval':
    case 'time':
    case 'text':
    case 'enum':
    case 'json':
    case 'uuid':
    case 'other':
    case 'binary':
      return EXACT;
    case 'year':
      // YEAR(2) prints two of the four digits.
      return native.params[0] === 2 ? undefined : EXACT;
    case 'timestamptz':
      return { spelling: 'exact', suffix: '+00:00' };
    case 'float':
      return logical.bits === 64 ? { spelling: 'same_value', suffix: '' } : undefined;
    case 'bit':
      return native.name === 'bit' ? undefined : EXACT;
    case 'bool':
    case 'set':
    case 'array':
      return undefined;
    default: {
      const never: never = logical;
      return never;
    }
  }
}

const EXACT = { spelling: 'exact', suffix: '' } as const;

// ───────────────────────────── the binary protocol ─────────────────────────────

const INT_BYTES: Readonly<Record<string, 1 | 2 | 4 | 8>> = { tinyint: 1, smallint: 2, mediumint: 4, int: 4, bigint: 8 };
/** Types whose binary-protocol field is the same length-encoded bytes as their text. */
const SAME_AS_TEXT = new Set(['decimal', 'char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'enum', 'set', 'json', 'bit']);

/**
 * A column's form in a binary-protocol read: a WireForm, undefined when its bytes are those of the
 * text protocol, or null for a type left to the text protocol (TIME, YEAR, and types this reader
 * does not know: their binary forms would need canonical decoders of their own).
 */
export function mysqlWireForm(column: ReadColumn): WireForm | undefined | null {
  const { native } = column;
  const bytes = INT_BYTES[native.name];
  if (bytes !== undefined) return { kind: 'int', bytes, unsigned: native.unsigned };
  if (native.name === 'double' || native.name === 'float') return { kind: 'float64' }; // FLOAT is read as DOUBLE (selectExpression)
  if (native.name === 'date') return { kind: 'date' };
  if (native.name === 'datetime' || native.name === 'timestamp') return { kind: 'datetime' };
  if (SAME_AS_TEXT.has(native.name) || isMysqlSpatial(native.name)) return undefined;
  return null;
}

/** What the session checks the server's result against: the layout each column's form implies. */
function binaryColumn(column: ReadColumn): BinaryColumn {
  const form = mysqlWireForm(column);
  if (form === null) throw new Error(`bug: ${column.name} (${column.native.text}) has no binary-protocol form`);
  if (form === undefined) return { layout: LENGTH_ENCODED, unsigned: undefined };
  switch (form.kind) {
    case 'int':
      return { layout: form.bytes, unsigned: form.unsigned };
    case 'float64':
      return { layout: 8, unsigned: undefined };
    case 'date':
    case 'datetime':
      return { layout: TEMPORAL, unsigned: undefined };
    default: {
      const never: never = form;
      return never;
    }
  }
}

/** decoderFor's counterpart for a field in the column's wire form: the same canonical value. */
export function wireDecoderFor(column: ReadColumn): Decoder {
  const form = mysqlWireForm(column);
  if (!form) throw new Error(`bug: ${column.name} (${column.native.text}) has no wire form`);
  const { logical } = column;
  if (form.kind === 'int' && logical.kind === 'bool') return (b) => Number(wireInt(b, 0, form.bytes, form.unsigned)) !== 0;
  if (form.kind === 'float64' && logical.kind === 'float' && logical.bits === 32) return (b) => float32Text(b.readDoubleLE(0));
  const precision = logical.kind === 'timestamp' || logical.kind === 'timestamptz' ? logical.precision : 0;
  const suffix = logical.kind === 'timestamptz' ? '+00:00' : '';
  return (b) => wireText(form, b, 0, b.length, precision) + suffix;
}

/** What to SELECT for a column so that its text round-trips exactly. */
export function selectExpression(column: ReadColumn): string {
  const q = quoteMysqlIdent(column.name);
  // FLOAT prints with 6 significant digits on MariaDB; as DOUBLE its value prints exactly.
  if (column.native.name === 'float') return `CAST(${q} AS DOUBLE)`;
  // Well-known text, which round-trips every coordinate (17 significant digits); a spatial
  // reference other than 0 is kept in front of it as PostGIS's extended form (`SRID=4326;POINT(…)`).
  if (isMysqlSpatial(column.native.name)) return `IF(ST_SRID(${q}) = 0, ST_AsText(${q}), CONCAT('SRID=', ST_SRID(${q}), ';', ST_AsText(${q})))`;
  return q;
}

/** A decoder of the field [start, end) of a packet buffer. */
type RangeDecoder = (buf: Buffer, start: number, end: number) => Value;

/** decoderFor, straight from the packet where the value is its text, through a view of the field otherwise. */
function rangeDecoderFor(column: ReadColumn): RangeDecoder {
  const decode = decoderFor(column);
  if (decode === ascii) return (buf, start, end) => buf.toString('latin1', start, end);
  if (decode === intText) return (buf, start, end) => (end - start > 1 && buf[start] === 0x30 ? stripZeros(buf.toString('latin1', start, end)) : buf.toString('latin1', start, end));
  if (decode === utf8) return (buf, start, end) => buf.toString('utf8', start, end);
  return (buf, start, end) => decode(buf.subarray(start, end));
}

function decodeRawRows(raw: RawTextRows, decoders: readonly RangeDecoder[]): Row[] {
  const { count, width, buffers, starts, ends } = raw;
  if (width !== decoders.length) throw new Error(`bug: rows of ${width} fields read for ${decoders.length} columns`);
  const out: Row[] = new Array<Row>(count);
  for (let r = 0; r < count; r++) {
    const buf = buffers[r]!;
    const base = r * width;
    const row: Row = new Array<Value>(width);
    for (let i = 0; i < width; i++) {
      const start = starts[base + i]!;
      row[i] = start < 0 ? null : decoders[i]!(buf, start, ends[base + i]!);
    }
    out[r] = row;
  }
  return out;
}

// ───────────────────────────── SQL of a read ─────────────────────────────

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A key bound (canonical text) as a literal of the column's type: numbers unquoted so that comparisons stay exact. */
export function keyLiteral(column: ReadColumn, value: string): string {
  if ((column.logical.kind === 'int' || column.logical.kind === 'decimal') && NUMERIC.test(value)) return value;
  if (column.logical.kind === 'timestamptz') return quoteMysqlString(value.replace(/\+00:00$/, ''));
  return quoteMysqlString(value);
}

export function readSql(request: ReadRequest): string {
  const conditions: string[] = [];
  if (request.where) conditions.push(`(${request.where})`);
  if (request.range) {
    const key = quoteMysqlIdent(request.range.column.name);
    if (request.range.after !== undefined) conditions.push(`${key} > ${keyLiteral(request.range.column, request.range.after)}`);
    // The first range also takes the rows whose key is NULL (a `chunk … by` column may allow
    // them), which no comparison matches: every row falls in exactly one range.
    const upTo = request.range.upTo !== undefined ? `${key} <= ${keyLiteral(request.range.column, request.range.upTo)}` : undefined;
    if (upTo) conditions.push(request.range.after === undefined ? `(${upTo} OR ${key} IS NULL)` : upTo);
  }
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = request.orderBy.length ? ` ORDER BY ${request.orderBy.map(quoteMysqlIdent).join(', ')}` : '';
  return `SELECT ${request.columns.map(selectExpression).join(', ')} FROM ${mysqlDialect.qualify(request.table)}${where}${order}`;
}

// ───────────────────────────── the snapshot ─────────────────────────────

/** Binlog coordinates of the snapshot, for change data capture to start from. */
export type SnapshotPosition = { readonly kind: 'mysql_binlog'; readonly file: string; readonly offset: string };

export interface MysqlSnapshotInfo {
  /**
   * 'locked': lanes opened under FLUSH TABLES WITH READ LOCK (one state, guaranteed); 'single': one
   * lane, consistent by itself; otherwise the lanes started back to back.
   */
  readonly consistency: 'locked' | 'single' | 'back_to_back';
  readonly position: SnapshotPosition | undefined;
}

/** How many decoded batches may wait for the consumer before the socket is paused. */
const MAX_QUEUED_BATCHES = 2;

export class MysqlSnapshot implements SourceSnapshot {
  private closed = false;

  readonly rawText: RawTextSource = {
    read: (request, lane) => this.lane(lane).streamRaw(readSql(request), Math.max(1, request.batchRows), MAX_QUEUED_BATCHES),
    form: rawTextForm,
    decoder: decoderFor,
    binary: {
      readable: (columns) => columns.every((c) => mysqlWireForm(c) !== null),
      read: (request, lane) => this.lane(lane).streamRawBinary(readSql(request), request.columns.map(binaryColumn), Math.max(1, request.batchRows), MAX_QUEUED_BATCHES),
      wireForm: (column) => mysqlWireForm(column) ?? undefined,
      decoder: wireDecoderFor,
    },
  };

  readonly lanesAgree: boolean;

  constructor(
    private readonly lanes: readonly MysqlSession[],
    readonly consistency: MysqlSnapshotInfo['consistency'],
    readonly position: SnapshotPosition | undefined,
  ) {
    this.lanesAgree = consistency !== 'back_to_back';
  }

  private lane(n: number): MysqlSession {
    if (this.closed) throw new Error('bug: read on a closed snapshot');
    const lane = this.lanes[n];
    if (!lane) throw new Error(`bug: lane ${n} of a ${this.lanes.length}-lane snapshot`);
    return lane;
  }

  /**
   * Rows as the text protocol's bytes (the raw batches of `streamRaw`: offsets into the packets),
   * decoded field by field. mysql2's own rows cost a row array, a Buffer per field and an event per
   * row, all garbage at once; most columns here are decoded straight from the packet.
   */
  async *read(request: ReadRequest, lane: number): AsyncIterable<readonly Row[]> {
    const session = this.lane(lane);
    const decoders = request.columns.map(rangeDecoderFor);
    for await (const raw of session.streamRaw(readSql(request), Math.max(1, request.batchRows), MAX_QUEUED_BATCHES)) {
      yield decodeRawRows(raw, decoders);
    }
  }

  async count(table: QualifiedName, where: string | undefined, lane: number): Promise<number> {
    const rows = await this.lane(lane).query(`SELECT COUNT(*) AS n FROM ${mysqlDialect.qualify(table)}${where ? ` WHERE (${where})` : ''}`);
    return Number(rows[0]?.n ?? 0);
  }

  async keyBounds(table: QualifiedName, column: ReadColumn, where: string | undefined, lane: number): Promise<{ readonly min: string; readonly max: string } | undefined> {
    const c = selectExpression(column).replace(quoteMysqlIdent(column.name), `MIN(${quoteMysqlIdent(column.name)})`);
    const d = selectExpression(column).replace(quoteMysqlIdent(column.name), `MAX(${quoteMysqlIdent(column.name)})`);
    const sql = `SELECT ${c}, ${d} FROM ${mysqlDialect.qualify(table)}${where ? ` WHERE (${where})` : ''}`;
    const decode = decoderFor(column);
    for await (const batch of this.lane(lane).stream(sql, 1, 1)) {
      const [min, max] = batch[0] ?? [];
      if (!min || !max) return undefined;
      return { min: String(decode(min)), max: String(decode(max)) };
    }
    return undefined;
  }

  /**
   * Split points for `parts` ranges of similar size. A dense integer key is split arithmetically
   * (two index lookups); otherwise one ordered pass over the key's index numbers the rows and keeps
   * every n-th value — one scan whatever `parts` is, instead of one OFFSET scan per point.
   */
  async splitPoints(table: QualifiedName, column: ReadColumn, where: string | undefined, parts: number, lane: number): Promise<readonly string[]> {
    if (parts <= 1) return [];
    const bounds = await this.keyBounds(table, column, where, lane);
    if (!bounds) return [];
    const total = await this.count(table, where, lane);
    if (total <= parts) return [];
    if (column.logical.kind === 'int') {
      const splits = denseIntegerSplits(BigInt(bounds.min), BigInt(bounds.max), total, parts);
      if (splits) return splits;
    }
    const step = Math.max(1, Math.floor(total / parts));
    const key = quoteMysqlIdent(column.name);
    const filter = where ? ` WHERE (${where})` : '';
    const sql =
      `SELECT k FROM (SELECT ${selectExpression(column)} AS k, ROW_NUMBER() OVER (ORDER BY ${key}) AS dmsplan_rn FROM ${mysqlDialect.qualify(table)}${filter}) AS numbered` +
      ` WHERE MOD(dmsplan_rn, ${step}) = 0 AND dmsplan_rn < ${total} ORDER BY dmsplan_rn`;
    const decode = decoderFor(column);
    const points: string[] = [];
    for await (const batch of this.lane(lane).stream(sql, 1000, 2)) {
      for (const [raw] of batch) {
        if (!raw) continue;
        const v = String(decode(raw));
        if (points[points.length - 1] !== v) points.push(v);
      }
    }
    return points.slice(0, parts - 1);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(
      this.lanes.map(async (l) => {
        await l.query('COMMIT').catch(() => undefined);
        await l.release().catch(() => undefined);
      }),
    );
  }
}

/**
 * Opens `lanes` connections on one consistent state. With the RELOAD privilege, FLUSH TABLES WITH
 * READ LOCK is held while every lane starts its snapshot, so no commit can fall between two lanes
 * (and the binlog position is exact); without it, the lanes start back to back.
 *
 * One lane that need not pin a binlog position takes no lock: its snapshot is consistent on its
 * own. The lock waits for every running statement, and every writer waits behind it — a
 * validation's or an orphan check's one-lane look at a target while chunks load into it held the
 * whole server up until they committed.
 */
export async function openMysqlSnapshot(open: () => Promise<MysqlSession>, lanes: number, position = false): Promise<MysqlSnapshot> {
  const count = Math.max(1, Math.floor(lanes));
  const sessions: MysqlSession[] = [];
  let locker: MysqlSession | undefined;
  let locked = false;
  try {
    for (let i = 0; i < count; i++) sessions.push(await open());
    if (count > 1 || position) {
      locker = await open();
      try {
        // A short lock wait: a long-running query would otherwise hold us (and every writer) up.
        await locker.query('SET SESSION lock_wait_timeout = 10');
        await locker.query('FLUSH TABLES WITH READ LOCK');
        locked = true;
      } catch {
        locked = false; // no RELOAD privilege (or a cloud server that forbids it): back to back
      }
    }
    await Promise.all(
      sessions.map(async (s) => {
        await s.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        await s.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      }),
    );
    const pinned = await binlogPosition(sessions[0]!, locked ? locker : undefined);
    if (locked) await locker!.query('UNLOCK TABLES');
    return new MysqlSnapshot(sessions, locked ? 'locked' : count === 1 ? 'single' : 'back_to_back', pinned);
  } catch (err) {
    await Promise.all(sessions.map((s) => s.release().catch(() => undefined)));
    throw err;
  } finally {
    if (locker) await locker.release().catch(() => undefined);
  }
}

/** MariaDB (and Percona) expose the snapshot's binlog position; MySQL only under the read lock. */
async function binlogPosition(first: MysqlSession, locker: MysqlSession | undefined): Promise<SnapshotPosition | undefined> {
  try {
    const rows = await first.query("SHOW STATUS LIKE 'binlog_snapshot_%'");
    const get = (name: string) => rows.find((r) => String(r.Variable_name).toLowerCase() === name)?.Value;
    const file = get('binlog_snapshot_file');
    const offset = get('binlog_snapshot_position');
    if (typeof file === 'string' && file !== '' && offset !== undefined) return { kind: 'mysql_binlog', file, offset: String(offset) };
    if (locker) {
      const status = await locker.query('SHOW MASTER STATUS');
      const row = status[0];
      if (row && typeof row.File === 'string' && row.File !== '') return { kind: 'mysql_binlog', file: row.File, offset: String(row.Position) };
    }
  } catch {
    // no binlog, or no privilege to see it: the snapshot is still consistent, just without a position
  }
  return undefined;
}
