import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePostgresType, postgresFromLogical, postgresToLogical } from '../../../src/engines/postgres/postgres-types.js';
import { compilePostgresFilter, identifierTooLong, postgresDialect, quotePostgresIdent } from '../../../src/engines/postgres/postgres-ddl.js';
import { CopyTextRowEncoder, CopyTextRowParser, parseArrayLiteral, renderArrayLiteral, unescapeCopy } from '../../../src/engines/postgres/postgres-copy-text.js';
import { parsePostgresDefault } from '../../../src/engines/postgres/postgres-introspect.js';
import { toPostgresEngineError } from '../../../src/engines/postgres/postgres-errors.js';
import { describeLogical, type LogicalType } from '../../../src/types/logical.js';
import type { ExprIR } from '../../../src/ir/ir.js';

const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } as never;

describe('parsePostgresType', () => {
  it.each([
    ['integer', 'integer', 'int32'],
    ['int4', 'integer', 'int32'],
    ['int', 'integer', 'int32'],
    ['bigint', 'bigint', 'int64'],
    ['smallint', 'smallint', 'int16'],
    ['numeric(20,0)', 'numeric(20,0)', 'decimal(20,0)'],
    ['numeric(20, 0)', 'numeric(20,0)', 'decimal(20,0)'],
    ['numeric(10)', 'numeric(10,0)', 'decimal(10,0)'],
    ['numeric', 'numeric', 'decimal'],
    ['decimal(12,2)', 'numeric(12,2)', 'decimal(12,2)'],
    ['real', 'real', 'float32'],
    ['double precision', 'double precision', 'float64'],
    ['float8', 'double precision', 'float64'],
    ['text', 'text', 'text'],
    ['character varying(255)', 'character varying(255)', 'varchar(255)'],
    ['varchar(255)', 'character varying(255)', 'varchar(255)'],
    ['character(3)', 'character(3)', 'char(3)'],
    ['bytea', 'bytea', 'binary'],
    ['boolean', 'boolean', 'bool'],
    ['bool', 'boolean', 'bool'],
    ['date', 'date', 'date'],
    ['time(3) without time zone', 'time(3) without time zone', 'time(3)'],
    ['timetz', 'time with time zone', 'time(6) tz'],
    ['timestamp(6) without time zone', 'timestamp(6) without time zone', 'timestamp(6)'],
    ['timestamptz', 'timestamp with time zone', 'timestamptz(6)'],
    ['timestamptz(3)', 'timestamp(3) with time zone', 'timestamptz(3)'],
    ['timestamp with time zone', 'timestamp with time zone', 'timestamptz(6)'],
    ['interval', 'interval', 'interval(6)'],
    ['interval day to second(3)', 'interval(3)', 'interval(3)'],
    ['uuid', 'uuid', 'uuid'],
    ['json', 'json', 'json'],
    ['jsonb', 'jsonb', 'jsonb'],
    ['bit(8)', 'bit(8)', 'bit(8)'],
    ['bit varying(64)', 'bit varying(64)', 'varbit(64)'],
    ['text[]', 'text[]', 'text[]'],
    ['integer[]', 'integer[]', 'int32[]'],
    ['int4[][]', 'integer[]', 'int32[]'],
    ['money', 'money', 'other(money)'],
    ['inet', 'inet', 'other(inet)'],
    ['xml', 'xml', 'other(xml)'],
  ])('%s → %s (%s)', (input, text, logical) => {
    const t = parsePostgresType(input);
    expect(t?.text).toBe(text);
    expect(describeLogical(postgresToLogical(t!))).toBe(logical);
  });

  it('gives one canonical name whatever the spelling (rules match on it)', () => {
    expect(parsePostgresType('timestamptz(3)')!.name).toBe(parsePostgresType('timestamp(0) with time zone')!.name);
    expect(parsePostgresType('varchar')!.name).toBe('character varying');
    expect(parsePostgresType('int8')!.name).toBe('bigint');
  });

  it.each(['nosuchtype', 'varchar(x)', 'numeric(2000)', 'timestamp(9)', 'integer(3)', 'text with time zone', ''])('rejects %s', (input) => {
    expect(parsePostgresType(input)).toBeUndefined();
  });
});

describe('postgresFromLogical', () => {
  const cases: [LogicalType, string][] = [
    [{ kind: 'int', bits: 64, unsigned: true }, 'numeric(20,0)'],
    [{ kind: 'int', bits: 32, unsigned: true }, 'bigint'],
    [{ kind: 'int', bits: 16, unsigned: true }, 'integer'],
    [{ kind: 'int', bits: 8, unsigned: true }, 'smallint'],
    [{ kind: 'int', bits: 24, unsigned: false }, 'integer'],
    [{ kind: 'year' }, 'smallint'],
    [{ kind: 'set', values: ['a', 'b'] }, 'text[]'],
    [{ kind: 'json', binary: true }, 'jsonb'],
    [{ kind: 'json', binary: false }, 'json'],
    [{ kind: 'timestamptz', precision: 3 }, 'timestamp(3) with time zone'],
    [{ kind: 'timestamp', precision: 6 }, 'timestamp without time zone'],
    [{ kind: 'text', length: 20, fixed: true }, 'character(20)'],
    [{ kind: 'array', element: { kind: 'int', bits: 32, unsigned: false } }, 'integer[]'],
  ];
  it.each(cases)('%o → %s', (logical, text) => {
    expect(postgresFromLogical(logical).text).toBe(text);
  });

  it('makes an enum a named type with its labels', () => {
    const t = postgresFromLogical({ kind: 'enum', values: ['s', 'm'], name: 'shirt_size' });
    expect(t.userTypeName).toBe('shirt_size');
    expect(t.values).toEqual(['s', 'm']);
    expect(postgresToLogical(t)).toEqual({ kind: 'enum', values: ['s', 'm'], name: 'shirt_size' });
  });

  it('round-trips through parseNative for every parsed type', () => {
    for (const text of ['integer', 'numeric(12,3)', 'character varying(9)', 'time(2) with time zone', 'bit varying(3)', 'jsonb', 'uuid', 'interval(2)', 'bytea']) {
      const t = parsePostgresType(text)!;
      expect(postgresFromLogical(postgresToLogical(t)).text).toBe(t.text);
    }
  });
});

describe('COPY text codec', () => {
  it('unescapes COPY escapes', () => {
    expect(unescapeCopy('a\\tb\\nc\\\\d\\re')).toBe('a\tb\nc\\d\re');
    expect(unescapeCopy('\\101\\x42')).toBe('AB');
  });

  it('parses arrays with NULL, quotes, backslashes and nesting', () => {
    expect(parseArrayLiteral('{1,NULL,"NULL","a \\"b\\"","c\\\\d"}', (s) => s)).toEqual(['1', null, 'NULL', 'a "b"', 'c\\d']);
    expect(parseArrayLiteral('{{1,2},{3,4}}', (s) => s)).toEqual([['1', '2'], ['3', '4']]);
    expect(parseArrayLiteral('{}', (s) => s)).toEqual([]);
  });

  it('hands over an array with lower bounds other than 1 as its literal, not renumbered from 1', () => {
    // PostgreSQL prints bounds only where a lower bound is not 1; dropping them renumbered the elements.
    expect(parseArrayLiteral('[0:1]={x,y}', (s) => s)).toBe('[0:1]={x,y}');
    expect(parseArrayLiteral('[-1:0][1:2]={{1,2},{3,4}}', (s) => s)).toBe('[-1:0][1:2]={{1,2},{3,4}}');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(null), fc.string()), { maxLength: 5 }), fc.integer({ min: -5, max: 5 }), (items, lower) => {
        const literal = renderArrayLiteral(items, (e) => String(e));
        expect(parseArrayLiteral(literal, (s) => s)).toEqual(items);
        const bounded = `[${lower}:${lower + items.length - 1}]=${literal}`;
        expect(parseArrayLiteral(bounded, (s) => s)).toBe(bounded);
      }),
    );
  });

  it('keeps non-ASCII white space of unquoted array elements (PostgreSQL does not quote it)', () => {
    // array_out quotes only ASCII white space; U+00A0 and U+3000 arrive unquoted and are data.
    expect(parseArrayLiteral('{\u00a0,x\u3000,\u2028}', (s) => s)).toEqual(['\u00a0', 'x\u3000', '\u2028']);
    expect(parseArrayLiteral('{ a ,\tb\n}', (s) => s)).toEqual(['a', 'b']);
  });

  it('decodes rows incrementally across chunk boundaries', () => {
    const parser = new CopyTextRowParser([{ kind: 'int', bits: 32, unsigned: false }, { kind: 'text', length: undefined, fixed: false }, { kind: 'bool' }]);
    const rows: unknown[] = [];
    const bytes = Buffer.from('1\théllo\\tworld\tt\n2\t\\N\tf\n', 'utf8');
    for (let i = 0; i < bytes.length; i += 3) parser.push(bytes.subarray(i, i + 3), rows as never);
    parser.finish(rows as never);
    expect(rows).toEqual([['1', 'héllo\tworld', true], ['2', null, false]]);
  });

  it('hands a text field that is not UTF-8 over as its bytes (a SQL_ASCII server sends them unchecked), and every other field as text', () => {
    const escapeBytes = (b: Buffer): Buffer => Buffer.from(b.toString('latin1').replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')), 'latin1');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a))), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 7 }), (fields, chunk) => {
        const parser = new CopyTextRowParser(fields.map(() => ({ kind: 'text', length: undefined, fixed: false }) as const));
        const line = Buffer.concat([...fields.flatMap((f, i) => [i ? Buffer.from('\t') : Buffer.alloc(0), escapeBytes(typeof f === 'string' ? Buffer.from(f, 'utf8') : f)]), Buffer.from('\n')]);
        const rows: unknown[][] = [];
        for (let i = 0; i < line.length; i += chunk) parser.push(line.subarray(i, i + chunk), rows as never);
        parser.finish(rows as never);
        const bytesOf = (f: string | Buffer) => (typeof f === 'string' ? Buffer.from(f, 'utf8') : f);
        expect(rows).toEqual([fields.map((f) => (isUtf8(bytesOf(f)) ? bytesOf(f).toString('utf8') : bytesOf(f)))]);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes a line of many MB, split in small chunks, in linear time', () => {
    // 9 MB of COPY text: multi-byte characters cut by chunk edges, escaped backslashes ('\\\\' → '\\').
    const bytes = Buffer.from(`7\t${'é😀\\\\ '.repeat(1_000_000)}\n8\tend\n`, 'utf8');
    const decode = (chunk: number) => {
      const parser = new CopyTextRowParser([{ kind: 'int', bits: 32, unsigned: false }, { kind: 'text', length: undefined, fixed: false }]);
      const rows: unknown[][] = [];
      const started = performance.now();
      for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk), rows as never);
      parser.finish(rows as never);
      return { rows, ms: performance.now() - started };
    };
    // Against the same bytes in one piece, measured beside it (a loaded machine slows both): re-
    // concatenating the unfinished line per chunk made the 2,300 small chunks hundreds of times slower.
    const whole = Math.min(decode(bytes.length).ms, decode(bytes.length).ms);
    const { rows, ms } = decode(4093);
    expect(ms).toBeLessThan(Math.max(8 * whole, 200));
    expect(rows.length).toBe(2);
    expect(rows[0]![1] === 'é😀\\ '.repeat(1_000_000)).toBe(true);
    expect(rows[1]).toEqual(['8', 'end']);
  });

  it('decodes bytea with every byte value, cut anywhere, from its hex bytes', () => {
    const parser = new CopyTextRowParser([{ kind: 'binary', length: undefined, fixed: false }, { kind: 'text', length: undefined, fixed: false }, { kind: 'binary', length: undefined, fixed: false }]);
    const every = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const bytes = Buffer.from(`\\\\x${every.toString('hex')}\tafter\t\\\\x\n\\N\t\\N\t\\\\x00FF\n`, 'latin1');
    const rows: unknown[][] = [];
    for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7), rows as never);
    parser.finish(rows as never);
    expect(rows).toEqual([
      [every, 'after', Buffer.alloc(0)],
      [null, null, Buffer.from([0, 255])],
    ]);
  });

  it('decodes a bytea of many MB without making a string of it (memory stays near the value size)', () => {
    const parser = new CopyTextRowParser([{ kind: 'int', bits: 32, unsigned: false }, { kind: 'binary', length: undefined, fixed: false }]);
    const value = Buffer.alloc(16 * 1024 * 1024, 0xab);
    const line = Buffer.concat([Buffer.from('1\t\\\\x'), Buffer.from(value.toString('hex')), Buffer.from('\n')]);
    const toString = Buffer.prototype.toString;
    let longest = 0;
    // Every string the parser makes from bytes goes through Buffer#toString: the longest one made
    // is what a value costs beyond its bytes. The whole line as text was 32 MB, then copied twice more.
    Buffer.prototype.toString = function (this: Buffer, ...args: unknown[]) {
      const s = (toString as (...a: unknown[]) => string).apply(this, args);
      longest = Math.max(longest, s.length);
      return s;
    } as typeof toString;
    const rows: unknown[][] = [];
    try {
      for (let i = 0; i < line.length; i += 65_536) parser.push(line.subarray(i, i + 65_536), rows as never);
      parser.finish(rows as never);
    } finally {
      Buffer.prototype.toString = toString;
    }
    expect(rows.length).toBe(1);
    expect((rows[0]![1] as Buffer).equals(value)).toBe(true);
    expect(longest).toBeLessThanOrEqual(1024 * 1024);
  });

  it('encodes canonical values and reads them back', () => {
    const cols = [
      { name: 'a', logical: { kind: 'text', length: undefined, fixed: false } as const },
      { name: 'b', logical: { kind: 'binary', length: undefined, fixed: false } as const },
      { name: 'c', logical: { kind: 'array', element: { kind: 'text', length: undefined, fixed: false } } as const },
      { name: 'd', logical: { kind: 'bool' } as const },
    ];
    const enc = new CopyTextRowEncoder(cols, 't');
    const row = ['tab\there\\ "q"\nnl', Buffer.from([0, 1, 255]), ['x', null, 'NULL', 'a"b\\c', ''], false];
    const line = enc.encodeRow(row);
    const parser = new CopyTextRowParser(cols.map((c) => c.logical));
    const out: unknown[] = [];
    parser.push(Buffer.from(line), out as never);
    expect(out).toEqual([row]);
  });

  it('refuses NUL in text as a data error naming the column', () => {
    const enc = new CopyTextRowEncoder([{ name: 'note', logical: { kind: 'text', length: undefined, fixed: false } }], '"s"."t"');
    expect(() => enc.encodeRow(['a\u0000b'])).toThrow(expect.objectContaining({ kind: 'data', message: expect.stringContaining('note') }));
  });
});

describe('dialect', () => {
  it('always quotes, doubling quotes', () => {
    expect(quotePostgresIdent('select')).toBe('"select"');
    expect(quotePostgresIdent('Mixed Case "x"')).toBe('"Mixed Case ""x"""');
    expect(postgresDialect.qualify({ schema: 'My Schema', name: 'tåble' })).toBe('"My Schema"."tåble"');
  });

  it('detects identifiers over 63 bytes', () => {
    expect(identifierTooLong('a'.repeat(63))).toBe(false);
    expect(identifierTooLong('a'.repeat(64))).toBe(true);
    expect(identifierTooLong('é'.repeat(32))).toBe(true); // 64 bytes
  });

  it('compiles filters with safe literals', () => {
    const col = (name: string): ExprIR => ({ kind: 'column', name, span });
    const str = (value: string): ExprIR => ({ kind: 'literal', value: { kind: 'string', value }, span });
    const expr: ExprIR = {
      kind: 'logical', op: 'and', span,
      left: { kind: 'compare', op: '>=', left: col('InvoiceDate'), right: { kind: 'literal', value: { kind: 'date', value: '2009-01-01' }, span }, span },
      right: {
        kind: 'logical', op: 'or', span,
        left: { kind: 'in', negated: false, operand: col('name'), list: [str("O'Brien"), str('x')], span },
        right: { kind: 'like', negated: true, operand: col('name'), pattern: str('a%'), span },
      },
    };
    expect(compilePostgresFilter(expr)).toBe(`(("InvoiceDate" >= date '2009-01-01') AND (("name" IN ('O''Brien', 'x')) OR ("name" NOT LIKE 'a%')))`);
    expect(compilePostgresFilter({ kind: 'literal', value: { kind: 'number', text: '1; DROP TABLE x' }, span })).toBe(`'1; DROP TABLE x'`);
    expect(compilePostgresFilter({ kind: 'between', negated: false, operand: col('t'), low: { kind: 'literal', value: { kind: 'timestamp', value: '2020-01-01T10:00:00' }, span }, high: { kind: 'literal', value: { kind: 'number', text: '5' }, span }, span })).toBe(`("t" BETWEEN timestamp '2020-01-01 10:00:00' AND 5)`);
    expect(compilePostgresFilter({ kind: 'is_null', negated: true, operand: col('x'), span })).toBe('("x" IS NOT NULL)');
  });

  it('makes enum creation idempotent and resets identities through pg_get_serial_sequence', () => {
    const t = postgresFromLogical({ kind: 'enum', values: ["it's", 'b'], name: 'order_status' });
    const [stmt] = postgresDialect.createTypes({ schema: 's', name: 'order', columns: [{ name: 'status', type: t, nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined }], primaryKey: undefined, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], comment: undefined });
    expect(stmt).toContain(`CREATE TYPE "s"."order_status" AS ENUM ('it''s', 'b')`);
    expect(stmt).toContain('duplicate_object');
    // A type kept from an earlier run gets the labels it lacks (a source, or a merge's other source, has more now).
    const all = postgresDialect.createTypes({ schema: 's', name: 'order', columns: [{ name: 'status', type: t, nullable: true, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined }], primaryKey: undefined, uniqueKeys: [], indexes: [], foreignKeys: [], checks: [], comment: undefined });
    expect(all.slice(1).map((s) => s.match(/ALTER TYPE [^;]*;/)?.[0])).toEqual([`ALTER TYPE "s"."order_status" ADD VALUE IF NOT EXISTS 'it''s';`, `ALTER TYPE "s"."order_status" ADD VALUE IF NOT EXISTS 'b';`]);
    expect(postgresDialect.resetIdentity({ schema: 's', name: 'T' }, 'Id')[0]).toContain(`pg_get_serial_sequence('"s"."T"', 'Id')`);
  });

  it("resets an identity no lower than the source's counter (the next value it would hand out), where it is known", () => {
    expect(postgresDialect.resetIdentity({ schema: 's', name: 'T' }, 'Id', '18446744073709551615')).toEqual([
      `SELECT setval(pg_get_serial_sequence('"s"."T"', 'Id'), GREATEST(COALESCE(MAX("Id"), 0), 18446744073709551614), true) FROM "s"."T"`,
    ]);
    // A counter at 1 has handed out nothing: as without one.
    expect(postgresDialect.resetIdentity({ schema: 's', name: 'T' }, 'Id', '1')).toEqual(postgresDialect.resetIdentity({ schema: 's', name: 'T' }, 'Id'));
  });
});

describe('defaults', () => {
  it.each([
    [`nextval('"Order_id_seq"'::regclass)`, { kind: 'sequence', sequence: '"Order_id_seq"' }],
    ['now()', { kind: 'current_timestamp', precision: undefined }],
    ['CURRENT_TIMESTAMP(3)', { kind: 'current_timestamp', precision: 3 }],
    ['CURRENT_DATE', { kind: 'current_date' }],
    [`'it''s'::text`, { kind: 'literal', text: "it's" }],
    [`'x'::character varying`, { kind: 'literal', text: 'x' }],
    ['42', { kind: 'literal', text: '42' }],
    [`'-1'::integer`, { kind: 'literal', text: '-1' }],
    ['true', { kind: 'literal', text: 'true' }],
    ['gen_random_uuid()', { kind: 'expression', sql: 'gen_random_uuid()' }],
  ])('%s', (sql, expected) => {
    expect(parsePostgresDefault(sql)).toEqual(expected);
  });
});

describe('error mapping', () => {
  it('maps SQLSTATEs and network codes to kinds with a redacted, one-line message', () => {
    const url = 'postgres://app:S3cret!@127.0.0.1:5433/shop';
    const endpoint = 'postgres://app:***@127.0.0.1:5433/shop';
    const refused = toPostgresEngineError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5433'), { code: 'ECONNREFUSED' }), endpoint, [url]);
    expect(refused.message).toBe('cannot connect to postgres://app:***@127.0.0.1:5433/shop: connection refused');
    expect(refused.kind).toBe('connect');
    expect(toPostgresEngineError({ code: '28P01', message: 'password authentication failed for user "app"' }, endpoint, [url]).kind).toBe('auth');
    expect(toPostgresEngineError({ code: '40001', message: 'could not serialize' }, endpoint, [url]).kind).toBe('transient');
    expect(toPostgresEngineError({ code: '08006', message: 'x' }, endpoint, [url]).kind).toBe('transient');
    expect(toPostgresEngineError({ code: '23505', message: 'duplicate key', detail: 'Key (id)=(1) already exists.' }, endpoint, [url]).kind).toBe('data');
    expect(toPostgresEngineError({ code: '42P01', message: 'relation "x" does not exist\nLINE 1' }, endpoint, [url]).message).not.toContain('\n');
    expect(toPostgresEngineError({ code: 'XX000', message: 'oops S3cret!' }, endpoint, [url]).message).not.toContain('S3cret');
  });
});
