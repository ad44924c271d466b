/**
 * The end-of-run table, one renderer for every view (Ink prints these lines as they are, the
 * plain reporter writes them): per table rows read, written, rejected, time, rows/s and the
 * validation result, then totals. The totals' time is the run's elapsed time, not the sum of
 * table times: tables copy in parallel.
 */
import type { TableTotals } from '../exec/events.js';
import { formatCount, formatSeconds } from './format.js';

export interface SummaryTableInput {
  readonly tables: readonly TableTotals[];
  readonly seconds: number;
}

const HEADER = ['table', 'read', 'written', 'rejected', 'time', 'rows/s', 'validation'] as const;
const LEFT_ALIGNED = new Set([0, 6]);

export function summaryTableCells(input: SummaryTableInput): readonly (readonly string[])[] {
  const rows = input.tables.map((t) => [
    t.target,
    formatCount(t.rowsRead),
    formatCount(t.rowsWritten),
    formatCount(t.rowsRejected),
    formatSeconds(t.seconds),
    t.seconds > 0 ? formatCount(t.rowsWritten / t.seconds) : '-',
    t.validation ?? '-',
  ]);
  const read = input.tables.reduce((n, t) => n + t.rowsRead, 0);
  const written = input.tables.reduce((n, t) => n + t.rowsWritten, 0);
  const rejected = input.tables.reduce((n, t) => n + t.rowsRejected, 0);
  const mismatches = input.tables.filter((t) => t.validation === 'mismatch').length;
  const validated = input.tables.filter((t) => t.validation === 'ok').length;
  const validation = mismatches ? `${mismatches} mismatch` : validated ? `${validated} ok` : '-';
  rows.push([
    `total (${input.tables.length} ${input.tables.length === 1 ? 'table' : 'tables'})`,
    formatCount(read),
    formatCount(written),
    formatCount(rejected),
    formatSeconds(input.seconds),
    input.seconds > 0 ? formatCount(written / input.seconds) : '-',
    validation,
  ]);
  return [[...HEADER], ...rows];
}

/** The table as aligned text lines: header, one line per table, a rule, the totals line. */
export function summaryTableLines(input: SummaryTableInput): readonly string[] {
  const cells = summaryTableCells(input);
  const widths = HEADER.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => (LEFT_ALIGNED.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rendered = cells.map(line);
  const rule = '─'.repeat(widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1));
  return [rendered[0]!, ...rendered.slice(1, -1), rule, rendered[rendered.length - 1]!];
}

export function renderSummaryTable(input: SummaryTableInput): string {
  return summaryTableLines(input).join('\n');
}

export type Outcome = 'ok' | 'failed' | 'interrupted';

/** The headline under the summary table; the interrupted one is the contract users rely on. */
export function outcomeHeadline(status: Outcome): string {
  switch (status) {
    case 'ok':
      return '✓ Apply complete';
    case 'failed':
      return '✗ Apply failed';
    case 'interrupted':
      return 'Interrupted — run the same command again to resume';
    default: {
      const never: never = status;
      return never;
    }
  }
}
