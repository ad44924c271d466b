/** Rejected rows so far: the count and the last few, so a bad conversion shows while it happens. */
import { Box, Text } from 'ink';
import { formatCount } from '../format.js';
import type { RejectView } from '../state.js';
import { toneProps } from './theme.js';

export function describeReject(r: RejectView): string {
  return `${r.target} (${r.key})${r.column ? ` ${r.column}` : ''}${r.value !== undefined ? ` = ${r.value}` : ''}: ${r.reason}`;
}

export function Rejects({ count, recent, color }: { readonly count: number; readonly recent: readonly RejectView[]; readonly color: boolean }) {
  if (count === 0) return null;
  return (
    <Box flexDirection="column">
      <Text {...toneProps('warn', color)}>! {formatCount(count)} row{count === 1 ? '' : 's'} rejected so far</Text>
      {recent.map((r, i) => (
        <Text key={i} wrap="truncate-end" {...toneProps('dim', color)}>
          {'    '}
          {describeReject(r)}
        </Text>
      ))}
    </Box>
  );
}
