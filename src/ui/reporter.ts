/**
 * Chooses how apply events are shown: NDJSON with --json, the Ink live view on a TTY outside CI,
 * plain lines otherwise.
 */
import type { CliIO } from '../cli/io.js';
import type { EventSink } from '../exec/events.js';
import { createJsonReporter } from './json-reporter.js';
import { createPlainReporter } from './plain-reporter.js';

export interface Reporter {
  readonly sink: EventSink;
  /** Flushes and unmounts; resolves once the last output is written. */
  close(): Promise<void>;
}

export interface ReporterOptions {
  readonly json: boolean;
}

export type OutputMode = 'json' | 'ink' | 'plain';

let inkReporter: Promise<typeof import('./ink/ink-reporter.js')> | undefined;

/**
 * Starts loading the live view's modules (Ink, React: ≈0.2 s of CPU) when it will be used, so
 * that they load while the plan is made — mostly a wait on the databases — and not after it.
 */
export function preloadReporter(io: CliIO, options: ReporterOptions): void {
  if (outputMode(io, options) === 'ink') inkReporter ??= import('./ink/ink-reporter.js');
}

/** Async because Ink and React (≈40 MB) are loaded only when the live view is really used. */
export async function createReporter(io: CliIO, options: ReporterOptions): Promise<Reporter> {
  const mode = outputMode(io, options);
  switch (mode) {
    case 'json':
      return createJsonReporter(io);
    case 'ink': {
      const { createInkReporter } = await (inkReporter ??= import('./ink/ink-reporter.js'));
      return createInkReporter(io, { color: useColor(io) });
    }
    case 'plain':
      return createPlainReporter(io, { color: useColor(io) });
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/**
 * Ink redraws in place, which only makes sense on a terminal someone watches: not in CI logs
 * (`CI` set, as CI services do), not in a pipe, and not when the stream is not a real one.
 */
export function outputMode(io: CliIO, options: ReporterOptions): OutputMode {
  if (options.json) return 'json';
  const stream = io.stdout as { isTTY?: boolean; on?: unknown };
  if (stream.isTTY === true && typeof stream.on === 'function' && !inCi(io.env) && io.env.TERM !== 'dumb') return 'ink';
  return 'plain';
}

/** `CI` set to anything but `false`/`0` (what CI services and Ink itself look at). */
export function inCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const set = (v: string | undefined) => v !== undefined && v !== 'false' && v !== '0';
  return set(env.CI) || set(env.CONTINUOUS_INTEGRATION);
}

export function useColor(io: CliIO): boolean {
  return Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}
