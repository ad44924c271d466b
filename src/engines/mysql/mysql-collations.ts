/**
 * The collation a MySQL-family target has that compares most like one it lacks. MySQL 8 and
 * MariaDB name their Unicode collations apart: MySQL 8's UCA 9.0 `utf8mb4_0900_*` are not in
 * MariaDB before 11.4, and MariaDB 10.10+'s UCA 14.0 `utf8mb4_uca1400_*` are not in MySQL. A column
 * moving between them keeps its case and accent sensitivity this way, instead of falling to the
 * table's case-sensitive utf8mb4_bin.
 *
 * A substitute should not make two values equal that the source's collation kept apart (a unique
 * key would then refuse rows): the fallbacks of an accent-sensitive collation are binary, and PAD
 * SPACE is never chosen for a NO PAD source. (UCA 5.2's unicode_520, the last resort for a UCA 9.0
 * ai_ci, weighs a few characters newer than Unicode 5.2 apart, by code point.)
 */
export function closestMysqlCollation(collation: string, available: ReadonlySet<string>): string | undefined {
  const first = (...names: string[]) => names.find((n) => available.has(n));
  if (collation === 'utf8mb4_0900_bin') return first('utf8mb4_nopad_bin');
  // MySQL 8 → MariaDB (MySQL's UCA 9.0 collations are all NO PAD).
  const mysql = /^utf8mb4_0900_(ai_ci|as_ci|as_cs)$/.exec(collation);
  if (mysql) {
    const sensitivity = mysql[1]!;
    return sensitivity === 'ai_ci'
      ? first(`utf8mb4_uca1400_nopad_ai_ci`, 'utf8mb4_unicode_520_nopad_ci', 'utf8mb4_nopad_bin')
      : first(`utf8mb4_uca1400_nopad_${sensitivity}`, 'utf8mb4_nopad_bin');
  }
  // MariaDB 10.10+ → MySQL 8 (NO PAD is as strict as PAD SPACE or stricter).
  const mariadb = /^utf8mb4_uca1400_(?:nopad_)?(ai_ci|as_ci|as_cs)$/.exec(collation);
  if (mariadb) return first(`utf8mb4_0900_${mariadb[1]!}`, 'utf8mb4_0900_bin');
  return undefined;
}
