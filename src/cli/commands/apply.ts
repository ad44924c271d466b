/**
 * `dmsplan apply FILE|PLAN.json [--auto-approve] [--json]`.
 * A saved plan is the approval (refused when stale); a plan file is planned afresh, shown, and
 * confirmed with `yes` on a TTY — without a TTY, `--auto-approve` is required.
 * Exit 0 ok, 1 failed, 130 interrupted (resumable).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { applyGraph, applyPoolSize } from '../../exec/apply.js';
import { closeAll, type OpenConnection } from '../../exec/endpoints.js';
import { makePlan } from '../../exec/make-plan.js';
import { checkSavedPlanFresh } from '../../exec/stale-check.js';
import type { ExecutionGraph } from '../../plan/graph.js';
import { renderPlanText } from '../../plan/render-text.js';
import { createReporter, preloadReporter, useColor } from '../../ui/reporter.js';
import { TOOL_VERSION } from '../../version.js';
import { parseArgs } from '../args.js';
import type { CliIO, Command } from '../io.js';
import { loadPlanForCommand } from '../load-plan.js';
import { printDiagnostics, printDiagnosticsJson } from '../print-diagnostics.js';
import { readSavedPlan } from '../saved-plan.js';

const USAGE = 'usage: dmsplan apply FILE|PLAN.json [--auto-approve] [--json] [--until-caught-up]';

export const EXIT_INTERRUPTED = 130;

export const applyCommand: Command = async (args, io) => {
  const parsed = parseArgs(args, [
    { name: 'auto-approve', takesValue: false },
    { name: 'json', takesValue: false },
    { name: 'until-caught-up', takesValue: false },
  ]);
  if ('error' in parsed || parsed.positional.length !== 1) {
    io.stderr.write(`dmsplan apply: ${'error' in parsed ? parsed.error : 'expects one plan file or saved plan'}\n${USAGE}\n`);
    return 1;
  }
  const json = parsed.flags.has('json');
  preloadReporter(io, { json });
  const color = useColor(io);
  const file = parsed.positional[0]!;
  if (json) io.stdout.write(JSON.stringify({ type: 'version', tool: 'dmsplan', version: TOOL_VERSION, eventsFormat: 1 }) + '\n');
  const say = (text: string) => (json ? io.stdout.write(JSON.stringify({ type: 'log', level: 'info', message: text.trimEnd() }) + '\n') : io.stdout.write(text));
  const fail = (text: string) => (json ? io.stdout.write(JSON.stringify({ type: 'log', level: 'error', message: text.trimEnd() }) + '\n') : io.stderr.write(text));

  let graph: ExecutionGraph;
  // Connections kept from planning for the run, which closes them; closed here when there is no run.
  let kept: ReadonlyMap<string, OpenConnection> | undefined;
  const leave = async (code: number): Promise<number> => {
    if (kept) await closeAll(kept);
    return code;
  };
  if (file.endsWith('.json')) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      fail(`dmsplan apply: cannot read ${file}: ${(err as Error).message}\n`);
      return 1;
    }
    const saved = await readSavedPlan(text);
    if ('error' in saved) {
      fail(`${file}: error[DMS4004]: ${saved.error}\n`);
      return 1;
    }
    const stale = await checkSavedPlanFresh(saved.graph, io.env);
    if (stale.length) {
      if (json) printDiagnosticsJson(io, stale);
      else printDiagnostics(io, stale, color);
      return 1;
    }
    graph = saved.graph;
  } else {
    const ir = loadPlanForCommand(file, io, color, json);
    if (!ir) return 1;
    const made = await makePlan(ir, { planFile: file, toolVersion: TOOL_VERSION, env: io.env, keepConnections: { poolSize: applyPoolSize(ir.migration.workers) } });
    kept = made.connections;
    if (json) printDiagnosticsJson(io, made.diagnostics);
    else printDiagnostics(io, made.diagnostics, color);
    if (!made.graph || hasErrors(made.diagnostics)) {
      fail('Apply stopped before changing anything: fix the errors above.\n');
      return leave(1);
    }
    graph = made.graph;
    if (!json) io.stdout.write(renderPlanText(graph, { color, urls: made.urls }));
    // Change data capture keeps following even when the load has nothing left to do.
    if (graph.steps.length === 0 && graph.migration.mode === 'full_load') {
      if (json) say('No changes. The target matches the plan: nothing to do.');
      return leave(0);
    }
    if (!parsed.flags.has('auto-approve')) {
      const approved = await askApproval(io);
      if (approved === 'no-tty') {
        fail('dmsplan apply: not a terminal, so no one can confirm: pass --auto-approve, or apply a saved plan (plan --out).\n');
        return leave(1);
      }
      if (!approved) {
        say('Apply cancelled: nothing was changed.\n');
        return leave(1);
      }
    }
  }

  const reporter = await createReporter(io, { json });
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT_INTERRUPTED); // a second Ctrl-C: leave now; the chunk in flight rolls back
    interrupted = true;
    // Through the reporter, so the live view stays intact and --json stays JSON.
    reporter.sink({ type: 'log', level: 'warn', message: 'Stopping: rolling back the chunks in flight and saving state (Ctrl-C again to leave at once)…' });
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const status = await applyGraph(graph, { env: io.env, toolVersion: TOOL_VERSION, emit: reporter.sink, cancelled: () => interrupted, untilCaughtUp: parsed.flags.has('until-caught-up'), connections: kept, processExitsAfter: io.processExitsAfter });
    await reporter.close();
    switch (status) {
      case 'ok':
        return 0;
      case 'failed':
        return 1;
      case 'interrupted':
        return EXIT_INTERRUPTED;
      default: {
        const never: never = status;
        return never;
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
};

async function askApproval(io: CliIO): Promise<boolean | 'no-tty'> {
  if (!io.stdin.isTTY || !io.stdout.isTTY) return 'no-tty';
  io.stdout.write('\nDo you want to apply this plan? Only `yes` is accepted.\n  Enter a value: ');
  const rl = createInterface({ input: io.stdin, terminal: false });
  const answer = await new Promise<string>((resolve) => rl.once('line', resolve).once('close', () => resolve('')));
  rl.close();
  return answer.trim() === 'yes';
}
