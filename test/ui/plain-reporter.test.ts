import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../src/exec/events.js';
import { createPlainReporter, PROGRESS_EVERY_MS } from '../../src/ui/plain-reporter.js';
import { createReporter } from '../../src/ui/reporter.js';
import { renderSummaryTable } from '../../src/ui/summary-table.js';
import { albumTotals, completeEvents, failedEvents, interruptedEvents, planEvent, progress, TRACK, trackTotals } from './support/events.js';
import { recordingIO } from './support/fake-io.js';

// eslint-disable-next-line no-control-regex
const ESC = /\u001b/;

function feed(events: readonly ExecEvent[], options: { color: boolean; stepMs?: number }) {
  const io = recordingIO();
  let clock = 0;
  const reporter = createPlainReporter(io, { color: options.color, now: () => clock });
  for (const e of events) {
    reporter.sink(e);
    clock += options.stepMs ?? 10;
  }
  return io;
}

describe('plain reporter', () => {
  it('writes no escape codes when colour is off', () => {
    for (const events of [completeEvents(), interruptedEvents(), failedEvents()]) {
      const io = feed(events, { color: false });
      expect(io.out()).not.toMatch(ESC);
      expect(io.err()).not.toMatch(ESC);
    }
  });

  it('writes no escape codes through createReporter when stdout is not a TTY, or under NO_COLOR', async () => {
    for (const options of [{ tty: false }, { tty: true, env: { NO_COLOR: '1', CI: 'true' } }]) {
      const io = recordingIO(options);
      const reporter = await createReporter(io, { json: false });
      for (const e of completeEvents()) reporter.sink(e);
      await reporter.close();
      expect(io.out()).toContain('✓ Apply complete');
      expect(io.out() + io.err()).not.toMatch(ESC);
    }
  });

  it('colours on a terminal', () => {
    expect(feed(completeEvents(), { color: true }).out()).toMatch(ESC);
  });

  it('prints the header with redacted URLs and a line per finished step', () => {
    const out = feed(completeEvents(), { color: false }).out();
    expect(out).toContain('Applying chinook (full_load): 8 steps, plan 0123456789ab');
    expect(out).toContain('  target dw postgres postgres://app:***@db.internal:5432/dw');
    expect(out).not.toContain('s3cret');
    expect(out).toContain('  ✓ create_table:dw.chinook.album 0.0s');
    expect(out).toContain('  ▸ copy chinook.track (~3,503 rows)');
    expect(out).toMatch(/ {2}✓ chinook\.track: 3,502 rows, 1 rejected in 2\.0s \(1,752 rows\/s\)/);
    expect(out).toContain('  ✓ validate chinook.track (checksums): 3502 rows + 1 rejected, checksums match');
  });

  it('ends with the same summary table as the live view', () => {
    const out = feed(completeEvents(), { color: false }).out();
    const table = renderSummaryTable({ tables: [albumTotals, trackTotals], seconds: 3.2 });
    expect(out).toContain(table);
    expect(table).toMatch(/^total \(2 tables\)\s+3,850\s+3,849\s+1\s+3\.2s\s+1,203\s+2 ok$/m);
    expect(out.trimEnd().split('\n').slice(-2)).toEqual(['✓ Apply complete', 'Apply complete: 8 steps done. 1 row(s) rejected: see dw: _dmsplan.rejects. (3.2s)']);
  });

  it('tells how to resume after an interrupted run, on stderr', () => {
    const io = feed(interruptedEvents(), { color: false });
    expect(io.err()).toContain('Interrupted — run the same command again to resume');
    expect(io.out()).toMatch(/chinook\.album\s+347\s+347\s+0\s+0\.5s/);
  });

  it('reports failures and rejects on stderr', () => {
    const io = feed(failedEvents(), { color: false });
    expect(io.err()).toContain('  ✗ copy:dw.chinook.track: relation "chinook.track" does not exist');
    expect(io.err()).toContain('  ! rejected chinook.track (track_id=1234) column milliseconds = -5: value out of range for uint32');
    expect(io.err()).toContain('✗ Apply failed');
  });

  it('prints a progress line per running table about every five seconds, not per event', () => {
    const events: ExecEvent[] = [planEvent, { type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK }];
    // 20 s of progress, one event every 100 ms at 100 rows/s.
    for (let i = 1; i <= 200; i++) events.push(progress(TRACK, i * 10, 3503));
    const out = feed(events, { color: false, stepMs: 100 }).out();
    const lines = out.split('\n').filter((l) => l.startsWith('    … '));
    expect(lines.length).toBe(Math.floor((200 * 100) / PROGRESS_EVERY_MS));
    expect(lines[0]).toMatch(/^ {4}… chinook\.track: [\d,]+ \/ ~3,503 rows \(\d+%\) · 100 rows\/s · ETA \d+:\d\d$/);
  });

  it('shows the rows of a binary passthrough still streaming as an estimate, and the committed count once its chunk finishes', () => {
    const streaming = (rowsRead: number, rowsStreaming: number): ExecEvent => ({ ...(progress(TRACK, rowsRead, 3503, 0, 1 << 20) as Extract<ExecEvent, { type: 'table_progress' }>), rowsStreaming });
    const events: ExecEvent[] = [planEvent, { type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK }];
    // Nothing committed for 10 s, 100 estimated rows a second streaming.
    for (let i = 1; i <= 100; i++) events.push(streaming(0, i * 10));
    const lines = feed(events, { color: false, stepMs: 100 }).out().split('\n').filter((l) => l.startsWith('    … '));
    expect(lines[0]).toMatch(/^ {4}… chinook\.track: ~500 \/ ~3,503 rows \(14%\) · 100 rows\/s · ETA 0:30$/);
    // The chunk commits fewer rows than estimated: the count shown is the committed one, not the larger estimate.
    events.push(streaming(990, 0));
    for (let i = 1; i <= 60; i++) events.push(progress(TRACK, 990, 3503, 0, 1 << 20));
    const after = feed(events, { color: false, stepMs: 100 }).out().split('\n').filter((l) => l.startsWith('    … '));
    expect(after.at(-1)).toMatch(/^ {4}… chinook\.track: 990 \/ ~3,503 rows \(28%\)/);
  });
});
