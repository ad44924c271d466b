/**
 * Change data capture from MySQL / MariaDB, the pure half: binlog positions, the prerequisite checks
 * as data, and binlog row values (as @vlasky/zongji decodes them) → canonical values, through the
 * same decoders as the full load's text rows. The driver half is mysql-cdc-driver.ts.
 */
import type { CaptureProblem, CaptureTable, ChangeRow, ReadColumn } from '../contract.js';
import type { Value } from '../../types/logical.js';
import { decoderFor, selectExpression } from './mysql-read.js';
import { mysqlDialect, quoteMysqlIdent } from './mysql-ddl.js';
import { isMysqlSpatial } from './mysql-types.js';

/** `binlog.000012:4711`: the file and the offset after the last applied transaction. */
export function binlogPosition(file: string, offset: number | string): string {
  return `${file}:${offset}`;
}

export function parseBinlogPosition(position: string): { readonly file: string; readonly offset: number } {
  const at = position.lastIndexOf(':');
  const offset = Number(position.slice(at + 1));
  if (at <= 0 || !Number.isSafeInteger(offset)) throw new Error(`not a binlog position: ${position}`);
  return { file: position.slice(0, at), offset };
}

/** Binlog files are numbered (`name.000012`): compare the number, then the offset. */
export function compareBinlogPositions(a: string, b: string): number {
  const x = parseBinlogPosition(a);
  const y = parseBinlogPosition(b);
  const n = (f: string) => Number(/\.(\d+)$/.exec(f)?.[1] ?? 0);
  if (x.file !== y.file) return n(x.file) - n(y.file) || (x.file < y.file ? -1 : 1);
  return x.offset - y.offset;
}

export interface MysqlCaptureFacts {
  readonly logBin: boolean;
  readonly format: string;
  readonly rowImage: string;
  readonly rowMetadata: string | undefined;
  /** SHOW MASTER STATUS worked (REPLICATION CLIENT or SUPER); undefined when not known. */
  readonly canReadBinlogStatus: boolean;
}

export function mysqlCaptureProblems(f: MysqlCaptureFacts): CaptureProblem[] {
  const out: CaptureProblem[] = [];
  if (!f.logBin) return [{ check: 'log_level', message: 'the binary log is off', fix: 'start the server with log_bin = mysql-bin, binlog_format = ROW, binlog_row_image = FULL, binlog_row_metadata = FULL and a server_id (my.cnf [mysqld]; restart)' }];
  if (f.format.toUpperCase() !== 'ROW') out.push({ check: 'row_format', message: `binlog_format is ${f.format}: row changes are needed`, fix: "SET GLOBAL binlog_format = 'ROW'; (and binlog_format = ROW in my.cnf)" });
  if (f.rowImage.toUpperCase() !== 'FULL') out.push({ check: 'row_image', message: `binlog_row_image is ${f.rowImage}: whole rows are needed`, fix: "SET GLOBAL binlog_row_image = 'FULL'; (and in my.cnf)" });
  if (f.rowMetadata !== undefined && f.rowMetadata.toUpperCase() !== 'FULL') {
    out.push({ check: 'row_metadata', message: `binlog_row_metadata is ${f.rowMetadata}: column names must be in the log`, fix: "SET GLOBAL binlog_row_metadata = 'FULL'; (and in my.cnf)" });
  }
  if (!f.canReadBinlogStatus) out.push({ check: 'privilege', message: 'the user cannot read the binary log status', fix: "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '<user>'@'%';" });
  return out;
}

/** A binlog value as the text the full load's decoders take. */
function asText(v: unknown): Buffer | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return Buffer.from(String(v), 'latin1');
  if (typeof v === 'boolean') return Buffer.from(v ? '1' : '0', 'latin1');
  if (Array.isArray(v)) return Buffer.from(v.join(','), 'utf8');
  if (v instanceof Date) return Buffer.from(v.toISOString().replace('T', ' ').replace('Z', ''), 'latin1');
  return Buffer.from(JSON.stringify(v), 'utf8');
}

/** Decodes binlog rows of one table into canonical values of the followed columns. */
export class BinlogRowDecoder {
  private readonly decoders: readonly { readonly column: ReadColumn; readonly decode: (b: Buffer) => Value }[];
  private readonly known: ReadonlySet<string>;
  /**
   * Spatial columns: the binlog library parses their values into points and arrays of points,
   * without the geometry type (a LINESTRING and a MULTIPOINT look alike) or the spatial reference.
   * They are decoded as NULL here and read from the source by key before the transaction goes out
   * (the stream's `withGeometry`), as the full load reads them.
   */
  readonly spatial: readonly ReadColumn[];

  constructor(readonly table: CaptureTable) {
    this.decoders = table.columns.map((column) => ({ column, decode: binlogDecoderFor(column) }));
    this.known = new Set(table.knownColumns);
    this.spatial = table.columns.filter((c) => isMysqlSpatial(c.native.name));
  }

  /**
   * `present`: the columns in the row image (its bitmap), when not all are. The library hands over
   * NULL for the others; they stay undefined here (not sent), so that they are read back instead.
   */
  decode(row: Readonly<Record<string, unknown>>, present?: ReadonlySet<string>): ChangeRow {
    const out: Record<string, Value | undefined> = {};
    for (const { column, decode } of this.decoders) {
      if (present && !present.has(column.name)) {
        out[column.name] = undefined;
        continue;
      }
      const text = isMysqlSpatial(column.native.name) ? null : asText(row[column.name]);
      out[column.name] = text === null ? null : decode(text);
    }
    return out;
  }

  /**
   * An update's new row and old image. A session with binlog_row_image = MINIMAL or NOBLOB leaves
   * columns out of the images: one missing from the new image but in the old one is unchanged
   * (MINIMAL leaves the key out of the new image); one in neither stays undefined, to be read back.
   */
  decodeUpdate(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>, presentBefore?: ReadonlySet<string>, presentAfter?: ReadonlySet<string>): { readonly row: ChangeRow; readonly oldKey: ChangeRow } {
    const oldKey = this.decode(before, presentBefore);
    const row: Record<string, Value | undefined> = { ...this.decode(after, presentAfter) };
    for (const [name, value] of Object.entries(row)) if (value === undefined) row[name] = oldKey[name];
    return { row, oldKey };
  }

  /** Columns in the binlog row the plan never saw (added while following). */
  newColumns(row: Readonly<Record<string, unknown>>): string[] {
    return Object.keys(row).filter((n) => !this.known.has(n));
  }
}

/**
 * The columns of the row image a rows event carries (its columns-present bitmap: bit i is column i
 * of the table map), or undefined when it carries all of them (binlog_row_image = FULL).
 */
export function presentColumns(names: readonly string[], bitmap: Buffer | undefined): ReadonlySet<string> | undefined {
  if (!bitmap) return undefined;
  const present = names.filter((_, i) => ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
  return present.length === names.length ? undefined : new Set(present);
}

/** Binary strings and BIT travel as hex when read back: their bytes are not text. */
function readsAsHex(column: ReadColumn): boolean {
  return column.logical.kind === 'binary' || column.native.name === 'bit';
}

/** A value read back as text, as decodeReadBack takes it. */
function readBackExpression(column: ReadColumn): string {
  if (isMysqlSpatial(column.native.name)) return selectExpression(column);
  return readsAsHex(column) ? `HEX(${quoteMysqlIdent(column.name)})` : `CAST(${selectExpression(column)} AS CHAR)`;
}

/**
 * Values of some rows of `table` the change stream did not carry (spatial columns, columns outside
 * the row image), read as the full load reads them, with their keys:
 * `SELECT CAST(k AS CHAR) AS k0, …, <value as text> AS g0, … WHERE (k, …) IN ((?, …), …)`.
 * A binary key part is compared through UNHEX (its parameter is hex).
 */
export function readBackByKeySql(table: CaptureTable['table'], key: readonly ReadColumn[], columns: readonly ReadColumn[], rows: number): string {
  const keys = key.map((k, i) => `${k.logical.kind === 'binary' ? 'HEX' : 'CAST'}(${quoteMysqlIdent(k.name)}${k.logical.kind === 'binary' ? '' : ' AS CHAR'}) AS k${i}`);
  const values = columns.map((c, i) => `${readBackExpression(c)} AS g${i}`);
  const tuple = `(${key.map((k) => (k.logical.kind === 'binary' ? 'UNHEX(?)' : '?')).join(', ')})`;
  const list = Array.from({ length: rows }, () => tuple).join(', ');
  return `SELECT ${[...keys, ...values].join(', ')} FROM ${mysqlDialect.qualify(table)} WHERE (${key.map((k) => quoteMysqlIdent(k.name)).join(', ')}) IN (${list})`;
}

/** A canonical key value as a parameter of spatialByKeySql (hex for binary). */
export function keyParam(v: Value): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return typeof v === 'string' ? v : String(v);
}

/** A value read back by readBackByKeySql (a key's text or hex, a value's text or hex) as the canonical value of `column`. */
export function decodeReadBack(column: ReadColumn, v: unknown): Value {
  if (v === null || v === undefined) return null;
  const text = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  return decoderFor(column)(Buffer.from(text, readsAsHex(column) ? 'hex' : 'utf8'));
}

function binlogDecoderFor(column: ReadColumn): (b: Buffer) => Value {
  // The binlog stores a YEAR as its distance from 1900 in one byte, and the library hands over
  // 1900 + that byte, four digits for YEAR(2) too; byte 0 is the zero year, which the full load
  // reads as '0000' (1900 is no YEAR value).
  if (column.logical.kind === 'year') return (b) => (b.toString('latin1') === '1900' ? '0000' : b.toString('latin1'));
  // The binlog carries BIT as bytes, the full load reads it as text of the bytes: same decoder.
  return decoderFor(column);
}

/**
 * The tables a data-changing statement written to the binlog as a statement (a session on
 * binlog_format = STATEMENT or MIXED) writes to: INSERT/REPLACE/LOAD DATA name one, UPDATE and
 * multi-table DELETE name theirs before SET/WHERE (every identifier there is taken: an alias that
 * happens to be a followed table's name stops the follower rather than lose a change). Undefined
 * for any other statement. Names without a database are in `currentSchema`.
 */
export function statementWrittenTables(statement: string, currentSchema: string): readonly { readonly schema: string; readonly name: string }[] | undefined {
  const text = statement.replace(/^(?:\s+|\/\*(?!!)[\s\S]*?\*\/|#[^\n]*(?:\n|$)|--(?:\s[^\n]*)?(?:\n|$))*/, '');
  const part = '(`(?:[^`]|``)+`|[\\w$]+)';
  const name = `${part}(?:\\s*\\.\\s*${part})?`;
  const unquote = (s: string) => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);
  const one = (m: RegExpExecArray | null) => (m ? [m[2] !== undefined ? { schema: unquote(m[1]!), name: unquote(m[2]) } : { schema: currentSchema, name: unquote(m[1]!) }] : []);
  if (/^(?:INSERT|REPLACE)\b/i.test(text)) return one(new RegExp(`^(?:INSERT|REPLACE)(?:\\s+(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE))*(?:\\s+INTO)?\\s+${name}`, 'i').exec(text));
  if (/^LOAD\s+(?:DATA|XML)\b/i.test(text)) return one(new RegExp(`\\bINTO\\s+TABLE\\s+${name}`, 'i').exec(text));
  const head = /^(UPDATE|DELETE)\b([\s\S]*?)(?:\bSET\b|\bWHERE\b|\bORDER\s+BY\b|\bLIMIT\b|\bRETURNING\b|$)/i.exec(text);
  if (!head) return undefined;
  const out: { schema: string; name: string }[] = [];
  const skip = /^(?:LOW_PRIORITY|QUICK|IGNORE|FROM|USING|JOIN|INNER|CROSS|LEFT|RIGHT|OUTER|STRAIGHT_JOIN|NATURAL|ON|AS|AND|OR|NOT|NULL|IS)$/i;
  // Text in quotes (a join condition's literal) names no table.
  const refs = head[2]!.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"/g, ' ');
  for (const m of refs.matchAll(new RegExp(name, 'g'))) {
    if (m[2] === undefined && skip.test(m[1]!)) continue;
    out.push(...one(m as RegExpExecArray));
  }
  return out;
}
