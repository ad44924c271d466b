/**
 * Diagnostics for people and for programs.
 *
 * Text:
 *   plan.dmsplan:3:10: error[DMS2003]: invalid value 'ful_load' for 'mode': expected ...
 *     |
 *   3 |   mode = ful_load
 *     |          ^^^^^^^^
 *     = hint: did you mean 'full_load'?
 *
 * JSON: one plain object per diagnostic with the position flattened (file, line, column, ...).
 */
import type { Diagnostic, Span } from './diagnostic.js';

export interface RenderOptions {
  /** ANSI colours; decide with `shouldColor`. */
  readonly color: boolean;
  /** The text of a file, for the code frame; undefined = no frame. */
  readonly source?: (file: string) => string | undefined;
  /** How to show a file name (e.g. relative to the working directory). */
  readonly displayFile?: (file: string) => string;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or TERM=dumb. */
export function shouldColor(stream: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(stream.isTTY) && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
}

/** Lines longer than this are shown as a window around the error. */
const MAX_FRAME_WIDTH = 160;

export function renderDiagnostic(d: Diagnostic, options: RenderOptions): string {
  const paint = (style: string, text: string): string => (options.color ? `\u001b[${style}m${text}\u001b[0m` : text);
  const show = options.displayFile ?? ((f: string) => f);
  const severityStyle = d.severity === 'error' ? '1;31' : d.severity === 'warning' ? '1;33' : '1;36';
  const where = d.span ? `${show(d.span.file)}:${d.span.startLine}:${d.span.startColumn}: ` : '';
  const lines = [`${where}${paint(severityStyle, `${d.severity}[${d.code}]`)}: ${paint('1', d.message)}`];
  const frame = d.span ? codeFrame(d.span, options.source?.(d.span.file), (s) => paint(severityStyle, s), (s) => paint('2;34', s)) : [];
  lines.push(...frame);
  const pad = frame.length > 0 ? ' '.repeat(String(d.span?.startLine ?? '').length + 1) : '  ';
  if (d.hint) lines.push(`${pad}${paint('2;34', '=')} ${paint('1', 'hint')}: ${d.hint}`);
  for (const related of d.related ?? []) {
    lines.push(`${pad}${paint('2;34', '=')} ${paint('1', 'note')}: ${related.message} at ${show(related.span.file)}:${related.span.startLine}:${related.span.startColumn}`);
  }
  return lines.join('\n');
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: RenderOptions): string {
  return diagnostics.map((d) => `${renderDiagnostic(d, options)}\n`).join('\n');
}

/** The source line of the span with carets under it (only the first line of a multi-line span). */
function codeFrame(span: Span, text: string | undefined, mark: (s: string) => string, gutter: (s: string) => string): string[] {
  if (text === undefined) return [];
  const line = text.split(/\r\n|\r|\n/)[span.startLine - 1];
  if (line === undefined) return [];
  let shown = printable(line);
  let start = Math.max(0, Math.min(span.startColumn - 1, shown.length));
  const end = span.endLine === span.startLine ? Math.max(start + 1, Math.min(span.endColumn - 1, shown.length)) : Math.max(start + 1, shown.length);
  let caretCount = Math.max(1, end - start);
  if (shown.length > MAX_FRAME_WIDTH) {
    const from = Math.max(0, start - MAX_FRAME_WIDTH / 2);
    const to = Math.min(shown.length, from + MAX_FRAME_WIDTH);
    shown = `${from > 0 ? '…' : ''}${shown.slice(from, to)}${to < shown.length ? '…' : ''}`;
    start = start - from + (from > 0 ? 1 : 0);
    caretCount = Math.max(1, Math.min(caretCount, shown.length - start));
  }
  const number = String(span.startLine);
  const blank = ' '.repeat(number.length);
  // Keep tabs in the indentation under the line so the carets line up in any terminal.
  const indent = [...shown.slice(0, start)].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  return [`${blank} ${gutter('|')}`, `${gutter(`${number} |`)} ${shown}`, `${blank} ${gutter('|')} ${indent}${mark('^'.repeat(caretCount))}`];
}

/** Control characters (from binary input) would garble the terminal: one `?` each, same width. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: Diagnostic['severity'];
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  readonly hint?: string;
  readonly related?: readonly { readonly message: string; readonly file: string; readonly line: number; readonly column: number }[];
}

export function diagnosticToJson(d: Diagnostic, displayFile: (file: string) => string = (f) => f): JsonDiagnostic {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.span ? { file: displayFile(d.span.file), line: d.span.startLine, column: d.span.startColumn, endLine: d.span.endLine, endColumn: d.span.endColumn } : {}),
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.related && d.related.length > 0
      ? { related: d.related.map((r) => ({ message: r.message, file: displayFile(r.span.file), line: r.span.startLine, column: r.span.startColumn })) }
      : {}),
  };
}
