/** Change data capture in the live view: one line per followed source — lag, events behind, rates. */
import { Box, Text } from 'ink';
import { cdcLine } from '../plain-reporter.js';
import type { CdcView } from '../state.js';
import { toneProps } from './theme.js';

export function CdcStatus({ cdc, color }: { readonly cdc: Readonly<Record<string, CdcView>>; readonly color: boolean }) {
  const sources = Object.values(cdc);
  if (sources.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {sources.map((c) => (
        <Text key={c.source} wrap="truncate-end" {...toneProps(c.caughtUp ? 'ok' : 'warn', color)}>
          ⟳ {cdcLine(c)}
        </Text>
      ))}
    </Box>
  );
}
