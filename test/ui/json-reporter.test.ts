import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../src/exec/events.js';
import { createJsonReporter, JSON_PROGRESS_EVERY_MS } from '../../src/ui/json-reporter.js';
import { createReporter } from '../../src/ui/reporter.js';
import { completeEvents, failedEvents, interruptedEvents, planEvent, progress, TRACK } from './support/events.js';
import { recordingIO } from './support/fake-io.js';

function feed(events: readonly ExecEvent[], stepMs: number) {
  const io = recordingIO();
  let clock = 0;
  const reporter = createJsonReporter(io, { now: () => clock });
  for (const e of events) {
    reporter.sink(e);
    clock += stepMs;
  }
  return { io, reporter };
}

const parseLines = (text: string): ExecEvent[] =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ExecEvent);

describe('JSON reporter', () => {
  it('writes one valid JSON object per line, every event but version, in order', async () => {
    for (const events of [completeEvents(), interruptedEvents(), failedEvents()]) {
      // Events far apart in time: nothing is throttled, so the stream is the input less `version`.
      const { io, reporter } = feed(events, 1000);
      await reporter.close();
      const lines = io.out().split('\n');
      expect(lines.at(-1)).toBe('');
      for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
      expect(parseLines(io.out())).toEqual(JSON.parse(JSON.stringify(events.filter((e) => e.type !== 'version'))));
    }
  });

  it('never writes a version event: apply.ts has written it already', async () => {
    const io = recordingIO();
    const reporter = await createReporter(io, { json: true });
    for (const e of completeEvents()) reporter.sink(e);
    await reporter.close();
    expect(parseLines(io.out()).filter((e) => e.type === 'version')).toEqual([]);
    expect(parseLines(io.out()).map((e) => e.type)).toContain('summary');
  });

  it('throttles progress per table but keeps the last one before the copy ends', async () => {
    const events: ExecEvent[] = [planEvent];
    for (let i = 1; i <= 100; i++) events.push(progress(TRACK, i * 35, 3503));
    events.push({ type: 'chunk_finish', table: TRACK, chunk: 0, chunks: 1, rows: 3500, rejected: 0 });
    events.push({ type: 'step_finish', id: 'copy:dw.chinook.track', seconds: 1 });
    const { io, reporter } = feed(events, 10); // 100 events a second
    await reporter.close();
    const out = parseLines(io.out());
    const shown = out.filter((e): e is Extract<ExecEvent, { type: 'table_progress' }> => e.type === 'table_progress');
    expect(shown.length).toBeLessThanOrEqual(Math.ceil((100 * 10) / JSON_PROGRESS_EVERY_MS) + 1);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.at(-1)!.rowsRead).toBe(3500);
    const types = out.map((e) => e.type);
    expect(types.lastIndexOf('table_progress')).toBeLessThan(types.indexOf('chunk_finish'));
    expect(types.filter((t) => t !== 'table_progress')).toEqual(['plan', 'chunk_finish', 'step_finish']);
  });

  it('keeps the URLs as the executor redacted them and adds no escape codes on a TTY', async () => {
    const io = recordingIO({ tty: true });
    const reporter = await createReporter(io, { json: true });
    for (const e of completeEvents()) reporter.sink(e);
    await reporter.close();
    // eslint-disable-next-line no-control-regex
    expect(io.out()).not.toMatch(/\u001b/);
  });
});
