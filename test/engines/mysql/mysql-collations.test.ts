import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMysqlCollation } from '../../../src/engines/mysql/mysql-collations.js';

const MARIADB_10_11 = new Set(['utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_nopad_bin', 'utf8mb4_unicode_520_ci', 'utf8mb4_unicode_520_nopad_ci', 'utf8mb4_uca1400_ai_ci', 'utf8mb4_uca1400_nopad_ai_ci', 'utf8mb4_uca1400_nopad_as_cs', 'utf8mb4_uca1400_nopad_as_ci']);
const MARIADB_10_6 = new Set(['utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_nopad_bin', 'utf8mb4_unicode_520_ci', 'utf8mb4_unicode_520_nopad_ci']);
const MYSQL_8 = new Set(['utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_0900_ai_ci', 'utf8mb4_0900_as_ci', 'utf8mb4_0900_as_cs', 'utf8mb4_0900_bin']);
const MYSQL_5_7 = new Set(['utf8mb4_bin', 'utf8mb4_general_ci', 'utf8mb4_unicode_520_ci']);

describe('closestMysqlCollation', () => {
  it('MySQL 8 → MariaDB: UCA 14.0 NO PAD with the same sensitivity, else UCA 5.2 NO PAD for ai_ci, else binary NO PAD', () => {
    expect(closestMysqlCollation('utf8mb4_0900_ai_ci', MARIADB_10_11)).toBe('utf8mb4_uca1400_nopad_ai_ci');
    expect(closestMysqlCollation('utf8mb4_0900_as_cs', MARIADB_10_11)).toBe('utf8mb4_uca1400_nopad_as_cs');
    expect(closestMysqlCollation('utf8mb4_0900_ai_ci', MARIADB_10_6)).toBe('utf8mb4_unicode_520_nopad_ci');
    expect(closestMysqlCollation('utf8mb4_0900_as_ci', MARIADB_10_6)).toBe('utf8mb4_nopad_bin');
    expect(closestMysqlCollation('utf8mb4_0900_bin', MARIADB_10_6)).toBe('utf8mb4_nopad_bin');
  });

  it('MariaDB → MySQL 8: the UCA 9.0 collation of the same sensitivity; nothing on MySQL 5.7, whose binary collation pads', () => {
    expect(closestMysqlCollation('utf8mb4_uca1400_ai_ci', MYSQL_8)).toBe('utf8mb4_0900_ai_ci');
    expect(closestMysqlCollation('utf8mb4_uca1400_nopad_as_cs', MYSQL_8)).toBe('utf8mb4_0900_as_cs');
    expect(closestMysqlCollation('utf8mb4_uca1400_nopad_as_cs', MYSQL_5_7)).toBeUndefined();
    expect(closestMysqlCollation('utf8mb4_ja_0900_as_cs', MARIADB_10_11)).toBeUndefined();
  });

  it('names only a collation the target has, and never a PAD SPACE one (under which \'a\' = \'a \') for a NO PAD source', () => {
    const names = [...MARIADB_10_11, ...MYSQL_8, ...MYSQL_5_7, 'utf8mb4_uca1400_as_ci', 'latin1_swedish_ci', 'utf8mb4_de_pb_0900_ai_ci'];
    const padSpace = (n: string) => !/nopad|0900/.test(n);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.subarray(names), (collation, available) => {
        const got = closestMysqlCollation(collation, new Set(available));
        if (got === undefined) return;
        expect(available).toContain(got);
        if (!padSpace(collation)) expect(padSpace(got)).toBe(false);
      }),
    );
  });
});
