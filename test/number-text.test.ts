import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { groupThousands } from '../src/number-text.js';

describe('groupThousands', () => {
  it('groups digits by three, rounding first', () => {
    expect(groupThousands(0)).toBe('0');
    expect(groupThousands(999)).toBe('999');
    expect(groupThousands(1000)).toBe('1,000');
    expect(groupThousands(1234567.6)).toBe('1,234,568');
    expect(groupThousands(-1234)).toBe('-1,234');
  });

  it("prints what toLocaleString('en-US') prints for every safe integer (but -0 is plain 0)", () => {
    expect(groupThousands(-0)).toBe('0');
    fc.assert(
      fc.property(
        fc.maxSafeInteger().map((n) => n + 0),
        (n) => {
          expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
        },
      ),
    );
  });
});
