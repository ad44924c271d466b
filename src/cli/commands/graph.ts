/** `dmsplan graph FILE|PLAN.json`: the execution graph as Graphviz DOT on stdout. */
import { readFileSync } from 'node:fs';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { makePlan } from '../../exec/make-plan.js';
import { renderDot } from '../../plan/render-dot.js';
import { useColor } from '../../ui/reporter.js';
import { TOOL_VERSION } from '../../version.js';
import type { Command } from '../io.js';
import { loadPlanForCommand } from '../load-plan.js';
import { printDiagnostics } from '../print-diagnostics.js';
import { readSavedPlan } from '../saved-plan.js';

export const graphCommand: Command = async (args, io) => {
  if (args.length !== 1 || args[0]!.startsWith('--')) {
    io.stderr.write('usage: dmsplan graph FILE|PLAN.json\n');
    return 1;
  }
  const file = args[0]!;
  if (file.endsWith('.json')) {
    let saved;
    try {
      saved = await readSavedPlan(readFileSync(file, 'utf8'));
    } catch (err) {
      io.stderr.write(`dmsplan graph: cannot read ${file}: ${(err as Error).message}\n`);
      return 1;
    }
    if ('error' in saved) {
      io.stderr.write(`${file}: error[DMS4004]: ${saved.error}\n`);
      return 1;
    }
    io.stdout.write(renderDot(saved.graph));
    return 0;
  }
  const color = useColor(io);
  const ir = loadPlanForCommand(file, io, color);
  if (!ir) return 1;
  const made = await makePlan(ir, { planFile: file, toolVersion: TOOL_VERSION, env: io.env });
  printDiagnostics(io, made.diagnostics, color);
  if (!made.graph || hasErrors(made.diagnostics)) return 1;
  io.stdout.write(renderDot(made.graph));
  return 0;
};
