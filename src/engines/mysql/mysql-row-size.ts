/**
 * Tables a MySQL / MariaDB server refuses to create for their width, found before any of them is
 * created: a plan of a 1,000-column table otherwise failed at its CREATE TABLE, the other tables
 * of the run made already. The byte counts are floors — each column counted at the least the
 * server counts it, unknown types not at all — so a table reported here is refused for certain;
 * a table these floors let through may still be refused, at apply, by the server's own count.
 */
import type { TableWidthProblem, TargetColumnDef } from '../contract.js';
import type { NativeType } from '../../schema/catalog.js';

/** InnoDB's most columns in a table (MySQL and MariaDB alike; the server's own limit, 4,096, is never reached). */
export const INNODB_MAX_COLUMNS = 1017;
/** The server's most bytes in a row, BLOB and TEXT values counted by their length prefix and pointer only. */
export const MYSQL_MAX_ROW_BYTES = 65535;
/** InnoDB's most bytes of a row kept in its 16 KB page (half a page), checked at CREATE TABLE under innodb_strict_mode. */
export const INNODB_MAX_IN_PAGE_BYTES = 8126;
/**
 * What every row of an InnoDB table's clustered index holds besides its columns: the record header
 * (5 bytes) and the transaction id and roll pointer (6 + 7); then a bit per nullable column.
 */
const INNODB_ROW_OVERHEAD_BYTES = 5 + 6 + 7;
/** The pointer that stays in the row of a value InnoDB stores off the page (DYNAMIC row format). */
const OFF_PAGE_POINTER_BYTES = 20;

/** The fewest bytes one character takes at its longest in the column's character set (its collation's prefix). */
function bytesPerChar(collation: string | undefined): number {
  // The tables dmsplan creates are utf8mb4 (MYSQL_TABLE_OPTIONS) unless a column keeps another.
  if (collation === undefined || /^utf8mb4_|^utf32_/.test(collation)) return 4;
  if (/^utf8(mb3)?_/.test(collation)) return 3;
  if (/^(ucs2|utf16|utf16le)_/.test(collation)) return 2;
  return 1;
}

/** DECIMAL's packed size: 4 bytes per 9 digits, fewer for the digits left over, on each side of the point. */
function decimalBytes(precision: number, scale: number): number {
  const leftover = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
  const side = (digits: number) => Math.floor(digits / 9) * 4 + leftover[digits % 9]!;
  return side(Math.max(precision - scale, 0)) + side(scale);
}

const fractionBytes = (type: NativeType) => Math.ceil((type.params[0] ?? 0) / 2);

/** Bytes of a value of a fixed-size type, or undefined for a string, BLOB or unknown type. */
function fixedBytes(type: NativeType): number | undefined {
  switch (type.name) {
    case 'tinyint':
    case 'year':
      return 1;
    case 'smallint':
      return 2;
    case 'mediumint':
    case 'date':
      return 3;
    case 'int':
    case 'float':
      return 4;
    case 'bigint':
    case 'double':
      return 8;
    case 'decimal':
      return decimalBytes(type.params[0] ?? 10, type.params[1] ?? 0);
    case 'datetime':
      return 5 + fractionBytes(type);
    case 'timestamp':
      return 4 + fractionBytes(type);
    case 'time':
      return 3 + fractionBytes(type);
    case 'bit':
      return Math.ceil((type.params[0] ?? 1) / 8);
    case 'enum':
      return (type.values?.length ?? 0) < 256 ? 1 : 2;
    case 'set':
      return Math.max(1, Math.ceil((type.values?.length ?? 0) / 8));
    default:
      return undefined;
  }
}

/** The most bytes a CHAR/VARCHAR/BINARY/VARBINARY value takes, or undefined for another type. */
function stringBytes(column: TargetColumnDef): number | undefined {
  const n = column.type.params[0] ?? 1;
  switch (column.type.name) {
    case 'char':
    case 'varchar':
      return n * bytesPerChar(column.collation);
    case 'binary':
    case 'varbinary':
      return n;
    default:
      return undefined;
  }
}

const LOB = /^(tiny|medium|long)?(text|blob)$|^json$/;

/** At least what the server counts of the column against MYSQL_MAX_ROW_BYTES. */
function serverBytes(column: TargetColumnDef): number {
  const fixed = fixedBytes(column.type);
  if (fixed !== undefined) return fixed;
  const max = stringBytes(column);
  if (max !== undefined) return column.type.name === 'varchar' || column.type.name === 'varbinary' ? max + (max > 255 ? 2 : 1) : max;
  // A BLOB or TEXT counts its length prefix (1 to 4 bytes) and an 8-byte pointer.
  return LOB.test(column.type.name) ? 9 : 0;
}

/** At least what InnoDB counts of the column against INNODB_MAX_IN_PAGE_BYTES (DYNAMIC, the default row format). */
function inPageBytes(column: TargetColumnDef): number {
  const fixed = fixedBytes(column.type);
  if (fixed !== undefined) return fixed;
  const max = stringBytes(column);
  // Up to 255 bytes a value always stays in the row; a longer one may go off the page, leaving its pointer.
  if (max !== undefined) return max <= 255 ? max : OFF_PAGE_POINTER_BYTES;
  return LOB.test(column.type.name) ? OFF_PAGE_POINTER_BYTES : 0;
}

const sum = (columns: readonly TargetColumnDef[], bytes: (c: TargetColumnDef) => number) => columns.reduce((total, c) => total + bytes(c), 0);

export function mysqlTableWidthProblem(columns: readonly TargetColumnDef[]): TableWidthProblem | undefined {
  // Generated columns that are not stored take no room in the row; they still count as columns.
  const stored = columns.filter((c) => c.generated === undefined || c.generated.stored);
  if (columns.length > INNODB_MAX_COLUMNS) {
    return { certain: true, message: `${columns.length.toLocaleString('en-US')} columns, more than the ${INNODB_MAX_COLUMNS.toLocaleString('en-US')} an InnoDB table can have` };
  }
  const server = sum(stored, serverBytes);
  if (server > MYSQL_MAX_ROW_BYTES) {
    return { certain: true, message: `rows of at least ${server.toLocaleString('en-US')} bytes (BLOB and TEXT columns not counted), more than the ${MYSQL_MAX_ROW_BYTES.toLocaleString('en-US')} a MySQL row can have` };
  }
  const inPage = INNODB_ROW_OVERHEAD_BYTES + Math.ceil(stored.filter((c) => c.nullable).length / 8) + sum(stored, inPageBytes);
  if (inPage > INNODB_MAX_IN_PAGE_BYTES) {
    return {
      certain: false,
      message: `rows of at least ${inPage.toLocaleString('en-US')} bytes in InnoDB's page (a long string or BLOB counted by its 20-byte pointer), more than the ${INNODB_MAX_IN_PAGE_BYTES.toLocaleString('en-US')} InnoDB accepts when innodb_strict_mode is on (the default): CREATE TABLE fails with "Row size too large"`,
    };
  }
  return undefined;
}
