/** Plan name, mode and the endpoints with redacted URLs. */
import { Box, Text } from 'ink';
import type { HeaderView } from '../state.js';
import { toneProps } from './theme.js';

export function Header({ header, resumed, color }: { readonly header: HeaderView | undefined; readonly resumed: boolean; readonly color: boolean }) {
  if (!header) return <Text {...toneProps('dim', color)}>Connecting…</Text>;
  const nameWidth = Math.max(...header.endpoints.map((e) => e.name.length), 4);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold={color}>Applying {header.name}</Text>
        <Text {...toneProps('dim', color)}>
          {' '}
          ({header.mode}
          {resumed ? ', resumed' : ''}) plan {header.fingerprint.slice(0, 12)}
        </Text>
      </Text>
      {header.endpoints.map((e) => (
        <Text key={`${e.role}:${e.name}`} wrap="truncate-end">
          {'  '}
          {e.role.padEnd(6)} {e.name.padEnd(nameWidth)} {e.engine.padEnd(9)} <Text {...toneProps('dim', color)}>{e.url}</Text>
        </Text>
      ))}
    </Box>
  );
}
