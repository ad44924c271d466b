/** A line that never changes once shown: finished tables, failures, warnings (Ink's <Static>). */
import { Text } from 'ink';
import { formatCount, formatRate, formatSeconds } from '../format.js';
import type { FeedItem } from '../state.js';
import { toneProps } from './theme.js';

export function FeedLine({ item, color }: { readonly item: FeedItem; readonly color: boolean }) {
  switch (item.kind) {
    case 'resumed':
      return <Text {...toneProps('accent', color)}>Resuming: steps and chunks finished by an earlier run are skipped.</Text>;
    case 'table_done': {
      const t = item.table;
      const seconds = t.seconds ?? (t.finishedAt !== undefined && t.startedAt !== undefined ? (t.finishedAt - t.startedAt) / 1000 : 0);
      return (
        <Text>
          <Text {...toneProps('ok', color)}>✓</Text> {t.target} <Text {...toneProps('dim', color)}>{formatCount(t.rowsWritten)} rows{t.rowsRejected ? `, ${formatCount(t.rowsRejected)} rejected` : ''} in {formatSeconds(seconds)} ({formatRate(t.rowsPerSecond)})</Text>
        </Text>
      );
    }
    case 'step_failed':
      return (
        <Text>
          <Text {...toneProps('bad', color)}>✗ {item.step.id}</Text>: {item.step.error?.message ?? 'failed'}
        </Text>
      );
    case 'validation_failed':
      return (
        <Text>
          <Text {...toneProps('bad', color)}>✗ validation {item.target}</Text>: {item.validation.detail}
        </Text>
      );
    case 'log':
      if (item.level === 'info') return <Text>{item.message}</Text>;
      return (
        <Text>
          <Text {...toneProps(item.level === 'error' ? 'bad' : 'warn', color)}>{item.level}:</Text> {item.message}
        </Text>
      );
    default: {
      const never: never = item;
      return never;
    }
  }
}
