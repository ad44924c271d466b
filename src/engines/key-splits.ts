/**
 * Split points for the chunks of a copy when the key is a dense integer: computed from the key's
 * bounds alone, instead of a sorted pass over every key (about 0.35 s per million rows on
 * PostgreSQL, which the copy would otherwise wait for). Pure, shared by the server engines.
 */

/**
 * `parts - 1` points cutting [min, max] into ranges of equal width, or undefined when the key is too
 * sparse for equal widths to mean similar row counts (more than twice as many values as rows): the
 * caller then asks the database for real percentiles. `rows` may be an estimate; a wrong one only
 * makes the chunks uneven, never loses a row (the ranges still cover every key).
 */
export function denseIntegerSplits(min: bigint, max: bigint, rows: number, parts: number): string[] | undefined {
  if (parts < 2 || !(rows > 0) || max < min) return undefined;
  const span = max - min + 1n;
  if (span > BigInt(Math.ceil(rows)) * 2n) return undefined;
  const out: string[] = [];
  for (let i = 1; i < parts; i++) {
    const p = min + (span * BigInt(i)) / BigInt(parts) - 1n;
    if (p >= min && p < max && out[out.length - 1] !== p.toString()) out.push(p.toString());
  }
  return out;
}
