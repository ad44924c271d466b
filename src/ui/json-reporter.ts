/** `--json`: one JSON object per line on stdout, the `version` event first. */
import type { CliIO } from '../cli/io.js';
import type { ExecEvent } from '../exec/events.js';
import type { Reporter } from './reporter.js';

export function createJsonReporter(io: CliIO): Reporter {
  const write = (e: ExecEvent) => io.stdout.write(`${JSON.stringify(e)}\n`);
  // table_progress arrives per batch; a few per second are plenty for a consumer.
  const lastProgress = new Map<string, number>();
  return {
    sink(e) {
      if (e.type === 'table_progress') {
        const now = Date.now();
        if (now - (lastProgress.get(e.table) ?? 0) < 250) return;
        lastProgress.set(e.table, now);
      }
      write(e);
    },
    async close() {},
  };
}
