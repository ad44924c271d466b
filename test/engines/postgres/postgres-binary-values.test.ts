/**
 * The binary forms built from canonical text: each one read back (as PostgreSQL's receive
 * functions read it) gives the value the text spells, computed here another way — BigInt
 * arithmetic, Number() (which rounds correctly, as strtod does), JavaScript's own calendar — and a
 * text the writers do not know is refused (-1), never read as something else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, parseDouble, writeDate, writeDouble, writeInteger, writeNumeric, writeTimestamp, writeUuid } from '../../../src/engines/postgres/postgres-binary-values.js';

const ascii = (text: string): Buffer => Buffer.from(`##${text}##`, 'latin1');
/** Runs a writer on `text` placed inside a larger buffer; the bytes written, or undefined for -1. */
function written(write: (b: Buffer, s: number, e: number, out: Buffer, p: number) => number, text: string): Buffer | undefined {
  const b = ascii(text);
  const out = Buffer.alloc(text.length + 64, 0xee);
  const end = write(b, 2, b.length - 2, out, 3);
  return end < 0 ? undefined : out.subarray(3, end);
}

/** A numeric's binary form read back as its decimal text, with exactly `dscale` fraction digits. */
function numericText(bin: Buffer): string {
  const ndigits = bin.readInt16BE(0);
  const weight = bin.readInt16BE(2);
  const sign = bin.readUInt16BE(4);
  const dscale = bin.readInt16BE(6);
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  let digits = '';
  for (let i = 0; i < ndigits; i++) digits += String(bin.readUInt16BE(8 + 2 * i)).padStart(4, '0');
  // Digits stand for groups weight, weight-1, …: the point sits after (weight + 1) groups.
  const point = (weight + 1) * 4;
  const padded = point < 0 ? '0'.repeat(-point) + digits : digits.padEnd(point, '0');
  const at = Math.max(point, 0);
  const intPart = padded.slice(0, at).replace(/^0+/, '') || '0';
  const frac = padded.slice(at);
  expect(frac.slice(dscale).replace(/0/g, ''), 'no digit past the display scale').toBe('');
  const text = dscale > 0 ? `${intPart}.${frac.slice(0, dscale).padEnd(dscale, '0')}` : intPart;
  return sign === 0x4000 && /[1-9]/.test(text) ? `-${text}` : text;
}

const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: max });

describe('writeInteger', () => {
  it('writes every integer of each width as the server reads it, and refuses the rest', () => {
    for (const [bytes, bits] of [[2, 16n], [4, 32n], [8, 64n]] as const) {
      const min = -(2n ** (bits - 1n));
      const max = 2n ** (bits - 1n) - 1n;
      fc.assert(
        fc.property(fc.bigInt({ min: min * 4n, max: max * 4n }), (v) => {
          const out = written((b, s, e, o, p) => writeInteger(b, s, e, o, p, bytes), String(v));
          if (v < min || v > max) {
            expect(out).toBeUndefined();
            return;
          }
          expect(out).toHaveLength(bytes);
          const back = bytes === 2 ? BigInt(out!.readInt16BE(0)) : bytes === 4 ? BigInt(out!.readInt32BE(0)) : out!.readBigInt64BE(0);
          expect(back).toBe(v);
        }),
      );
    }
  });

  it('refuses what is not -?[0-9]+', () => {
    for (const text of ['', '-', '+1', ' 1', '1 ', '1.0', '1e3', '0x10', '１']) expect(written((b, s, e, o, p) => writeInteger(b, s, e, o, p, 8), text), text).toBeUndefined();
  });
});

describe('writeNumeric', () => {
  const decimal = fc.tuple(fc.boolean(), digits(40), fc.option(digits(40))).map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`);

  it('reads back as the same number with the same display scale', () => {
    fc.assert(
      fc.property(decimal, (text) => {
        const out = written(writeNumeric, text);
        expect(out).toBeDefined();
        const [, int = '', frac = ''] = /^-?(\d+)(?:\.(\d+))?$/.exec(text)!;
        const canonical = `${int.replace(/^0+/, '') || '0'}${frac ? `.${frac}` : ''}`;
        const expected = text.startsWith('-') && /[1-9]/.test(canonical) ? `-${canonical}` : canonical;
        expect(numericText(out!)).toBe(expected);
      }),
    );
  });

  it('writes the specials and refuses other spellings', () => {
    for (const special of ['NaN', 'Infinity', '-Infinity']) expect(numericText(written(writeNumeric, special)!)).toBe(special);
    for (const text of ['', '-', '.5', '5.', '1e3', '+1', '1,5', 'nan', '1.2.3', ' 1']) expect(written(writeNumeric, text), text).toBeUndefined();
  });
});

describe('parseDouble / writeDouble', () => {
  const same = (text: string, expected: number | undefined) => {
    const b = ascii(text);
    const got = parseDouble(b, 2, b.length - 2);
    if (expected === undefined) expect(got, text).toBeUndefined();
    else expect(Object.is(got, expected) || (Number.isNaN(got) && Number.isNaN(expected)), `${text}: ${got} vs ${expected}`).toBe(true);
  };

  it('reads every double from its shortest, exponent and fixed spellings', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        // String(-0) is '0': the shortest spelling read back, whatever it is.
        same(String(d), Number(String(d)));
        same(d.toExponential(), Number(d.toExponential()));
        if (Math.abs(d) < 1e21) same(d.toFixed(20), Number(d.toFixed(20)));
        const out = written(writeDouble, String(d))!;
        expect(Object.is(out.readDoubleBE(0), Number(String(d)))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rounds long and far texts as strtod does, and refuses what float8in refuses', () => {
    const text = fc.tuple(fc.boolean(), digits(30), fc.option(digits(30)), fc.option(fc.integer({ min: -400, max: 400 }))).map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);
    fc.assert(
      fc.property(text, (t) => {
        const n = Number(t);
        const outOfRange = !Number.isFinite(n) || (n === 0 && /[1-9]/.test(t.split('e')[0]!));
        same(t, outOfRange ? undefined : n);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the canonical specials and refuses other words', () => {
    same('NaN', NaN);
    same('Infinity', Infinity);
    same('-Infinity', -Infinity);
    same('-0', -0);
    same('1e400', undefined);
    same('1e-400', undefined);
    same('0e-400', 0);
    same('4.9e-324', 4.9e-324);
    for (const t of ['', '-', 'inf', 'nan', '1e', '1e+', '0x10', ' 1', '1 ', '1_0', 'e5', '.']) same(t, undefined);
  });
});

describe('dates and timestamps', () => {
  // Date.UTC reads years 0–99 as 1900–1999: year 1 is set on its own.
  const date = fc.date({ min: new Date(new Date(0).setUTCFullYear(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)), noInvalidDate: true });
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const dateText = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const PG_EPOCH = Date.UTC(2000, 0, 1);

  it('daysFromCivil agrees with the JavaScript calendar for years 1 to 9999', () => {
    fc.assert(fc.property(date, (d) => {
        expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(Math.floor(d.getTime() / 86_400_000));
      }),
    );
  });

  it('writes a date as its days since 2000-01-01', () => {
    fc.assert(
      fc.property(date, (d) => {
        const out = written(writeDate, dateText(d))!;
        expect(out.readInt32BE(0)).toBe(Math.floor((d.getTime() - PG_EPOCH) / 86_400_000));
      }),
    );
  });

  it('writes a timestamp as its microseconds since 2000-01-01, fraction of 0 to 6 digits', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 6 }), (d, micro, places) => {
        const fraction = places === 0 ? '' : `.${pad(micro, 6).slice(0, places)}`;
        const text = `${dateText(d)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${fraction}`;
        const out = written(writeTimestamp, text)!;
        const wholeSeconds = BigInt(Math.floor(d.getTime() / 1000) - PG_EPOCH / 1000);
        const micros = places === 0 ? 0n : BigInt(pad(micro, 6).slice(0, places).padEnd(6, '0'));
        expect(out.readBigInt64BE(0)).toBe(wholeSeconds * 1_000_000n + micros);
      }),
    );
  });

  it('refuses what is not a real date and time in the canonical spelling', () => {
    for (const t of ['2024-02-30', '2023-02-29', '0000-01-01', '2024-13-01', '2024-00-10', '2024-1-01', '20240101', '2024-01-01 ']) expect(written(writeDate, t), t).toBeUndefined();
    expect(written(writeDate, '2024-02-29')).toBeDefined();
    for (const t of ['2024-01-01', '2024-01-01 24:00:00', '2024-01-01 10:60:00', '2024-01-01 10:00:60', '2024-01-01T10:00:00', '2024-01-01 10:00:00.', '2024-01-01 10:00:00.1234567', '2024-01-01 10:00:00+00', '2024-01-01 1:00:00']) {
      expect(written(writeTimestamp, t), t).toBeUndefined();
    }
  });
});

describe('writeUuid', () => {
  it('writes the 16 bytes of either case, and refuses other spellings', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.boolean(), (u, upper) => {
        const out = written(writeUuid, upper ? u.toUpperCase() : u)!;
        expect(out.toString('hex')).toBe(u.replace(/-/g, ''));
      }),
    );
    for (const t of ['', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', 'a0eebc999c0b4ef8bb6d6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g', 'a0eebc99-9c0b4-ef8-bb6d-6bb9bd380a11']) expect(written(writeUuid, t), t).toBeUndefined();
  });
});
