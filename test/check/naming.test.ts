import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyNaming, fitIdentifier, toSnakeCase } from '../../src/check/naming.js';

describe('naming policies', () => {
  it('snake_cases the usual shapes', () => {
    expect(toSnakeCase('InvoiceLineId')).toBe('invoice_line_id');
    expect(toSnakeCase('HTTPServer')).toBe('http_server');
    expect(toSnakeCase('Order Items')).toBe('order_items');
    expect(toSnakeCase('already_snake')).toBe('already_snake');
    expect(toSnakeCase('Address2')).toBe('address2');
    expect(toSnakeCase('MediaTypeId')).toBe('media_type_id');
  });

  it('snake_case is idempotent', () => {
    fc.assert(fc.property(fc.string(), (s) => toSnakeCase(toSnakeCase(s)) === toSnakeCase(s)));
  });

  it('lower and keep', () => {
    expect(applyNaming('lower', 'Invoice')).toBe('invoice');
    expect(applyNaming('keep', 'Invoice')).toBe('Invoice');
  });

  it('fits long identifiers into the limit and keeps them distinct', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 5 }), (base, tail) => {
        const a = fitIdentifier(base + 'x'.repeat(70) + tail, 63);
        expect(Buffer.byteLength(a, 'utf8')).toBeLessThanOrEqual(63);
      }),
    );
    const long1 = 'a'.repeat(80) + '1';
    const long2 = 'a'.repeat(80) + '2';
    expect(fitIdentifier(long1, 63)).not.toBe(fitIdentifier(long2, 63));
    expect(fitIdentifier('short', 63)).toBe('short');
  });
});
