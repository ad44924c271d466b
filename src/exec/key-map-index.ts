/**
 * A merge's key map for one source, in memory for the copy's per-row lookups: source key
 * (canonical text) → new key. Integer source keys are kept as runs — consecutive source keys with
 * consecutive new keys, which is what numbering a source in key order gives — so a source with
 * dense integer ids costs a few entries however many rows it has; other keys take one entry each.
 */
import type { Value } from '../types/logical.js';

const INTEGER = /^-?(0|[1-9]\d*)$/;

/** The canonical text of a source key as the key map stores it: one value's text, or a JSON array of texts. */
export function sourceKeyText(values: readonly Value[]): string {
  const texts = values.map(valueText);
  return texts.length === 1 ? texts[0]! : JSON.stringify(texts);
}

function valueText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  return JSON.stringify(v);
}

interface Run {
  /** First and last source key of the run, and the new key of the first. */
  start: bigint;
  end: bigint;
  newStart: bigint;
}

export class KeyMapIndex {
  private runs: Run[] = [];
  private readonly other = new Map<string, bigint>();
  private sorted = true;
  private count = 0;

  add(sourceKey: string, newKey: bigint): void {
    this.count++;
    if (!INTEGER.test(sourceKey)) {
      this.other.set(sourceKey, newKey);
      return;
    }
    const k = BigInt(sourceKey);
    const last = this.runs[this.runs.length - 1];
    if (last && k === last.end + 1n && newKey === last.newStart + (k - last.start)) {
      last.end = k;
      return;
    }
    if (last && k <= last.end) this.sorted = false;
    this.runs.push({ start: k, end: k, newStart: newKey });
  }

  /** The new key of a source key (canonical digits), or undefined when the map has none. */
  get(sourceKey: string): string | undefined {
    if (!INTEGER.test(sourceKey)) return this.other.get(sourceKey)?.toString();
    if (!this.sorted) {
      this.runs.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      this.sorted = true;
    }
    const k = BigInt(sourceKey);
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.runs[mid]!;
      if (k < r.start) hi = mid - 1;
      else if (k > r.end) lo = mid + 1;
      else return (r.newStart + (k - r.start)).toString();
    }
    return undefined;
  }

  /** Keys held, and the entries holding them (runs + other keys): what the index costs. */
  get size(): { readonly keys: number; readonly entries: number } {
    return { keys: this.count, entries: this.runs.length + this.other.size };
  }
}

/**
 * New keys for the not-yet-mapped keys of one source, continuing after `largest`: the order in
 * which they come (the source's key order) is the order of their new keys.
 */
export function assignKeys(keys: readonly string[], largest: bigint): { readonly entries: { readonly sourceKey: string; readonly newKey: bigint }[]; readonly largest: bigint } {
  let next = largest;
  const entries = keys.map((sourceKey) => ({ sourceKey, newKey: ++next }));
  return { entries, largest: next };
}
