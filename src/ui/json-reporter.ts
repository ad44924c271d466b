/**
 * `--json`: every event as one JSON object per line on stdout. apply.ts writes the `version`
 * event itself before anything else, so one arriving here is dropped rather than repeated.
 * `table_progress` arrives per batch; a consumer gets at most one per table every
 * PROGRESS_EVERY_MS, and always the last one before that table's copy ends, so final counts
 * in the stream are exact.
 */
import type { CliIO } from '../cli/io.js';
import type { ExecEvent } from '../exec/events.js';
import type { Reporter } from './reporter.js';

export const JSON_PROGRESS_EVERY_MS = 250;

type Progress = Extract<ExecEvent, { type: 'table_progress' }>;

export function createJsonReporter(io: CliIO, options: { readonly now?: () => number } = {}): Reporter {
  const now = options.now ?? Date.now;
  const write = (e: ExecEvent) => io.stdout.write(`${JSON.stringify(e)}\n`);
  const lastWritten = new Map<string, number>();
  /** Progress held back by the throttle, written before anything that ends or summarises the table. */
  const heldBack = new Map<string, Progress>();
  const flush = (table: string | undefined) => {
    for (const [id, p] of heldBack) {
      if (table !== undefined && id !== table) continue;
      heldBack.delete(id);
      write(p);
    }
  };
  return {
    sink(e) {
      switch (e.type) {
        case 'version':
          return;
        case 'table_progress': {
          const at = now();
          const last = lastWritten.get(e.table);
          if (last !== undefined && at - last < JSON_PROGRESS_EVERY_MS) {
            heldBack.set(e.table, e);
            return;
          }
          lastWritten.set(e.table, at);
          heldBack.delete(e.table);
          write(e);
          return;
        }
        case 'chunk_finish':
        case 'reject':
        case 'validation':
          flush(e.table);
          write(e);
          return;
        case 'step_finish':
        case 'step_fail':
        case 'summary':
          flush(undefined);
          write(e);
          return;
        case 'plan':
        case 'cdc_start':
        case 'cdc_progress':
        case 'run_start':
        case 'step_start':
        case 'step_skip':
        case 'log':
          write(e);
          return;
        default: {
          const never: never = e;
          return never;
        }
      }
    },
    async close() {
      flush(undefined);
    },
  };
}
