/** How SQL Server values are selected and decoded: the SQL asserted exactly, the decoding by properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadColumn } from '../../../src/engines/contract.js';
import { parseSqlServerType, sqlServerToLogical } from '../../../src/engines/sqlserver/sqlserver-types.js';
import { decimalText, decoderFor, selectExpression, utcText } from '../../../src/engines/sqlserver/sqlserver-values.js';

function column(type: string, name = 'v'): ReadColumn {
  const native = parseSqlServerType(type)!;
  return { name, native, logical: sqlServerToLogical(native) };
}

describe('SQL Server reads', () => {
  it('has the server print every type tedious would round as exact text, in language-independent styles', () => {
    expect(selectExpression(column('decimal(38,10)'))).toBe('CONVERT(varchar(50), [v])');
    expect(selectExpression(column('money'))).toBe('CONVERT(varchar(30), [v], 2)');
    expect(selectExpression(column('date'))).toBe('CONVERT(char(10), [v], 23)');
    expect(selectExpression(column('time(7)'))).toBe('CONVERT(varchar(16), [v])');
    expect(selectExpression(column('datetime2(7)'))).toBe('CONVERT(varchar(27), [v], 121)');
    expect(selectExpression(column('datetime'))).toBe('CONVERT(varchar(27), [v], 121)');
    expect(selectExpression(column('smalldatetime'))).toBe('CONVERT(varchar(19), [v], 120)');
    expect(selectExpression(column('datetimeoffset(7)'))).toBe("CONVERT(varchar(34), SWITCHOFFSET([v], '+00:00'), 121)");
    expect(selectExpression(column('uniqueidentifier'))).toBe('CONVERT(char(36), [v])');
    expect(selectExpression(column('hierarchyid'))).toBe('CONVERT(nvarchar(max), [v])');
    expect(selectExpression(column('geography', 'g]x'))).toBe("CASE WHEN [g]]x] IS NULL THEN NULL WHEN [g]]x].STSrid = 0 THEN [g]]x].AsTextZM() ELSE CONCAT(N'SRID=', [g]]x].STSrid, N';', [g]]x].AsTextZM()) END");
    expect(selectExpression(column('nvarchar(max)'))).toBe('[v]');
    expect(selectExpression(column('bigint'))).toBe('[v]');
  });

  it('gives a decimal whose scale is its precision its integer zero back (SQL Server prints .1234)', () => {
    const decode = decoderFor(column('decimal(4,4)'));
    expect(decode('.1234')).toBe('0.1234');
    expect(decode('-.5000')).toBe('-0.5000');
    expect(decode('12.5000')).toBe('12.5000');
    expect(decoderFor(column('money'))('-922337203685477.5808')).toBe('-922337203685477.5808');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }), fc.integer({ min: 0, max: 38 }), (unscaled, scale) => {
        // What SQL Server prints: the digits with a point `scale` from the end, no leading zero when scale = precision.
        const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale, '0');
        const intPart = digits.slice(0, digits.length - scale);
        const printed = `${unscaled < 0n ? '-' : ''}${intPart}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''}`;
        const text = decimalText(printed);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        // Only the missing integer zero is added: the digits and the scale are the server's.
        expect(text === printed || text === printed.replace(/^(-?)\./, '$10.')).toBe(true);
      }),
    );
  });

  it('decodes real as the shortest float32 text and float as the float64 one, both reading back as the same number', () => {
    const real = decoderFor(column('real'));
    const float = decoderFor(column('float'));
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const text = real(f) as string;
        expect(Math.fround(Number(text))).toBe(Math.fround(f));
      }),
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(Object.is(Number(float(d)), d)).toBe(true);
      }),
    );
    expect(real(0.1)).toBe('0.1');
    expect(float(-0)).toBe('-0');
  });

  it('normalises datetimeoffset to the canonical UTC form, all seven digits kept', () => {
    expect(utcText('2020-01-02 03:04:05.1234567 +00:00')).toBe('2020-01-02 03:04:05.1234567+00:00');
    expect(utcText('0001-01-01 00:00:00 +00:00')).toBe('0001-01-01 00:00:00+00:00');
    expect(() => utcText('2020-01-02 03:04:05 +02:00')).toThrow(/bug/);
    expect(decoderFor(column('datetimeoffset(7)'))(null)).toBeNull();
  });

  it('keeps integers exact (bigint arrives as text), uuids in lower case, bits as booleans, bytes as bytes', () => {
    expect(decoderFor(column('bigint'))('-9223372036854775808')).toBe('-9223372036854775808');
    expect(decoderFor(column('tinyint'))(255)).toBe('255');
    expect(decoderFor(column('uniqueidentifier'))('6F9619FF-8B86-D011-B42D-00C04FC964FF')).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
    expect(decoderFor(column('bit'))(true)).toBe(true);
    expect(decoderFor(column('rowversion'))(Buffer.from('0000000000000fa1', 'hex'))).toEqual(Buffer.from('0000000000000fa1', 'hex'));
    expect(decoderFor(column('nvarchar(10)'))('a\u0000😀')).toBe('a\u0000😀');
    expect(() => decoderFor(column('int'))({})).toThrow(/bug: SQL Server column v/);
  });
});
