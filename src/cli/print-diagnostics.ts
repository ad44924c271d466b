/** Prints diagnostics to stderr with code frames (the language front end's renderer). */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { CliIO } from './io.js';

export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[], color: boolean): void {
  for (const d of diagnostics) io.stderr.write(formatDiagnostic(d, color) + '\n');
}

const cache = new Map<string, string | undefined>();

function sourceLine(file: string, line: number): string | undefined {
  if (!cache.has(file)) {
    try {
      cache.set(file, readFileSync(file, 'utf8'));
    } catch {
      cache.set(file, undefined);
    }
  }
  return cache.get(file)?.split(/\r?\n/)[line - 1];
}

export function formatDiagnostic(d: Diagnostic, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = d.severity === 'error' ? paint('31;1', 'error') : d.severity === 'warning' ? paint('33;1', 'warning') : paint('36', 'note');
  const where = d.span ? `${d.span.file}:${d.span.startLine}:${d.span.startColumn}: ` : '';
  const out = [`${where}${sev}[${d.code}]: ${d.message}`];
  if (d.span) {
    const text = sourceLine(d.span.file, d.span.startLine);
    if (text !== undefined) {
      const gutter = String(d.span.startLine);
      const width = d.span.endLine === d.span.startLine ? Math.max(1, d.span.endColumn - d.span.startColumn) : Math.max(1, text.length - d.span.startColumn + 1);
      out.push(`${' '.repeat(gutter.length)} |`, `${gutter} | ${text}`, `${' '.repeat(gutter.length)} | ${' '.repeat(d.span.startColumn - 1)}${paint('31', '^'.repeat(width))}`);
    }
  }
  if (d.hint) out.push(`  = help: ${d.hint}`);
  return out.join('\n');
}
