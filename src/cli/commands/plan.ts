/**
 * `dmsplan plan FILE [--out PLAN.json] [--json] [--detailed-exitcode]`: reads the schemas, writes
 * nothing, and shows what apply would do. Exit 0 ok (with --detailed-exitcode: 0 nothing to do,
 * 2 changes), 1 error.
 */
import { writeFileSync } from 'node:fs';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { diagnosticToJson } from '../../diagnostics/render.js';
import { makePlan } from '../../exec/make-plan.js';
import { renderPlanText } from '../../plan/render-text.js';
import { TOOL_VERSION } from '../../version.js';
import { useColor } from '../../ui/reporter.js';
import { parseArgs } from '../args.js';
import type { Command } from '../io.js';
import { loadPlanForCommand } from '../load-plan.js';
import { printDiagnostics } from '../print-diagnostics.js';
import { serializePlan } from '../saved-plan.js';

const USAGE = 'usage: dmsplan plan FILE [--out PLAN.json] [--json] [--detailed-exitcode]';

export const planCommand: Command = async (args, io) => {
  const parsed = parseArgs(args, [
    { name: 'out', takesValue: true },
    { name: 'json', takesValue: false },
    { name: 'detailed-exitcode', takesValue: false },
  ]);
  if ('error' in parsed || parsed.positional.length !== 1) {
    io.stderr.write(`dmsplan plan: ${'error' in parsed ? parsed.error : 'expects one plan file'}\n${USAGE}\n`);
    return 1;
  }
  const color = useColor(io);
  const file = parsed.positional[0]!;
  const ir = loadPlanForCommand(file, io, color, parsed.flags.has('json'));
  if (!ir) return 1;
  const made = await makePlan(ir, { planFile: file, toolVersion: TOOL_VERSION, env: io.env });
  // Written before anything is shown, so a plan that could not be saved is not reported as saved.
  const out = parsed.flags.get('out');
  let unsaved: string | undefined;
  if (typeof out === 'string' && made.graph && !hasErrors(made.diagnostics)) {
    try {
      writeFileSync(out, serializePlan(made.graph));
    } catch (err) {
      unsaved = `dmsplan plan: cannot write the saved plan to ${out}: ${(err as Error).message}\n`;
    }
  }
  if (parsed.flags.has('json')) {
    io.stdout.write(JSON.stringify({ diagnostics: made.diagnostics.map((d) => diagnosticToJson(d)), plan: made.graph ? JSON.parse(serializePlan(made.graph)) : null }) + '\n');
  } else printDiagnostics(io, made.diagnostics, color && Boolean(io.stderr.isTTY));
  if (!made.graph || hasErrors(made.diagnostics)) {
    if (!parsed.flags.has('json')) io.stderr.write('Plan failed: fix the errors above and run `dmsplan plan` again. Nothing was changed.\n');
    return 1;
  }
  if (!parsed.flags.has('json')) io.stdout.write(renderPlanText(made.graph, { color, urls: made.urls }));
  if (unsaved !== undefined) {
    io.stderr.write(unsaved);
    return 1;
  }
  if (typeof out === 'string' && !parsed.flags.has('json')) io.stdout.write(`\nSaved plan to ${out}. Apply exactly this plan with: dmsplan apply ${out}\n`);
  if (parsed.flags.has('detailed-exitcode')) return made.graph.steps.length === 0 ? 0 : 2;
  return 0;
};
