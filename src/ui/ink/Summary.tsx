/** The end of a run: the shared summary table, the outcome headline and the executor's message. */
import { Box, Text, useStdout } from 'ink';
import type { Summary as SummaryEvent } from '../state.js';
import { outcomeHeadline, summaryTableLines } from '../summary-table.js';
import { toneProps } from './theme.js';

export function Summary({ summary, color }: { readonly summary: SummaryEvent; readonly color: boolean }) {
  const tone = summary.status === 'ok' ? 'ok' : summary.status === 'failed' ? 'bad' : 'warn';
  const columns = useStdout().stdout.columns;
  const lines = summary.tables.length ? summaryTableLines(summary, columns ? columns - 1 : undefined) : [];
  return (
    <Box flexDirection="column" marginTop={1}>
      {lines.map((line, i) => (
        <Text key={i} bold={color && i === 0}>
          {line}
        </Text>
      ))}
      <Box marginTop={lines.length ? 1 : 0} flexDirection="column">
        <Text bold={color} {...toneProps(tone, color)}>
          {outcomeHeadline(summary.status)}
        </Text>
        <Text>{summary.message}</Text>
      </Box>
    </Box>
  );
}
