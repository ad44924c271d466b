/** Loads a .dmsplan file for a command, printing its diagnostics; undefined when it has errors. */
import { hasErrors } from '../diagnostics/diagnostic.js';
import type { PlanIR } from '../ir/ir.js';
import { loadPlanFile } from '../ir/load.js';
import type { CliIO } from './io.js';
import { printDiagnostics, printDiagnosticsJson } from './print-diagnostics.js';
import path from 'node:path';

export function loadPlanForCommand(file: string, io: CliIO, color: boolean, json = false): PlanIR | undefined {
  const result = loadPlanFile(path.resolve(io.cwd, file));
  if (json) printDiagnosticsJson(io, result.diagnostics);
  else printDiagnostics(io, result.diagnostics, color && Boolean(io.stderr.isTTY));
  if (!result.value || hasErrors(result.diagnostics)) {
    if (!json) io.stderr.write(`${file}: the plan has errors; nothing was done.\n`);
    return undefined;
  }
  return result.value;
}
