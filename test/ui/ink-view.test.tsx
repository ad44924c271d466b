import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { ApplyView } from '../../src/ui/ink/ApplyView.js';
import { initialState, reduce, reduceAll, type UiState } from '../../src/ui/state.js';
import { completeEvents, failedEvents, interruptedEvents, planEvent, runningEvents } from './support/events.js';

afterEach(cleanup);

// eslint-disable-next-line no-control-regex
const ESC = /\u001b\[/;

/** Everything written: <Static> lines go out once, in their own frame, before the live area. */
function screen(state: UiState, color = false): { all: string; live: string } {
  const r = render(<ApplyView state={state} color={color} />);
  return { all: r.frames.join('\n'), live: r.lastFrame() ?? '' };
}

describe('ApplyView', () => {
  it('shows the header with plan name, mode and redacted endpoints', () => {
    const { live } = screen(reduce(initialState, planEvent, 0));
    expect(live).toContain('Applying chinook');
    expect(live).toContain('full_load');
    expect(live).toMatch(/source\s+shop\s+mysql\s+mysql:\/\/root:\*\*\*@127\.0\.0\.1:3306\/chinook/);
    expect(live).toContain('postgres://app:***@db.internal:5432/dw');
    expect(live).not.toContain('s3cret');
  });

  it('shows steps grouped by phase with their counts', () => {
    const { live } = screen(reduceAll(runningEvents(), 0, 100));
    expect(live).toMatch(/✓ schema\s+2\/2/);
    expect(live).toMatch(/▸ data\s+1\/2 \(1 running\)/);
    expect(live).toMatch(/· constraints\s+0\/2/);
    expect(live).toMatch(/· validation\s+0\/2/);
  });

  it('draws a bar for each running copy with rows of the estimate, rows/s, ETA and bytes', () => {
    const { live } = screen(reduceAll(runningEvents(), 0, 100));
    const line = live.split('\n').find((l) => l.includes('chinook.track') && l.includes('█'));
    expect(line).toBeDefined();
    expect(line).toContain('2,000 / ~3,503 rows');
    expect(line).toContain('57%');
    expect(line).toMatch(/[\d,]+ rows\/s/);
    expect(line).toMatch(/ETA \d+:\d\d/);
    expect(line).toContain('240.0 KB');
    // The finished album copy is no longer a bar.
    expect(live.split('\n').some((l) => l.includes('chinook.album') && l.includes('█'))).toBe(false);
  });

  it('shows the overall bar over the sum of estimates and the elapsed time', () => {
    const { live } = screen(reduceAll(runningEvents(), 0, 100));
    const line = live.split('\n').find((l) => l.startsWith('Overall'));
    expect(line).toContain('2,347 / ~3,850 rows');
    expect(line).toContain('60%');
    expect(line).toContain('elapsed 0:01');
  });

  it('shows rejects so far with the last ones', () => {
    const { live } = screen(reduceAll(runningEvents(), 0, 100));
    expect(live).toContain('! 1 row rejected so far');
    expect(live).toContain('chinook.track (track_id=1234) milliseconds = -5: value out of range for uint32');
  });

  it('freezes finished tables above the live area', () => {
    const { all } = screen(reduceAll(runningEvents(), 0, 100));
    expect(all).toContain('✓ chinook.album 347 rows in 0.5s (694 rows/s)');
    expect(all.indexOf('✓ chinook.album')).toBeLessThan(all.indexOf('Applying chinook'));
  });

  it('ends with the summary table and totals', () => {
    const { live } = screen(reduceAll(completeEvents(), 0, 100));
    const lines = live.split('\n');
    const header = lines.findIndex((l) => /^table\s+read\s+written\s+rejected\s+time\s+rows\/s\s+validation$/.test(l));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toMatch(/^chinook\.album\s+347\s+347\s+0\s+0\.5s\s+694\s+ok$/);
    expect(lines[header + 2]).toMatch(/^chinook\.track\s+3,503\s+3,502\s+1\s+2\.0s\s+1,751\s+ok$/);
    expect(lines[header + 4]).toMatch(/^total \(2 tables\)\s+3,850\s+3,849\s+1\s+3\.2s\s+1,203\s+2 ok$/);
    expect(live).toContain('✓ Apply complete');
    expect(live).toContain('Apply complete: 8 steps done.');
    expect(live).not.toContain('█');
  });

  it('tells the user how to resume after Ctrl-C', () => {
    const { live } = screen(reduceAll(interruptedEvents(), 0, 100));
    expect(live).toContain('Interrupted — run the same command again to resume');
    expect(live).not.toContain('█');
  });

  it('shows a failed step with its error', () => {
    const { all, live } = screen(reduceAll(failedEvents(), 0, 100));
    expect(all).toContain('✗ copy:dw.chinook.track: relation "chinook.track" does not exist');
    expect(live).toContain('✗ Apply failed');
    expect(live).toMatch(/✗ data\s+1\/2 \(1 failed\)/);
  });

  it('writes no escape codes without colour', () => {
    expect(screen(reduceAll(completeEvents(), 0, 100), false).all).not.toMatch(ESC);
    expect(screen(reduceAll(runningEvents(), 0, 100), false).all).not.toMatch(ESC);
  });
});
