/**
 * Runs `createReporter` on this process's real stdout and feeds it a canned event sequence, as
 * `apply` would. The pseudo-terminal test runs this under `script` so stdout is a TTY.
 * usage: vite-node test/ui/support/feed-reporter.ts -- complete|interrupted|failed [--json]
 */
import { processIO } from '../../../src/cli/io.js';
import type { ExecEvent } from '../../../src/exec/events.js';
import { createReporter } from '../../../src/ui/reporter.js';
import { completeEvents, failedEvents, interruptedEvents } from './events.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const scenario = args[0] ?? 'complete';
const events: Record<string, () => ExecEvent[]> = { complete: completeEvents, interrupted: interruptedEvents, failed: failedEvents };
const make = events[scenario];
if (!make) throw new Error(`unknown scenario ${scenario}`);

const reporter = await createReporter(processIO(), { json: args.includes('--json') });
for (const event of make()) {
  reporter.sink(event);
  await new Promise((resolve) => setTimeout(resolve, 15));
}
await reporter.close();
process.stdout.write(`\n[stdout isTTY=${String(process.stdout.isTTY)}]\n`);
