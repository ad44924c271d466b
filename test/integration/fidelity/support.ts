/**
 * Shared machinery of the live fidelity suites: a column is described once (its native source type,
 * the values to write into it, how to read it back as text on each side, and the value the target
 * must hold for a given source value), rows are generated with fast-check from a fixed seed plus one
 * hand-written row per edge, written through the drivers with bound parameters, migrated by the real
 * CLI in-process, and compared value by value.
 *
 * Both sides are read back as text by the drivers directly (mysql2 raw bytes, pg without type
 * parsers, better-sqlite3 values), never through the engines under test, so a reader bug and a
 * writer bug cannot cancel out.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { expect } from 'vitest';
import { runCli, type CliRun } from '../../support/cli.js';

/** The seed of every generated row set; override with FIDELITY_SEED to replay a failure. */
export const FIDELITY_SEED = Number(process.env.FIDELITY_SEED ?? 20240917);

/** Rows per generated set: modest, the suite must stay fast on two cores. */
export const GENERATED_ROWS = Number(process.env.FIDELITY_ROWS ?? 120);

export type TextOut = string | null;

/** One column of a fidelity table. */
export interface FidelityColumn {
  readonly name: string;
  /** Native type in the source DDL. */
  readonly type: string;
  /** Generated parameter values (bound as they are; null allowed). */
  readonly arb: fc.Arbitrary<unknown>;
  /** Hand-written edge values, one row each. */
  readonly edges: readonly unknown[];
  /** Placeholder expression around the bound parameter, e.g. `CAST(? AS UNSIGNED)`; default the placeholder. */
  readonly insertAs?: (placeholder: string) => string;
  /** SELECT expression reading the source column as text; default the column itself. */
  readonly sourceSql?: (quoted: string) => string;
  /** SELECT expression reading the target column as text; default the column itself. */
  readonly targetSql?: (quoted: string) => string;
  /** The target's text for the source's text; `REJECT` when the row must be rejected for this column. */
  readonly expected: (source: string) => TextOut | typeof REJECT;
  /** Value equality of target texts, where text equality is too strict (JSON, floats). */
  readonly equal?: (actual: string, expected: string) => boolean;
}

export const REJECT = Symbol('reject');

export interface GeneratedRows {
  readonly seed: number;
  /** Rows of bound values, id first. */
  readonly rows: readonly (readonly unknown[])[];
}

/** Edge rows (one per edge value of any column, other columns NULL) then generated rows, ids 1… */
export function buildRows(columns: readonly FidelityColumn[], generated = GENERATED_ROWS, seed = FIDELITY_SEED): GeneratedRows {
  const rows: unknown[][] = [];
  let id = 0;
  for (const [c, column] of columns.entries()) {
    for (const edge of column.edges) {
      const row: unknown[] = [++id, ...columns.map(() => null)];
      row[c + 1] = edge;
      rows.push(row);
    }
  }
  const record = fc.tuple(...columns.map((c) => fc.option(c.arb, { freq: 8, nil: null })));
  for (const values of fc.sample(record, { seed, numRuns: generated })) rows.push([++id, ...values]);
  return { seed, rows };
}

// ───────────────────────────── plans and the CLI ─────────────────────────────

export interface Endpoint {
  readonly engine: 'mysql' | 'postgres' | 'sqlite' | 'pglite';
  readonly url: string;
}

/** A plan with one map (all tables of `sourceSchema` into `targetSchema`), run with `apply --auto-approve`. */
export async function migrate(source: Endpoint, sourceSchema: string, target: Endpoint, targetSchema: string, mapBody = ''): Promise<CliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-fidelity-'));
  const file = path.join(dir, 'fidelity.dmsplan');
  writeFileSync(
    file,
    `migration fidelity {
  validate = checksums
}
source src ${source.engine} {
  url = env("SRC_URL")
}
target dst ${target.engine} {
  url = env("DST_URL")
}
map src.${sourceSchema}.* -> dst.${targetSchema}.* {
${mapBody}
}
`,
  );
  try {
    return await runCli(['apply', file, '--auto-approve'], { SRC_URL: source.url, DST_URL: target.url });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function expectApplied(run: CliRun): void {
  const output = run.stdout + run.stderr;
  const tail = output.split('\n').filter((l) => /[✗!]|fail|error|Apply/i.test(l)).slice(0, 40).join('\n');
  expect(output, tail).toMatch(/Apply complete/);
  expect(run.code, tail).toBe(0);
}

// ───────────────────────────── drivers ─────────────────────────────

export type TextRow = Record<string, TextOut>;

export async function withMysql<T>(url: string, body: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ uri: url, charset: 'utf8mb4', timezone: 'Z' });
  try {
    await c.query("SET SESSION time_zone = '+00:00', sql_mode = 'NO_ENGINE_SUBSTITUTION'");
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Rows as text exactly as the server prints them (raw bytes decoded as UTF-8). */
export async function mysqlText(url: string, sql: string): Promise<TextRow[]> {
  return withMysql(url, async (c) => {
    const [rows] = await c.query({ sql, typeCast: false, rowsAsArray: false });
    return (rows as Record<string, Buffer | null>[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : v.toString('utf8')])));
  });
}

export async function withPostgres<T>(url: string, body: (c: pg.Client) => Promise<T>, timeZone = 'UTC'): Promise<T> {
  const c = new pg.Client({ connectionString: url, types: { getTypeParser: () => (v: string) => v } as never });
  await c.connect();
  try {
    await c.query(`SET TimeZone = '${timeZone}'; SET IntervalStyle = postgres; SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD'`);
    return await body(c);
  } finally {
    await c.end();
  }
}

/** Rows as the server's text output (no type parsers), session in UTC. */
export async function postgresText(url: string, sql: string): Promise<TextRow[]> {
  return withPostgres(url, async (c) => (await c.query(sql)).rows as TextRow[]);
}

/** Multi-row parameterised INSERTs in batches; `placeholder(i)` renders the i-th (1-based) parameter. */
export async function insertRows(
  run: (sql: string, params: unknown[]) => Promise<unknown>,
  table: string,
  quote: (name: string) => string,
  columns: readonly FidelityColumn[],
  rows: readonly (readonly unknown[])[],
  placeholder: (i: number) => string,
  batch = 25,
): Promise<void> {
  const names = ['id', ...columns.map((c) => c.name)].map(quote).join(', ');
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const params: unknown[] = [];
    const tuples = slice.map((row) => {
      const cells = row.map((value, i) => {
        params.push(value);
        const p = placeholder(params.length);
        const column = i === 0 ? undefined : columns[i - 1];
        return column?.insertAs ? column.insertAs(p) : p;
      });
      return `(${cells.join(', ')})`;
    });
    await run(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}`, params);
  }
}

export function selectList(columns: readonly FidelityColumn[], quote: (n: string) => string, side: 'source' | 'target'): string {
  return [
    `${quote('id')} AS id`,
    ...columns.map((c) => {
      const q = quote(c.name);
      const sql = side === 'source' ? (c.sourceSql?.(q) ?? q) : (c.targetSql?.(q) ?? q);
      return `${sql} AS ${quote(c.name)}`;
    }),
  ].join(', ');
}

// ───────────────────────────── comparison ─────────────────────────────

export interface ExpectedRejection {
  readonly id: string;
  readonly column: string;
}

/**
 * Compares target rows with the expected image of the source rows. Returns the rejections the
 * source rows call for (the caller checks them against `_dmsplan.rejects`). Every mismatch is
 * collected and reported together with the seed.
 */
export function compareRows(columns: readonly FidelityColumn[], source: readonly TextRow[], target: readonly TextRow[], seed: number): ExpectedRejection[] {
  const byId = new Map(target.map((r) => [String(r.id), r]));
  const problems: string[] = [];
  const rejections: ExpectedRejection[] = [];
  for (const s of source) {
    const id = String(s.id);
    const expectedRow: Record<string, TextOut> = {};
    let rejected = false;
    for (const c of columns) {
      const v = s[c.name] ?? null;
      const e = v === null ? null : c.expected(v);
      if (e === REJECT) {
        rejected = true;
        rejections.push({ id, column: c.name });
      } else expectedRow[c.name] = e;
    }
    const t = byId.get(id);
    if (rejected) {
      if (t) problems.push(`row ${id}: expected to be rejected (${rejections.filter((r) => r.id === id).map((r) => r.column).join(', ')}) but arrived`);
      continue;
    }
    if (!t) {
      problems.push(`row ${id}: missing in the target`);
      continue;
    }
    for (const c of columns) {
      const want = expectedRow[c.name] ?? null;
      const got = t[c.name] ?? null;
      const same = want === null || got === null ? want === got : c.equal ? c.equal(got, want) : got === want;
      if (!same) problems.push(`row ${id} column ${c.name}: source ${show(s[c.name] ?? null)} → expected ${show(want)}, target has ${show(got)}`);
    }
  }
  if (target.length !== source.length - new Set(rejections.map((r) => r.id)).size) problems.push(`target has ${target.length} rows, source ${source.length}`);
  expect(problems, `seed ${seed} (replay with FIDELITY_SEED=${seed}):\n${problems.slice(0, 40).join('\n')}`).toEqual([]);
  return rejections;
}

function show(v: TextOut): string {
  if (v === null) return 'NULL';
  const shown = JSON.stringify(v.length > 120 ? `${v.slice(0, 120)}…(${v.length} chars)` : v);
  return shown;
}

// ───────────────────────────── value helpers ─────────────────────────────

/** '12:00:00.500000' → '12:00:00.5'; '…00.000000' → '…00' (PostgreSQL prints no trailing zeros). */
export function trimFraction(text: string): string {
  return text.replace(/\.(\d*?)0+(?=$|[+-]\d\d(:\d\d)?$)/, (_m, keep: string) => (keep ? `.${keep}` : ''));
}

/** A zero or partial-zero MySQL date/datetime. */
export function isZeroDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return m !== null && (m[1] === '0000' || m[2] === '00' || m[3] === '00');
}

/** JSON documents are equal as values (key order and whitespace are not data). */
export function jsonEqual(a: string, b: string): boolean {
  try {
    return deepEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b; // 0 and -0 are one JSON number
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Floats compared by value at the column's width ('-0' and '0' differ; NaN equals NaN). */
export function floatEqual(bits: 32 | 64): (a: string, b: string) => boolean {
  const norm = (t: string) => {
    const x = Number(t.replace(/^inf(inity)?$/i, 'Infinity').replace(/^-inf(inity)?$/i, '-Infinity'));
    return bits === 32 ? Math.fround(x) : x;
  };
  return (a, b) => Object.is(norm(a), norm(b));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Text without U+0000 (PostgreSQL text cannot hold it; those values are tested as rejections). */
export function textWithoutNul(maxLength: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: 'binary', maxLength }),
      fc.string({ unit: 'grapheme-ascii', maxLength }),
      fc.constantFrom('', ' ', '\t\n\r', '\\', '\\\\t', '\u0001\u001f\u007f', '😀', '𝄞x😀', "O'Brien", 'é', '\u2028', '\\x00', '\\N', 'a\tb\\c\nd'),
    )
    .map((s) => s.replace(/\u0000/g, ''))
    .filter((s) => [...s].length <= maxLength);
}

/** Characters MySQL latin1 (= cp1252) can store. */
const LATIN1_CHARS = [...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~\t\n', '\u00a0', 'é', 'ÿ', 'ß', 'Ø', '€', 'Œ', 'œ', '™', '‰', '\u0081', '\u008d'];
export function latin1Text(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...LATIN1_CHARS), maxLength });
}

export function dateText(minYear: number, maxYear: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: minYear, max: maxYear }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`);
}

export function timeOfDay(precision: number): fc.Arbitrary<string> {
  const frac = precision === 0 ? fc.constant('') : fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 10 ** precision - 1 }).map((f) => `.${pad(f, precision)}`));
  return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 }), frac).map(([h, m, s, f]) => `${pad(h)}:${pad(m)}:${pad(s)}${f}`);
}

export function timestampText(precision: number, minYear = 1, maxYear = 9999): fc.Arbitrary<string> {
  return fc.tuple(dateText(minYear, maxYear), timeOfDay(precision)).map(([d, t]) => `${d} ${t}`);
}

export function intText(bits: number, unsigned: boolean): fc.Arbitrary<string> {
  const full = 2n ** BigInt(bits);
  const min = unsigned ? 0n : -(full / 2n);
  const max = unsigned ? full - 1n : full / 2n - 1n;
  return fc.oneof(fc.constantFrom(min, max, 0n), fc.bigInt({ min, max })).map(String);
}

export function intEdges(bits: number, unsigned: boolean): string[] {
  const full = 2n ** BigInt(bits);
  return unsigned ? ['0', String(full - 1n)] : [String(-(full / 2n)), String(full / 2n - 1n), '0'];
}

export function decimalText(precision: number, scale: number): fc.Arbitrary<string> {
  const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: n });
  return fc.tuple(fc.boolean(), digits(precision - scale), digits(scale)).map(([neg, i, f]) => {
    const text = `${i.replace(/^0+/, '') || '0'}${f ? `.${f}` : ''}`;
    return neg && /[1-9]/.test(text) ? `-${text}` : text;
  });
}

export function decimalEdges(precision: number, scale: number): string[] {
  const max = `${'9'.repeat(precision - scale) || '0'}${scale ? `.${'9'.repeat(scale)}` : ''}`;
  const tiny = scale ? `0.${'0'.repeat(scale - 1)}1` : '1';
  return [max, `-${max}`, tiny, `-${tiny}`, '0'];
}

/** A float32 value that the server stores exactly, as shortest text. */
export const float32Arb: fc.Arbitrary<string> = fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => {
  if (Object.is(x, -0)) return '-0';
  for (let d = 1; d <= 9; d++) {
    const t = Number(x.toPrecision(d));
    if (Math.fround(t) === x) return String(t);
  }
  return String(x);
});

export const float64Arb: fc.Arbitrary<string> = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? '-0' : String(x)));

/** Binary values with NUL bytes and every byte value likely. */
export function bytesArb(maxLength: number): fc.Arbitrary<Buffer> {
  return fc.oneof(fc.uint8Array({ maxLength }), fc.constantFrom(new Uint8Array([0]), new Uint8Array([0, 0, 255, 92, 10, 0]), new Uint8Array(0))).map((a) => Buffer.from(a));
}

export const BINARY_EDGES: readonly Buffer[] = [Buffer.alloc(0), Buffer.from([0]), Buffer.from([0, 1, 0, 255, 0x5c, 0x27, 0x0a, 0x0d, 0x09, 0x00]), Buffer.from('\\x00', 'latin1')];

export const TEXT_EDGES: readonly string[] = ['', ' ', '\t', 'a\tb\\c\nd\re', '\\', '\\N', '\\.', '😀𝄞', '\u0001\u0002\u001b\u007f', "it's \"quoted\"", 'é€™', '\u2028\u2029', 'x'.repeat(200)];

export const JSON_EDGES: readonly string[] = ['{}', '[]', 'null', '"é😀 \\u00e9"', '{"ключ":"值","emoji":"😀","nested":{"a":[1,2.5,-0,1e300,true,null]}}', '"\\\\ back\\tslash"', '12345678901234567890', '[1.5e-7]'];

export const jsonArb: fc.Arbitrary<string> = fc.oneof(
  fc.json({ depthSize: 'small' }),
  fc.jsonValue({ depthSize: 'small' }).map((v) => JSON.stringify(v)),
  fc.constantFrom(...JSON_EDGES),
).filter((text) => !/\\u0000/.test(text));

export function hexOf(buffer: Buffer): string {
  return buffer.toString('hex').toUpperCase();
}

/** `x` quoted for the engines' identifiers (tests name things simply; this keeps SQL readable). */
export const quoteMysql = (n: string) => `\`${n}\``;
export const quotePg = (n: string) => `"${n}"`;

// ───────────────────────────── SQLite ─────────────────────────────

/** A SQLite value as text: integers exactly (safe integers), reals in JS's shortest form, blobs as upper-case hex. */
export function sqliteValueText(v: unknown): TextOut {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (Buffer.isBuffer(v)) return v.toString('hex').toUpperCase();
  return String(v);
}

/** '1e+21' → '1000000000000000000000', '1.5e-7' → '0.00000015'; plain texts unchanged. */
export function plainDecimal(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i.exec(text);
  if (!m) return text;
  const [, sign, int, frac = '', exp] = m;
  const digits = `${int}${frac}`;
  const point = int!.length + Number(exp);
  const out =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? `${digits}${'0'.repeat(point - digits.length)}` : `${digits.slice(0, point)}.${digits.slice(point)}`;
  const trimmed = out.replace(/^0+(?=\d)/, '');
  return `${sign}${trimmed}`;
}
