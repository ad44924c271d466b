/**
 * The byte rules against independent references: Node's own UTF-8 validator, JSON.parse for the
 * \u0000 escape, a plain search for NUL.
 */
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { hasJsonNulEscape, passesByteRule, utf8SequenceLength, wellFormedUtf8, type ByteRule } from '../../src/types/byte-rules.js';
import { hasNulEscape } from '../../src/types/fit.js';

/** Arbitrary bytes, UTF-8 text and the classic ill-formed sequences. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 12 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
  fc.constantFrom([0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xe2, 0x82], [0xf5, 0x80, 0x80, 0x80]).map((a) => new Uint8Array(a)),
);

/**
 * `body` between bytes that would change the answer if they were read (continuation bytes that
 * complete a cut sequence, digits that complete a cut \u0000): a check must stay within [s, e).
 */
function framed(body: Uint8Array, pad: number): { readonly b: Buffer; readonly s: number; readonly e: number } {
  const after = pad % 2 === 0 ? [0x80, 0x80, 0x80] : [0x30, 0x30, 0x30, 0x30, 0x00];
  return { b: Buffer.concat([Buffer.alloc(pad, 0x80), Buffer.from(body), Buffer.from(after)]), s: pad, e: pad + body.length };
}

describe('wellFormedUtf8', () => {
  it('agrees with Buffer isUtf8 on any bytes, at any offset', () => {
    fc.assert(
      fc.property(bytes, fc.nat(3), (body, pad) => {
        const { b, s, e } = framed(body, pad);
        expect(wellFormedUtf8(b, s, e)).toBe(isUtf8(Buffer.from(body)));
      }),
      { numRuns: 2000 },
    );
  });

  it('measures one sequence: 0 for a byte that does not start one', () => {
    expect(utf8SequenceLength(Buffer.from('é'), 0, 2)).toBe(2);
    expect(utf8SequenceLength(Buffer.from('✓'), 0, 3)).toBe(3);
    expect(utf8SequenceLength(Buffer.from('😀'), 0, 4)).toBe(4);
    expect(utf8SequenceLength(Buffer.from('😀'), 0, 3)).toBe(0); // cut by the end
    expect(utf8SequenceLength(Buffer.from('😀'), 1, 4)).toBe(0); // a continuation byte
  });
});

describe('hasJsonNulEscape', () => {
  it('finds \\u0000 exactly when the JSON text holds U+0000', () => {
    const withNul = fc.oneof(fc.string(), fc.constantFrom('\u0000', 'a\u0000', '\\u0000', '\\', '\\\u0000'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, withNul, fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(withNul, tie('value'), { maxKeys: 3 })),
    })).value;
    const holdsNul = (v: unknown): boolean =>
      typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) ? v.some(holdsNul) : v !== null && typeof v === 'object' ? Object.entries(v).some(([k, x]) => k.includes('\u0000') || holdsNul(x)) : false;
    fc.assert(
      fc.property(json, fc.nat(3), (value, pad) => {
        const { b, s, e } = framed(Buffer.from(JSON.stringify(value), 'utf8'), pad);
        expect(hasJsonNulEscape(b, s, e)).toBe(holdsNul(value));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('passesByteRule', () => {
  const reference: Record<ByteRule, (body: Buffer) => boolean> = {
    any: () => true,
    utf8: (body) => isUtf8(body),
    utf8_no_nul: (body) => isUtf8(body) && !body.includes(0),
    json_utf8_no_nul_escape: (body) => isUtf8(body) && !/\\u0000/.test(body.toString('latin1').replace(/\\\\/g, '')),
  };
  for (const rule of Object.keys(reference) as ByteRule[]) {
    it(`${rule}: as its reference says`, () => {
      const body = fc.oneof(bytes, fc.constantFrom('\\u0000', '\\\\u0000', 'x\\\\\\u0000', 'nul\u0000', '\\u00000', '\\u000', '\\u0', 'é\\u00').map((t) => new Uint8Array(Buffer.from(t, 'utf8'))));
      fc.assert(
        fc.property(body, fc.nat(3), (raw, pad) => {
          const { b, s, e } = framed(raw, pad);
          expect(passesByteRule(rule, b, s, e)).toBe(reference[rule](Buffer.from(raw)));
        }),
        { numRuns: 1000 },
      );
    });
  }
});

describe('hasNulEscape (the JSON converter) agrees with the byte rule', () => {
  it('on JSON texts built from strings with backslashes and NULs', () => {
    const piece = fc.constantFrom('\\', '\u0000', 'u0000', 'a', '"', 'é');
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 6 }).map((p) => p.join('')), { maxLength: 4 }), (strings) => {
        const json = JSON.stringify(strings);
        const bytes = Buffer.from(json, 'utf8');
        expect(hasNulEscape(json)).toBe(hasJsonNulEscape(bytes, 0, bytes.length));
        expect(hasNulEscape(json)).toBe(strings.some((s) => s.includes('\u0000')));
      }),
    );
  });
});
