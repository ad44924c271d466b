/**
 * Masks make values of the column's target type: bytes for a binary column (a hash as hex text was
 * refused by the binary COPY and failed the checksum validation), text elsewhere.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMask } from '../../src/exec/masks.js';

const BYTEA = { kind: 'binary', length: undefined, fixed: false } as const;

describe('masks on a binary column', () => {
  it('hash: the SHA-256 digest of the bytes, cut to what the column holds; deterministic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }), (bytes, length) => {
        const value = Buffer.from(bytes);
        const masked = compileMask({ kind: 'hash' }, { kind: 'binary', length, fixed: false })(value);
        const digest = createHash('sha256').update(value).digest();
        expect(Buffer.isBuffer(masked)).toBe(true);
        expect(masked).toEqual(length !== undefined && length < 32 ? digest.subarray(0, length) : digest);
        expect(compileMask({ kind: 'hash' }, { kind: 'binary', length, fixed: false })(Buffer.from(bytes))).toEqual(masked);
      }),
    );
  });

  it('redact: as many bytes x as the value had; a literal as its UTF-8 bytes; NULL stays NULL', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(compileMask({ kind: 'redact' }, BYTEA)(Buffer.from(bytes))).toEqual(Buffer.alloc(bytes.length, 'x'));
      }),
    );
    expect(compileMask({ kind: 'fixed', value: { kind: 'string', value: 'né' } }, BYTEA)(Buffer.from([1]))).toEqual(Buffer.from('né', 'utf8'));
    for (const method of [{ kind: 'hash' }, { kind: 'redact' }] as const) expect(compileMask(method, BYTEA)(null)).toBeNull();
  });

  it('into a fixed-length binary column (BINARY(n)), shorter values are padded with zero bytes as the server stores them', () => {
    const binary8 = { kind: 'binary', length: 8, fixed: true } as const;
    const binary40 = { kind: 'binary', length: 40, fixed: true } as const;
    expect(compileMask({ kind: 'fixed', value: { kind: 'string', value: 'abc' } }, binary8)(Buffer.from([1]))).toEqual(Buffer.from('abc\0\0\0\0\0', 'latin1'));
    const digest = createHash('sha256').update(Buffer.from('k')).digest();
    expect(compileMask({ kind: 'hash' }, binary8)(Buffer.from('k'))).toEqual(digest.subarray(0, 8));
    expect(compileMask({ kind: 'hash' }, binary40)(Buffer.from('k'))).toEqual(Buffer.concat([digest, Buffer.alloc(8)]));
    expect(compileMask({ kind: 'redact' }, binary8)(Buffer.from('ab'))).toEqual(Buffer.from('xx\0\0\0\0\0\0', 'latin1'));
  });

  it('a text column still gets the hex hash, cut to its length, and its hex equals the binary digest of the same UTF-8', () => {
    const text = compileMask({ kind: 'hash' }, { kind: 'text', length: undefined, fixed: false })('abc') as string;
    expect(text).toBe(createHash('sha256').update('abc').digest('hex'));
    expect((compileMask({ kind: 'hash' }, BYTEA)(Buffer.from('abc')) as Buffer).toString('hex')).toBe(text);
    expect(compileMask({ kind: 'hash' }, { kind: 'text', length: 8, fixed: false })('abc')).toBe(text.slice(0, 8));
  });
});
