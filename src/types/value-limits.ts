/**
 * What a target engine cannot store even when the column type would suggest it can. Converters
 * reject such values with a precise reason instead of letting the bulk write fail mid-batch.
 * Every member is optional: an absent member means "no limit" (SQLite has none).
 */
export interface TargetValueLimits {
  /** Text cannot contain U+0000, nor a parsed JSON document (jsonb) the escape \u0000 (PostgreSQL). */
  readonly textRejectsNul?: boolean;
  /** Inclusive range of a `date` column, canonical 'YYYY-MM-DD'. */
  readonly dateRange?: DateTimeRange;
  /** Inclusive range of a `timestamp` column, canonical 'YYYY-MM-DD HH:MM:SS[.ffffff]'. */
  readonly timestampRange?: DateTimeRange;
  /** Inclusive range of a `timestamptz` column, in UTC, without the offset. */
  readonly timestamptzRange?: DateTimeRange;
  /** Largest magnitude of an `interval` column, in whole hours (MySQL TIME: 838 hours 59:59.999999). */
  readonly intervalMaxHours?: number;
  /** An `interval` column cannot hold years, months or days (MySQL TIME is a plain duration). */
  readonly intervalHoursOnly?: boolean;
  /** Date and timestamp columns accept MySQL's zero and partial-zero dates ('0000-00-00'). */
  readonly acceptsZeroDates?: boolean;
  /**
   * Date and timestamp columns accept PostgreSQL's values beyond the canonical 0001–9999 range, in
   * PostgreSQL's own text: 'infinity', '-infinity', BC dates ('0044-03-15 BC') and years past 9999.
   * A PostgreSQL source emits them as they are; PostgreSQL takes them back, SQLite keeps the text.
   */
  readonly acceptsPostgresDateForms?: boolean;
  /** Decimal columns cannot hold NaN / Infinity. */
  readonly decimalRejectsSpecials?: boolean;
  /** Float columns cannot hold NaN / Infinity (MySQL). */
  readonly floatRejectsSpecials?: boolean;
  /**
   * Array columns take an array literal with lower bounds other than 1 ('[0:1]={1,2}') as it is
   * (PostgreSQL). Elsewhere such a value is rejected (values/array-bounds.ts).
   */
  readonly keepsArrayBounds?: boolean;
}

export interface DateTimeRange {
  readonly min: string;
  readonly max: string;
}

/** PostgreSQL (and PGlite): no NUL in text; numeric NaN is storable; dates beyond 0001–9999 are not canonical anyway. */
export const POSTGRES_VALUE_LIMITS: TargetValueLimits = {
  textRejectsNul: true,
  acceptsPostgresDateForms: true,
  keepsArrayBounds: true,
};

/**
 * MySQL / MariaDB: DATE/DATETIME from year 1 (the manuals document 1000–9999 as "supported", but
 * both store and return earlier dates exactly, also in strict mode — and a MySQL source holds
 * them, so refusing them would lose rows of a MySQL → MySQL copy), TIMESTAMP range (UTC),
 * TIME ±838:59:59.999999.
 */
export const MYSQL_VALUE_LIMITS: TargetValueLimits = {
  dateRange: { min: '0001-01-01', max: '9999-12-31' },
  timestampRange: { min: '0001-01-01 00:00:00', max: '9999-12-31 23:59:59.999999' },
  timestamptzRange: { min: '1970-01-01 00:00:01', max: '2038-01-19 03:14:07.999999' },
  intervalMaxHours: 838,
  intervalHoursOnly: true,
  acceptsZeroDates: true,
  decimalRejectsSpecials: true,
  floatRejectsSpecials: true,
};

export const SQLITE_VALUE_LIMITS: TargetValueLimits = { acceptsPostgresDateForms: true };

export const NO_VALUE_LIMITS: TargetValueLimits = {};
