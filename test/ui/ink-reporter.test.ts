import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../src/exec/events.js';
import { createInkReporter } from '../../src/ui/ink/ink-reporter.js';
import { completeEvents, planEvent, progress, TRACK } from './support/events.js';
import { recordingIO } from './support/fake-io.js';
import { stripAnsi } from './support/virtual-screen.js';

describe('Ink reporter', () => {
  it('redraws at most about ten times a second however many events arrive', async () => {
    const io = recordingIO({ tty: true, stream: true });
    const writes = [io.out()];
    let draws = 0;
    const reporter = createInkReporter(io, { color: false, onDraw: () => draws++ });
    reporter.sink(planEvent);
    reporter.sink({ type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK });
    const started = Date.now();
    // 2,000 progress events over about 300 ms.
    for (let i = 1; i <= 2000; i++) {
      reporter.sink(progress(TRACK, i, 3503));
      if (i % 200 === 0) await new Promise((r) => setTimeout(r, 30));
    }
    const elapsed = Date.now() - started;
    await reporter.close();
    writes[0] = io.out();
    expect(draws).toBeGreaterThan(1);
    expect(draws).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    // What reached the terminal: each frame holds the overall bar once (Ink draws only the last
    // frame when it believes it runs in CI).
    const frames = (writes.join('').match(/Overall/g) ?? []).length;
    expect(frames).toBeLessThanOrEqual(draws + 1);
    expect(stripAnsi(writes.join(''))).toContain('2,000 / ~3,503 rows');
  });

  it('draws the summary on close', async () => {
    const io = recordingIO({ tty: true, stream: true });
    const reporter = createInkReporter(io, { color: false });
    for (const e of completeEvents() as ExecEvent[]) reporter.sink(e);
    await reporter.close();
    expect(stripAnsi(io.out())).toContain('✓ Apply complete');
    expect(stripAnsi(io.out())).toMatch(/total \(2 tables\)\s+3,850/);
  });
});
