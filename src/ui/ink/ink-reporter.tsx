/**
 * The Ink live view as a Reporter. Events are reduced as they arrive (cheap), but the screen is
 * redrawn at most every RENDER_EVERY_MS: a fast copy sends hundreds of progress events a second,
 * and redrawing on each would cost more than the copy. A slow tick keeps elapsed time moving
 * while no event comes (a long index build).
 */
import { render, type Instance } from 'ink';
import type { CliIO } from '../../cli/io.js';
import type { ExecEvent } from '../../exec/events.js';
import type { Reporter } from '../reporter.js';
import { initialState, reduce, tick, type UiState } from '../state.js';
import { ApplyView } from './ApplyView.js';

// Four redraws a second: each costs ~10 ms of CPU (React, layout, the terminal diff), taken from
// the cores the copy uses; at ten a second the live view cost a 2.5 s apply ~0.45 s.
export const RENDER_EVERY_MS = 250;
const TICK_EVERY_MS = 1000;

export interface InkReporterOptions {
  readonly color: boolean;
  /** Milliseconds; tests pass their own clock. */
  readonly now?: () => number;
  /** Called after each redraw request; tests count them. */
  readonly onDraw?: () => void;
}

export function createInkReporter(io: CliIO, options: InkReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  let state: UiState = initialState;
  let lastRender = 0;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const view = () => <ApplyView state={state} color={options.color} />;
  const instance: Instance = render(view(), {
    stdout: io.stdout as NodeJS.WriteStream,
    stderr: io.stderr as NodeJS.WriteStream,
    stdin: io.stdin as NodeJS.ReadStream,
    // Ctrl-C belongs to apply.ts: it lets the executor stop cleanly and resume later.
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 1000 / RENDER_EVERY_MS,
  });

  const draw = () => {
    pending = undefined;
    if (closed) return;
    lastRender = now();
    instance.rerender(view());
    options.onDraw?.();
  };
  const schedule = () => {
    if (pending || closed) return;
    const wait = Math.max(0, RENDER_EVERY_MS - (now() - lastRender));
    pending = setTimeout(draw, wait);
  };
  const ticker = setInterval(() => {
    state = tick(state, now());
    schedule();
  }, TICK_EVERY_MS);
  ticker.unref();

  return {
    sink(event: ExecEvent) {
      if (event.type === 'version') return;
      state = reduce(state, event, now());
      if (event.type === 'summary') {
        if (pending) clearTimeout(pending);
        draw();
      } else schedule();
    },
    async close() {
      if (closed) return;
      clearInterval(ticker);
      if (pending) clearTimeout(pending);
      draw();
      closed = true;
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
