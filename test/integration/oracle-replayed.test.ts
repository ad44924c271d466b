/**
 * Oracle → PostgreSQL end to end through the real executor and a real PostgreSQL, with the Oracle
 * side replayed: `oracledb` is replaced by a stand-in that answers the dictionary queries and the
 * reads with what the thin driver returns for them (strings for NUMBER and for the server's TO_CHAR
 * text, numbers for BINARY_DOUBLE, Buffers for BLOB). No Oracle server can run here
 * (test/integration/oracle-live.test.ts is the real thing); what this proves is everything after the
 * driver: introspection, names, types, snapshots, decoding, and that PostgreSQL takes every value.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { oracleCatalogSql, ORACLE_SCHEMAS_SQL } from '../../src/engines/oracle/oracle-introspect.js';
import { ORACLE_SCN_QUERIES } from '../../src/engines/oracle/oracle-connection.js';
import { runCli } from '../support/cli.js';
import { createMysqlDatabase, createPostgresDatabase, mysqlAvailable, mysqlQuery, postgresAvailable, queryPostgres, type TestDatabase } from '../support/servers.js';

type Wire = unknown;
const col = (table: string, name: string, type: string, extra: Record<string, unknown> = {}) => ({ OWNER: 'HR', TABLE_NAME: table, COLUMN_NAME: name, DATA_TYPE: type, NULLABLE: 'Y', DATA_DEFAULT: null, VIRTUAL_COLUMN: 'NO', HIDDEN_COLUMN: 'NO', ...extra });

/** The HR schema, as the dictionary describes it. */
const DICTIONARY: Record<string, readonly Record<string, unknown>[]> = {
  tables: [
    { OWNER: 'HR', TABLE_NAME: 'ODDITIES', NUM_ROWS: '3', AVG_ROW_LEN: '100' },
    { OWNER: 'HR', TABLE_NAME: 'WORDS', NUM_ROWS: '10', AVG_ROW_LEN: '10' },
  ],
  views: [],
  columns: [
    col('ODDITIES', 'ID', 'NUMBER', { NULLABLE: 'N' }),
    col('ODDITIES', 'BIG', 'NUMBER', { DATA_PRECISION: '38', DATA_SCALE: '0' }),
    col('ODDITIES', 'ROUNDED', 'NUMBER', { DATA_PRECISION: '5', DATA_SCALE: '-2' }),
    col('ODDITIES', 'TINY', 'NUMBER', { DATA_PRECISION: '2', DATA_SCALE: '5' }),
    col('ODDITIES', 'RATIO', 'BINARY_DOUBLE'),
    col('ODDITIES', 'CODE', 'CHAR', { CHAR_LENGTH: '4', CHAR_USED: 'B' }),
    col('ODDITIES', 'Title', 'NVARCHAR2', { CHAR_LENGTH: '20' }),
    col('ODDITIES', 'BODY', 'NCLOB'),
    col('ODDITIES', 'BLOBBY', 'BLOB'),
    col('ODDITIES', 'HAPPENED', 'DATE'),
    col('ODDITIES', 'AT_NANOS', 'TIMESTAMP(9)'),
    col('ODDITIES', 'AT_ZONE', 'TIMESTAMP(3) WITH TIME ZONE'),
    col('ODDITIES', 'SPAN_YM', 'INTERVAL YEAR(2) TO MONTH'),
    col('ODDITIES', 'SPAN_DS', 'INTERVAL DAY(2) TO SECOND(6)'),
    col('ODDITIES', 'DOC', 'XMLTYPE', { DATA_TYPE_OWNER: 'SYS' }),
    col('WORDS', 'WORD', 'NVARCHAR2', { CHAR_LENGTH: '10', NULLABLE: 'N' }),
    col('WORDS', 'N', 'NUMBER', { DATA_PRECISION: '3', DATA_SCALE: '0' }),
  ],
  identities: [],
  constraints: [
    { OWNER: 'HR', TABLE_NAME: 'ODDITIES', CONSTRAINT_NAME: 'ODD_PK', CONSTRAINT_TYPE: 'P', STATUS: 'ENABLED', VALIDATED: 'VALIDATED', DEFERRABLE: 'NOT DEFERRABLE' },
    { OWNER: 'HR', TABLE_NAME: 'WORDS', CONSTRAINT_NAME: 'WORDS_PK', CONSTRAINT_TYPE: 'P', STATUS: 'ENABLED', VALIDATED: 'VALIDATED', DEFERRABLE: 'NOT DEFERRABLE' },
  ],
  constraintColumns: [
    { OWNER: 'HR', CONSTRAINT_NAME: 'ODD_PK', COLUMN_NAME: 'ID', POSITION: '1' },
    { OWNER: 'HR', CONSTRAINT_NAME: 'WORDS_PK', COLUMN_NAME: 'WORD', POSITION: '1' },
  ],
  indexes: [],
  indexColumns: [],
  indexExpressions: [],
  tableComments: [],
  columnComments: [],
  sequences: [],
  others: [],
};

/** Rows as the thin driver returns each column's SELECT expression (oracle-values.ts). */
const ROWS: readonly Record<string, Wire>[] = [
  {
    ID: '1', BIG: '-99999999999999999999999999999999999999', ROUNDED: '9999900', TINY: '.00099', RATIO: Number.NaN, CODE: 'ab  ', Title: 'Ωmega 😀', BODY: 'x'.repeat(70_000) + '\n\t"',
    BLOBBY: Buffer.from([0, 255, 10]), HAPPENED: '-0044-03-15 12:00:00', AT_NANOS: ' 2024-02-29 23:59:59.123456789', AT_ZONE: ' 2024-06-01 10:00:00.120', SPAN_YM: '-01-02', SPAN_DS: '+03 04:05:06.500000', DOC: '<a b="1">ü</a>',
  },
  {
    ID: '2', BIG: '12345678901234567890123456789012345678', ROUNDED: '-100', TINY: '-.00001', RATIO: -0, CODE: null, Title: null, BODY: null,
    BLOBBY: Buffer.alloc(0), HAPPENED: ' 9999-12-31 23:59:59', AT_NANOS: ' 0001-01-01 00:00:00.000000000', AT_ZONE: '-4712-01-01 00:00:00.000', SPAN_YM: '+00-00', SPAN_DS: '-00 00:00:00.000001', DOC: null,
  },
  {
    ID: '3', BIG: '0', ROUNDED: '0', TINY: '0', RATIO: Infinity, CODE: 'zz  ', Title: 'plain', BODY: 'é',
    BLOBBY: null, HAPPENED: ' 2000-02-29 00:00:00', AT_NANOS: null, AT_ZONE: null, SPAN_YM: '+99-11', SPAN_DS: '+99 23:59:59.999999', DOC: '<r/>',
  },
];

/** A table chunked by its NVARCHAR2 key: the stand-in evaluates the range predicates (binary order, as NLS_SORT = BINARY). */
const WORDS: readonly [string, string][] = ['ant', 'Bee', 'cat', 'dog', 'eel', 'émeu', 'fox', 'gnu', 'Ωhm', 'zebra'].map((w, i) => [w, String(i)]);
const byBinary = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

const executed: string[] = [];
const wordBinds: unknown[][] = [];

function wordsAnswer(sql: string, binds: readonly unknown[]): unknown[] {
  const bound = binds.map((b) => (typeof b === 'object' && b !== null ? (b as { val: string }).val : (b as string)));
  let rows = [...WORDS].sort((a, b) => byBinary(a[0], b[0]));
  let next = 0;
  if (/t\."WORD" > :\d/.test(sql)) {
    const after = bound[next++]!;
    rows = rows.filter((r) => byBinary(r[0], after) > 0);
  }
  if (/t\."WORD" <= :\d/.test(sql)) {
    const upTo = bound[next++]!;
    rows = rows.filter((r) => byBinary(r[0], upTo) <= 0);
  }
  return rows;
}

function answer(sql: string, binds: readonly unknown[] = []): { rows: unknown[]; objects?: boolean } {
  executed.push(sql);
  if (sql.includes('"WORDS"') && binds.length) wordBinds.push([...binds]);
  if (sql === ORACLE_SCHEMAS_SQL) return { rows: [{ OWNER: 'HR' }], objects: true };
  const catalog = oracleCatalogSql(1);
  for (const [name, text] of Object.entries(catalog)) if (sql === text) return { rows: [...DICTIONARY[name]!], objects: true };
  if (sql === ORACLE_SCN_QUERIES[0]) return { rows: [['4242']] };
  if (/^(ALTER SESSION|SET TRANSACTION|COMMIT)/.test(sql)) return { rows: [] };
  if (/^SELECT COUNT\(\*\) FROM "HR"\."ODDITIES"/.test(sql)) return { rows: [[String(ROWS.length)]] };
  if (/^SELECT COUNT\(\*\) FROM "HR"\."WORDS"/.test(sql)) return { rows: [[String(WORDS.length)]] };
  if (/^SELECT MIN\(t\."WORD"\)/.test(sql)) {
    const sorted = WORDS.map((w) => w[0]).sort(byBinary);
    return { rows: [[sorted[0], sorted[sorted.length - 1]]] };
  }
  if (/^SELECT k FROM \(SELECT t\."WORD" AS k/.test(sql)) {
    const step = Number(/MOD\(dmsplan_rn, (\d+)\)/.exec(sql)![1]);
    const sorted = WORDS.map((w) => w[0]).sort(byBinary);
    return { rows: sorted.filter((_, i) => (i + 1) % step === 0 && i + 1 < sorted.length).map((w) => [w]) };
  }
  const words = /^SELECT t\."WORD", t\."N" FROM "HR"\."WORDS"(?: AS OF SCN \d+)? t/.exec(sql);
  if (words) return { rows: wordsAnswer(sql, binds) };
  if (/^SELECT MIN\(t\."ID"\)/.test(sql)) return { rows: [['1', '3']] };
  const select = /^SELECT (.*) FROM "HR"\."ODDITIES"(?: AS OF SCN \d+)? t/s.exec(sql);
  if (select) {
    // The columns in the order selected: each expression names its column as t."NAME".
    const names = select[1]!.split(/, (?=TO_CHAR|XMLSERIALIZE|JSON_SERIALIZE|ROWIDTOCHAR|CASE|t\.)/).map((e) => /t\."((?:[^"]|"")+)"/.exec(e)![1]!);
    return { rows: ROWS.map((r) => names.map((n) => r[n] ?? null)) };
  }
  throw Object.assign(new Error(`ORA-00942: the stand-in has no answer for: ${sql}`), { errorNum: 942 });
}

vi.mock('oracledb', () => {
  const connection = {
    oracleServerVersionString: '23.5.0.24.7',
    async execute(sql: string, binds: readonly unknown[], options: { resultSet?: boolean; outFormat?: number }) {
      const { rows } = answer(sql, binds);
      if (!options.resultSet) return { rows };
      let handed = false;
      return { resultSet: { getRows: async () => (handed ? [] : ((handed = true), rows)), close: async () => undefined } };
    },
    close: async () => undefined,
  };
  const db = {
    OUT_FORMAT_ARRAY: 4001, OUT_FORMAT_OBJECT: 4002, STRING: 'STRING', BUFFER: 'BUFFER',
    DB_TYPE_CLOB: 'CLOB', DB_TYPE_NCLOB: 'NCLOB', DB_TYPE_BLOB: 'BLOB', DB_TYPE_LONG: 'LONG', DB_TYPE_LONG_RAW: 'LONG RAW', DB_TYPE_NUMBER: 'NUMBER', DB_TYPE_NVARCHAR: 'NVARCHAR',
    createPool: async () => ({ getConnection: async () => connection, close: async () => undefined }),
  };
  return { default: db, ...db };
});

const havePostgres = await postgresAvailable();

// Skipped only when the live PostgreSQL is unreachable outside CI (a server probe).
describe.skipIf(!havePostgres)('Oracle (replayed driver) → PostgreSQL', () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createPostgresDatabase('h_oracle_replay');
  });
  afterAll(async () => {
    await target?.drop();
  });

  it('plans, applies and validates with checksums: every odd value arrives exactly, names folded to lower case', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-oracle-')), 'plan.dmsplan');
    writeFileSync(file, `migration odd {\n  validate = checksums\n  workers = 2\n}\nsource ora oracle {\n  url = env("ORA_URL")\n}\ntarget dst postgres {\n  url = env("PG_URL")\n}\nmap ora.hr.* -> dst.*.* {\n  table words {\n    chunk rows = 3\n  }\n}\n`);
    const env = { ORA_URL: 'oracle://hr:s3cretpw@ora.example:1521/FREEPDB1', PG_URL: target.url };
    const plan = await runCli(['plan', file], env);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('hr.oddities');
    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.stdout + apply.stderr, apply.stdout + apply.stderr).toMatch(/Apply complete/);
    expect(apply.stdout + apply.stderr).not.toContain('s3cretpw');
    const types = await queryPostgres(target.url, `SELECT column_name, format_type(atttypid, atttypmod) AS t FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = 'hr.oddities'::regclass AND a.attname = c.column_name WHERE table_schema = 'hr' AND table_name = 'oddities' ORDER BY ordinal_position`);
    expect(types.map((r) => `${r.column_name} ${r.t}`)).toEqual([
      'id numeric', 'big numeric(38,0)', 'rounded numeric', 'tiny numeric(5,5)', 'ratio double precision', 'code character(4)', 'Title character varying(20)', 'body text', 'blobby bytea',
      'happened timestamp(0) without time zone', 'at_nanos text', 'at_zone timestamp(3) with time zone', 'span_ym interval(0)', 'span_ds interval', 'doc text',
    ]);
    const rows = await queryPostgres(
      target.url,
      `SELECT id::text, big::text, rounded::text, tiny::text, ratio::text, code, "Title", length(body) AS body_length, right(body, 3) AS body_end, encode(blobby, 'hex') AS blobby, happened::text, at_nanos, (at_zone AT TIME ZONE 'UTC')::text AS at_zone, span_ym::text, span_ds::text, doc FROM hr.oddities ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: '1', big: '-99999999999999999999999999999999999999', rounded: '9999900', tiny: '0.00099', ratio: 'NaN', code: 'ab  ', Title: 'Ωmega 😀', body_length: 70_003, body_end: '\n\t"', blobby: '00ff0a', happened: '0044-03-15 12:00:00 BC', at_nanos: '2024-02-29 23:59:59.123456789', at_zone: '2024-06-01 10:00:00.12', span_ym: '-1 years -2 mons', span_ds: '3 days 04:05:06.5', doc: '<a b="1">ü</a>' },
      { id: '2', big: '12345678901234567890123456789012345678', rounded: '-100', tiny: '-0.00001', ratio: '-0', code: null, Title: null, body_length: null, body_end: null, blobby: '', happened: '9999-12-31 23:59:59', at_nanos: '0001-01-01 00:00:00.000000000', at_zone: '4712-01-01 00:00:00 BC', span_ym: '00:00:00', span_ds: '-00:00:00.000001', doc: null },
      { id: '3', big: '0', rounded: '0', tiny: '0.00000', ratio: 'Infinity', code: 'zz  ', Title: 'plain', body_length: 1, body_end: 'é', blobby: null, happened: '2000-02-29 00:00:00', at_nanos: null, at_zone: null, span_ym: '99 years 11 mons', span_ds: '99 days 23:59:59.999999', doc: '<r/>' },
    ]);
    // The key ranges of WORDS meet end to end: every row once, in chunks bound as national text.
    const words = await queryPostgres(target.url, `SELECT word, n::text FROM hr.words ORDER BY n`);
    expect(words.map((r) => r.word)).toEqual(WORDS.map((w) => w[0]));
    expect(wordBinds.length).toBeGreaterThan(1);
    expect(wordBinds.flat().every((b) => typeof b === 'object' && (b as { type?: unknown }).type === 'NVARCHAR')).toBe(true);
    // Several lanes read at one SCN.
    expect(executed.some((s) => s.includes('FROM "HR"."ODDITIES" AS OF SCN 4242 t'))).toBe(true);
  }, 120_000);
});

const haveMysql = await mysqlAvailable();

// Skipped only when the live MariaDB is unreachable outside CI (a server probe).
describe.skipIf(!haveMysql)('Oracle (replayed driver) → MariaDB', () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await createMysqlDatabase('h_oracle_my');
  });
  afterAll(async () => {
    await target?.drop();
  });

  it('loads what MariaDB can hold and puts the rest in the rejects table, nothing lost', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-oracle-')), 'plan.dmsplan');
    writeFileSync(file, `migration odd_my {\n  validate = checksums\n}\nsource ora oracle {\n  url = env("ORA_URL")\n}\ntarget dst mysql {\n  url = env("MY_URL")\n}\nmap ora.hr.* -> dst.${target.name}.* {\n}\ntypes oracle -> mysql {\n  column ODDITIES.ID: number -> bigint lossy\n  column WORDS.WORD: nvarchar2(n) -> varchar(n)\n}\n`);
    const env = { ORA_URL: 'oracle://hr:s3cretpw@ora.example:1521/FREEPDB1', MY_URL: target.url };
    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.stdout + apply.stderr).toMatch(/Apply complete/);
    expect(apply.stdout).toMatch(/span_ym\s+INTERVAL YEAR\(2\) TO MONTH → varchar\(80\) using to_text/);
    expect(apply.stdout).toMatch(/at_zone\s+TIMESTAMP\(3\) WITH TIME ZONE → datetime\(3\) using timestamptz_to_utc/);
    const rejects = (await mysqlQuery(target.url, `SELECT row_key, column_name, value_text FROM _dmsplan.rejects WHERE target_table = '${target.name}.oddities' ORDER BY row_key`)) as Record<string, unknown>[];
    const loaded = (await mysqlQuery(target.url, `SELECT id FROM oddities`)) as unknown[];
    // Every source row arrived or sits in the rejects table with its key, column and value.
    expect(rejects.length + loaded.length).toBe(3);
    expect(rejects.map((r) => `${String(r.row_key)} ${String(r.column_name)} ${String(r.value_text)}`)).toEqual(['1 ratio NaN', '2 at_zone 4712-01-01 00:00:00+00 BC', '3 ratio Infinity']);
    expect(((await mysqlQuery(target.url, `SELECT word FROM words ORDER BY n`)) as Record<string, unknown>[]).map((r) => r.word)).toEqual(WORDS.map((w) => w[0]));
  }, 120_000);
});
