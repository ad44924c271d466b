import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileConverter, type Rejection } from '../../../src/types/convert.js';
import type { LogicalType, Value } from '../../../src/types/logical.js';
import { compileToJson, compileToText } from '../../../src/types/values/render-text.js';
import { POSTGRES_VALUE_LIMITS } from '../../../src/types/value-limits.js';

const untyped: LogicalType = { kind: 'other', native: '' };
const text: LogicalType = { kind: 'text', length: undefined, fixed: false };

describe('compileToText', () => {
  it('writes bytes under any kind as \\x-hex, never decoded as UTF-8 (a BLOB in an untyped SQLite column)', () => {
    const cast = compileConverter(untyped, text, 'cast', POSTGRES_VALUE_LIMITS);
    expect(cast(Buffer.from([0xff]))).toBe('\\xff');
    expect(cast(Buffer.from('hello'))).toBe('\\x68656c6c6f');
    expect(cast(Buffer.alloc(0))).toBe('\\x');
    expect(cast('hello')).toBe('hello');
    expect(compileToText(text)(Buffer.from([0xc3]))).toBe('\\xc3');
    expect(compileToJson(untyped)(Buffer.from([0xff, 0]))).toBe('"\\\\xff00"');
  });

  it('keeps every byte: the text form of any bytes gives the bytes back', () => {
    const cast = compileConverter(untyped, text, 'cast', POSTGRES_VALUE_LIMITS);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const out: Value | Rejection = cast(Buffer.from(bytes));
        expect(typeof out).toBe('string');
        const s = out as string;
        expect(s.startsWith('\\x')).toBe(true);
        expect(Buffer.from(s.slice(2), 'hex').equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });
});
