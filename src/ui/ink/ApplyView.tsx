/**
 * The whole live view of `apply`, a function of the reducer's state: finished tables, failures and
 * warnings frozen above (Ink's <Static>), then the live area — header, phases, a bar per running
 * copy, the overall bar, rejects so far — and at the end the summary table.
 */
import { Box, Static, useStdout } from 'ink';
import { elapsedSeconds, overallOf, phasesOf, runningTables, type UiState } from '../state.js';
import { CdcStatus } from './CdcStatus.js';
import { FeedLine } from './FeedLine.js';
import { Header } from './Header.js';
import { Phases } from './Phases.js';
import { Rejects } from './Rejects.js';
import { Summary } from './Summary.js';
import { barWidthFor, OverallBar, TableBar } from './TableBar.js';

export interface ApplyViewProps {
  readonly state: UiState;
  readonly color: boolean;
}

export function ApplyView({ state, color }: ApplyViewProps) {
  const running = runningTables(state);
  const overall = overallOf(state);
  const nameWidth = Math.min(32, Math.max(8, ...running.map((t) => t.target.length)));
  const barWidth = barWidthFor(useStdout().stdout.columns || 80, nameWidth);
  return (
    <>
      <Static items={[...state.feed]}>{(item) => <FeedLine key={item.key} item={item} color={color} />}</Static>
      <Box flexDirection="column">
        <Header header={state.header} resumed={state.resumed} color={color} />
        <Box flexDirection="column" marginTop={1}>
          <Phases phases={phasesOf(state)} color={color} />
        </Box>
        {state.summary ? (
          <Summary summary={state.summary} color={color} />
        ) : (
          <Box flexDirection="column" marginTop={1}>
            {running.map((t) => (
              <TableBar key={t.id} table={t} nameWidth={nameWidth} barWidth={barWidth} color={color} />
            ))}
            <OverallBar {...overall} elapsed={elapsedSeconds(state)} color={color} />
            <CdcStatus cdc={state.cdc} color={color} />
            <Rejects count={state.rejectedRows} recent={state.recentRejects} color={color} />
          </Box>
        )}
        {state.summary && state.rejectedRows > 0 ? (
          <Box marginTop={1}>
            <Rejects count={state.rejectedRows} recent={state.recentRejects} color={color} />
          </Box>
        ) : null}
      </Box>
    </>
  );
}
