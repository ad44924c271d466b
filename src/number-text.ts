/**
 * `1234567` → `1,234,567`, the way every report prints counts. Not toLocaleString: its first call
 * loads ICU's number formatting, about 60 ms of every apply's start-up.
 */
export function groupThousands(n: number): string {
  const rounded = Math.round(n);
  if (!Number.isFinite(rounded)) return String(rounded);
  const digits = String(Math.abs(rounded));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return rounded < 0 ? `-${grouped}` : grouped;
}
