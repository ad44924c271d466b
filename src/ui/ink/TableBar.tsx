/** A bar per running copy: rows of the estimate, rows/s, ETA, bytes when the executor counts them. */
import { Text } from 'ink';
import { bar, formatBytes, formatDuration, formatRate, percent, rowsOfEstimate } from '../format.js';
import { rowsShown, type TableView } from '../state.js';
import { toneProps } from './theme.js';

export const BAR_WIDTH = 24;
/** Room the facts after a bar usually take: `2,000 / ~3,503 rows · 1,000 rows/s · ETA 0:02 · 240.0 KB`. */
const FACTS_WIDTH = 56;

/** Bars shrink on narrow terminals so the facts after them stay visible. */
export function barWidthFor(columns: number, nameWidth: number): number {
  return Math.max(10, Math.min(30, columns - 2 - nameWidth - 1 - 6 - FACTS_WIDTH));
}

export function TableBar({ table, nameWidth, barWidth, color }: { readonly table: TableView; readonly nameWidth: number; readonly barWidth: number; readonly color: boolean }) {
  const rows = rowsShown(table);
  const total = Math.max(table.estimate, rows);
  const fraction = total > 0 ? rows / total : 0;
  const facts = [
    rowsOfEstimate(rows, table.estimate, table.rowsStreaming > 0),
    formatRate(table.rowsPerSecond),
    `ETA ${formatDuration(table.etaSeconds)}`,
    table.bytes > 0 ? formatBytes(table.bytes) : '',
  ].filter(Boolean);
  return (
    <Text wrap="truncate-end">
      {'  '}
      {table.target.padEnd(nameWidth)} <Text {...toneProps('accent', color)}>{bar(fraction, barWidth)}</Text> {percent(fraction).padStart(4)}{' '}
      <Text {...toneProps('dim', color)}>{facts.join(' · ')}</Text>
    </Text>
  );
}

export function OverallBar({ fraction, rowsDone, rowsTotal, rowsPerSecond, etaSeconds, elapsed, color }: {
  readonly fraction: number;
  readonly rowsDone: number;
  readonly rowsTotal: number;
  readonly rowsPerSecond: number | undefined;
  readonly etaSeconds: number | undefined;
  readonly elapsed: number;
  readonly color: boolean;
}) {
  const facts = [rowsTotal > 0 ? rowsOfEstimate(rowsDone, rowsTotal) : '', rowsPerSecond !== undefined ? formatRate(rowsPerSecond) : '', etaSeconds !== undefined ? `ETA ${formatDuration(etaSeconds)}` : '', `elapsed ${formatDuration(elapsed)}`].filter(Boolean);
  return (
    <Text wrap="truncate-end">
      <Text bold={color}>Overall</Text> <Text {...toneProps('ok', color)}>{bar(fraction, BAR_WIDTH)}</Text> {percent(fraction).padStart(4)} <Text {...toneProps('dim', color)}>{facts.join(' · ')}</Text>
    </Text>
  );
}
