/** Prints diagnostics to stderr with code frames, file names relative to the working directory. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { diagnosticToJson, renderDiagnostics } from '../diagnostics/render.js';
import type { CliIO } from './io.js';

export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], color: boolean): void {
  if (diagnostics.length === 0) return;
  const cache = new Map<string, string | undefined>();
  const source = (file: string) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(file, 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
  io.stderr.write(renderDiagnostics(diagnostics, { color, source, displayFile: (f) => path.relative(io.cwd, f) || f }));
}

/** `--json` streams: one `{"type":"diagnostic", …}` line per diagnostic on stdout. */
export function printDiagnosticsJson(io: CliIO, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) io.stdout.write(`${JSON.stringify({ type: 'diagnostic', ...diagnosticToJson(d, (f) => path.relative(io.cwd, f) || f) })}\n`);
}
