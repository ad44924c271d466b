/** Which MySQL collations match a foreign key more loosely than an exact comparison (DMS3459). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparesLoosely } from '../../src/check/loose-keys.js';

describe('comparesLoosely', () => {
  it('case-insensitive and PAD SPACE collations do; binary, NO PAD binary and 0900 case- and accent-sensitive ones do not', () => {
    for (const c of ['utf8mb4_general_ci', 'latin1_swedish_ci', 'utf8mb4_bin', 'latin1_bin', 'utf8mb4_0900_ai_ci', 'utf8mb4_uca1400_nopad_ai_ci', 'utf8mb4_nopad_general_ci', 'utf8mb4_0900_as_ci', 'utf8mb4_uca1400_as_cs']) {
      expect([c, comparesLoosely(c)]).toEqual([c, true]);
    }
    for (const c of ['binary', 'utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_0900_as_cs', 'latin1_nopad_bin', 'utf8mb4_uca1400_nopad_as_cs']) {
      expect([c, comparesLoosely(c)]).toEqual([c, false]);
    }
  });

  it('every _ci collation, whatever its character set and padding', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{1,8}(_[a-z0-9]{1,8}){0,3}$/), (stem) => {
        expect(comparesLoosely(`${stem}_ci`)).toBe(true);
      }),
    );
  });
});
