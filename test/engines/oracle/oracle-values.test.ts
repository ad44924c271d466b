import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadColumn } from '../../../src/engines/contract.js';
import { decodeOracleDateTime, decodeOracleDaySecond, decodeOracleFloat, decodeOracleNumber, decodeOracleYearMonth, oracleDateTimeText, oracleDecoder, oracleKeyBound, oracleSelectExpression } from '../../../src/engines/oracle/oracle-values.js';
import { oracleToLogical, parseOracleType } from '../../../src/engines/oracle/oracle-types.js';
import { parseInterval } from '../../../src/types/values/datetime-text.js';

function column(name: string, type: string): ReadColumn {
  const native = parseOracleType(type)!;
  return { name, native, logical: oracleToLogical(native) };
}

/**
 * How the thin driver spells a NUMBER (oracledb's parseOracleNumber): no zero before the point, no
 * trailing zeros after it, trailing zeros of an integer written out.
 */
function tm9(digits: string, scale: number, negative: boolean): string {
  const padded = digits.padStart(scale + 1, '0');
  const int = padded.slice(0, padded.length - scale).replace(/^0+/, '');
  const frac = padded.slice(padded.length - scale).replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int || '0';
  return negative && body !== '0' ? `-${body}` : body;
}

describe('Oracle value decoding', () => {
  it('reads numbers as the driver spells them into canonical decimals, digit for digit', () => {
    expect(['.5', '-.5', '0', '-12', `1${'0'.repeat(125)}`, `-.${'0'.repeat(129)}12`, '12.340', '-1e126'].map(decodeOracleNumber)).toEqual(['0.5', '-0.5', '0', '-12', `1${'0'.repeat(125)}`, `-0.${'0'.repeat(129)}12`, '12.34', `-1${'0'.repeat(126)}`]);
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,38}$/), fc.integer({ min: 0, max: 38 }), fc.boolean(), (digits, scale, negative) => {
        const printed = tm9(digits, scale, negative);
        const decoded = decodeOracleNumber(printed);
        // Same number: the canonical text reads back as the printed one.
        expect(decoded).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(decoded.replace(/^(-?)0\./, '$1.')).toBe(printed === '0' ? '0' : printed.replace(/^(-?)0\./, '$1.'));
      }),
    );
  });

  it('reads exponent spellings of big and tiny numbers exactly (the driver\'s -1e126, a TO_CHAR in a raw filter)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{0,37}$/), fc.integer({ min: -130, max: 125 }), (digits, exponent) => {
        const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
        const printed = `${mantissa}E${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
        const decoded = decodeOracleNumber(printed);
        // Every significant digit is kept, at its place.
        expect(decoded.replace(/[.-]/g, '').replace(/^0+/, '').replace(/0+$/, '')).toBe(digits.replace(/0+$/, ''));
        const point = decoded.includes('.') ? decoded.indexOf('.') : decoded.length;
        if (exponent >= 0) expect(point).toBe(exponent + 1);
        else expect(decoded.startsWith(`0.${'0'.repeat(-exponent - 1)}${digits[0]}`)).toBe(true);
      }),
    );
  });

  it('keeps floats: NaN, infinities, negative zero and float32 in its shortest form', () => {
    expect([NaN, Infinity, -Infinity, -0, 0.1, 1e300].map((x) => decodeOracleFloat(x, 64))).toEqual(['NaN', 'Infinity', '-Infinity', '-0', '0.1', '1e+300']);
    fc.assert(
      fc.property(fc.float({ noNaN: true }), (f) => {
        expect(Math.fround(Number(decodeOracleFloat(f, 32)))).toBe(Math.fround(f));
      }),
    );
  });

  it('reads dates and timestamps without any time zone, BC years as PostgreSQL prints them', () => {
    expect(decodeOracleDateTime(' 2024-02-29 13:05:00')).toBe('2024-02-29 13:05:00');
    expect(decodeOracleDateTime(' 2024-02-29 13:05:00.120000')).toBe('2024-02-29 13:05:00.12');
    expect(decodeOracleDateTime(' 2024-02-29 13:05:00.000000')).toBe('2024-02-29 13:05:00');
    expect(decodeOracleDateTime('-0044-03-15 12:00:00')).toBe('0044-03-15 12:00:00 BC');
    expect(decodeOracleDateTime(' 1999-12-31 23:59:59.5', '+00:00')).toBe('1999-12-31 23:59:59.5+00:00');
    // Beyond the canonical years, PostgreSQL's own text (what its reader hands back): '+00 BC'.
    expect(decodeOracleDateTime('-4712-01-01 00:00:00', '+00:00')).toBe('4712-01-01 00:00:00+00 BC');
  });

  it('round-trips timestamps between their canonical text and the text a key bound binds', () => {
    const ts = fc
      .tuple(fc.integer({ min: -4712, max: 9999 }).filter((y) => y !== 0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 86399 }), fc.integer({ min: 0, max: 999999 }))
      .map(([y, mo, d, s, us]) => {
        const p2 = (n: number) => String(n).padStart(2, '0');
        const body = `${String(Math.abs(y)).padStart(4, '0')}-${p2(mo)}-${p2(d)} ${p2(Math.floor(s / 3600))}:${p2(Math.floor(s / 60) % 60)}:${p2(s % 60)}.${String(us).padStart(6, '0')}`;
        return `${y < 0 ? '-' : ' '}${body}`;
      });
    fc.assert(
      fc.property(ts, (printed) => {
        const canonical = decodeOracleDateTime(printed);
        const bound = oracleDateTimeText(canonical, true);
        // The bound is the printed value, spelt with or without trailing zeros: decoding it again gives the same canonical text.
        expect(decodeOracleDateTime(bound.startsWith('-') ? bound : ` ${bound}`)).toBe(canonical);
        expect(oracleDateTimeText(canonical, false)).not.toContain('.');
      }),
    );
  });

  it('reads intervals into the canonical (IntervalStyle postgres) text', () => {
    expect(['+01-02', '-01-02', '+00-00', '+100-11', '+01-00', '-00-01'].map(decodeOracleYearMonth)).toEqual(['1 year 2 mons', '-1 years -2 mons', '00:00:00', '100 years 11 mons', '1 year', '-1 mons']);
    expect(['+01 02:03:04.500000', '-01 02:03:04.500000', '+00 00:00:00.000000', '-00 00:00:01', '+02 00:00:00', '+00 23:59:59.999999'].map(decodeOracleDaySecond)).toEqual([
      '1 day 02:03:04.5', '-1 days -02:03:04.5', '00:00:00', '-00:00:01', '2 days', '23:59:59.999999',
    ]);
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 999999999 }), fc.integer({ min: 0, max: 86399 }), fc.integer({ min: 0, max: 999999 }), (negative, days, seconds, micros) => {
        const p2 = (n: number) => String(n).padStart(2, '0');
        const printed = `${negative ? '-' : '+'}${p2(days)} ${p2(Math.floor(seconds / 3600))}:${p2(Math.floor(seconds / 60) % 60)}:${p2(seconds % 60)}.${String(micros).padStart(6, '0')}`;
        const parts = parseInterval(decodeOracleDaySecond(printed));
        expect(parts, printed).toBeDefined();
        const sign = negative ? -1 : 1;
        const zero = (n: number) => (n === 0 ? 0 : n);
        expect([zero(parts!.days), zero(parts!.hours * 3_600_000_000 + parts!.micros)]).toEqual([zero(sign * days), zero(sign * (seconds * 1_000_000 + micros))]);
      }),
    );
  });

  it('asks the server for text in fixed formats, whatever the session NLS settings', () => {
    expect(oracleSelectExpression(column('AMOUNT', 'NUMBER(10,2)'))).toBe(`t."AMOUNT"`);
    expect(oracleSelectExpression(column('HIRED', 'DATE'))).toBe(`TO_CHAR(t."HIRED", 'SYYYY-MM-DD HH24:MI:SS')`);
    expect(oracleSelectExpression(column('AT', 'TIMESTAMP(3)'))).toBe(`TO_CHAR(t."AT", 'SYYYY-MM-DD HH24:MI:SS.FF3')`);
    expect(oracleSelectExpression(column('AT', 'TIMESTAMP(0) WITH TIME ZONE'))).toBe(`TO_CHAR(SYS_EXTRACT_UTC(t."AT"), 'SYYYY-MM-DD HH24:MI:SS')`);
    expect(oracleSelectExpression(column('AT', 'TIMESTAMP(6) WITH LOCAL TIME ZONE'))).toBe(`TO_CHAR(SYS_EXTRACT_UTC(CAST(t."AT" AS TIMESTAMP(6) WITH TIME ZONE)), 'SYYYY-MM-DD HH24:MI:SS.FF6')`);
    expect(oracleSelectExpression(column('Doc', 'XMLTYPE'))).toBe(`XMLSERIALIZE(CONTENT t."Doc" AS CLOB)`);
    expect(oracleSelectExpression(column('J', 'JSON'))).toBe(`JSON_SERIALIZE(t."J" RETURNING CLOB)`);
    expect(oracleSelectExpression(column('R', 'ROWID'))).toBe(`ROWIDTOCHAR(t."R")`);
    expect(oracleSelectExpression(column('NAME', 'VARCHAR2(20 CHAR)'))).toBe(`t."NAME"`);
  });

  it('decodes what the driver hands over, NULL as null', () => {
    expect(oracleDecoder(column('N', 'NUMBER'))('-.25')).toBe('-0.25');
    expect(oracleDecoder(column('N', 'NUMBER'))(null)).toBeNull();
    expect(oracleDecoder(column('D', 'DATE'))(' 2020-01-02 03:04:05')).toBe('2020-01-02 03:04:05');
    expect(oracleDecoder(column('T', 'TIMESTAMP(9)'))(' 2020-01-02 03:04:05.123456789')).toBe('2020-01-02 03:04:05.123456789');
    expect(oracleDecoder(column('B', 'RAW(2)'))(Buffer.from([1, 2]))).toEqual(Buffer.from([1, 2]));
    expect(oracleDecoder(column('F', 'BINARY_DOUBLE'))(-0)).toBe('-0');
    expect(oracleDecoder(column('Y', 'INTERVAL YEAR(2) TO MONTH'))('-02-03')).toBe('-2 years -3 mons');
    expect(oracleDecoder(column('OK', 'BOOLEAN'))(true)).toBe(true);
  });

  it('bounds key ranges with variables converted by fixed formats; numbers inline only as checked digits', () => {
    expect(oracleKeyBound(column('ID', 'NUMBER(10)'), '-42', 1)).toEqual({ sql: '-42', bind: undefined });
    expect(() => oracleKeyBound(column('ID', 'NUMBER(10)'), '1 OR 1=1', 1)).toThrow(/bug/);
    expect(oracleKeyBound(column('D', 'DATE'), '2020-01-02 03:04:05', 2)).toEqual({ sql: `TO_DATE(:2, 'SYYYY-MM-DD HH24:MI:SS')`, bind: '2020-01-02 03:04:05' });
    expect(oracleKeyBound(column('T', 'TIMESTAMP(6)'), '2020-01-02 03:04:05', 1)).toEqual({ sql: `TO_TIMESTAMP(:1, 'SYYYY-MM-DD HH24:MI:SS.FF')`, bind: '2020-01-02 03:04:05.0' });
    expect(oracleKeyBound(column('T', 'TIMESTAMP(6) WITH TIME ZONE'), '0044-03-15 12:00:00.5+00 BC', 1)).toEqual({ sql: `TO_TIMESTAMP_TZ(:1, 'SYYYY-MM-DD HH24:MI:SS.FF TZH:TZM')`, bind: '-0044-03-15 12:00:00.5 +00:00' });
    expect(oracleKeyBound(column('CODE', 'VARCHAR2(10 CHAR)'), "O'Brien", 3)).toEqual({ sql: ':3', bind: "O'Brien" });
    // NVARCHAR2 may hold what the database character set lacks: its bound is bound as national text.
    expect(oracleKeyBound(column('NAME', 'NVARCHAR2(10)'), 'Ω😀', 1)).toEqual({ sql: ':1', bind: { national: 'Ω😀' } });
  });
});
