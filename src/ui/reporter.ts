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

export function createReporter(io: CliIO, options: ReporterOptions): Reporter {
  if (options.json) return createJsonReporter(io);
  return createPlainReporter(io, { color: useColor(io) });
}

export function useColor(io: CliIO): boolean {
  return Boolean(io.stdout.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}
