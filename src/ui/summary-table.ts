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
  const row = (name: string, tables: readonly TableTotals[], seconds: number | undefined): string[] => {
    const written = tables.reduce((n, t) => n + t.rowsWritten, 0);
    return [
      name,
      formatCount(tables.reduce((n, t) => n + t.rowsRead, 0)),
      formatCount(written),
      formatCount(tables.reduce((n, t) => n + t.rowsRejected, 0)),
      seconds === undefined ? '-' : formatSeconds(seconds),
      seconds !== undefined && seconds > 0 ? formatCount(written / seconds) : '-',
      tables.length === 1 ? (tables[0]!.validation ?? '-') : validations(tables),
    ];
  };
  // A merged table is loaded by one copy per source: a line for each, named by its source, then the
  // table's own line with their sums (their times overlap, so no time is added up).
  const byTarget = new Map<string, TableTotals[]>();
  for (const t of input.tables) byTarget.set(t.target, [...(byTarget.get(t.target) ?? []), t]);
  const rows: string[][] = [];
  for (const [target, copies] of byTarget) {
    if (copies.length === 1) {
      rows.push(row(target, copies, copies[0]!.seconds));
      continue;
    }
    for (const t of copies) rows.push(row(`${target} ← ${t.source ?? t.table}`, [t], t.seconds));
    rows.push(row(`${target} (${copies.length} sources)`, copies, undefined));
  }
  const sources = input.tables.length > byTarget.size ? `, ${input.tables.length} sources` : '';
  rows.push(row(`total (${byTarget.size} ${byTarget.size === 1 ? 'table' : 'tables'}${sources})`, input.tables, input.seconds));
  return [[...HEADER], ...rows];
}

function validations(tables: readonly TableTotals[]): string {
  const mismatches = tables.filter((t) => t.validation === 'mismatch').length;
  const validated = tables.filter((t) => t.validation === 'ok').length;
  return mismatches ? `${mismatches} mismatch` : validated ? `${validated} ok` : '-';
}

/** Columns left out, in this order, while the table is wider than the terminal: rows/s, then time. */
const DROPPABLE = [5, 4] as const;
/** The table column never narrower than this, however narrow the terminal. */
const MIN_NAME_WIDTH = 12;

/**
 * The table as aligned text lines: header, one line per table, a rule, the totals line. Given the
 * terminal's width, a table wider than it leaves out rows/s, then time, then shortens long table
 * names in the middle (`public.ord…_archive`), so that no line wraps: the counts and the validation
 * always stay. Without a width (logs, pipes) every column is kept whole.
 */
export function summaryTableLines(input: SummaryTableInput, maxWidth?: number): readonly string[] {
  const cells = summaryTableCells(input);
  const widthOf = (column: number) => Math.max(...cells.map((r) => r[column]!.length));
  const shown: number[] = HEADER.map((_, i) => i);
  const total = (nameWidth: number) => shown.reduce((a, i) => a + (i === 0 ? nameWidth : widthOf(i)), 0) + 2 * (shown.length - 1);
  let nameWidth = widthOf(0);
  if (maxWidth !== undefined) {
    for (const column of DROPPABLE) if (total(nameWidth) > maxWidth) shown.splice(shown.indexOf(column), 1);
    if (total(nameWidth) > maxWidth) nameWidth = Math.max(MIN_NAME_WIDTH, nameWidth - (total(nameWidth) - maxWidth));
  }
  const cell = (row: readonly string[], i: number) => {
    const text = i === 0 ? shortened(row[0]!, nameWidth) : row[i]!;
    const width = i === 0 ? nameWidth : widthOf(i);
    return LEFT_ALIGNED.has(i) ? text.padEnd(width) : text.padStart(width);
  };
  const rendered = cells.map((row) => shown.map((i) => cell(row, i)).join('  ').trimEnd());
  const rule = '─'.repeat(total(nameWidth));
  return [rendered[0]!, ...rendered.slice(1, -1), rule, rendered[rendered.length - 1]!];
}

/** `text` cut in the middle to `width` characters, its start and its end kept. */
function shortened(text: string, width: number): string {
  if (text.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
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
