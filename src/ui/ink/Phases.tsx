/** One line per phase (schema, data, constraints, validation) with its running non-copy steps. */
import { Box, Text } from 'ink';
import type { PhaseView } from '../state.js';
import { toneProps } from './theme.js';

export function Phases({ phases, color }: { readonly phases: readonly PhaseView[]; readonly color: boolean }) {
  return (
    <Box flexDirection="column">
      {phases.map((p) => {
        const finished = p.done + p.skipped;
        const complete = finished === p.total;
        const mark = p.failed ? '✗' : complete ? '✓' : p.running.length ? '▸' : '·';
        const tone = p.failed ? 'bad' : complete ? 'ok' : p.running.length ? 'accent' : 'dim';
        const notes = [p.skipped ? `${p.skipped} skipped` : '', p.failed ? `${p.failed} failed` : '', p.running.length ? `${p.running.length} running` : ''].filter(Boolean);
        return (
          <Box key={p.phase} flexDirection="column">
            <Text>
              <Text {...toneProps(tone, color)}>{mark}</Text> {p.phase.padEnd(11)} {finished}/{p.total}
              {notes.length ? <Text {...toneProps('dim', color)}> ({notes.join(', ')})</Text> : null}
            </Text>
            {p.phase === 'data'
              ? null
              : p.running.map((s) => (
                  <Text key={s.id} wrap="truncate-end" {...toneProps('dim', color)}>
                    {'    '}
                    {s.kind} {s.summary}
                  </Text>
                ))}
          </Box>
        );
      })}
    </Box>
  );
}
