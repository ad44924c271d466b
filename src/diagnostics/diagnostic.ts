/**
 * Diagnostics are how every stage reports a mistake in its input: a value with a stable code and,
 * where the mistake lives in a .dmsplan file, a span. Exceptions are reserved for bugs.
 */

/** A region of a source file. Lines and columns are 1-based; offsets are 0-based, end exclusive. */
export interface Span {
  readonly file: string;
  readonly startOffset: number;
  readonly endOffset: number;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  /** Stable code such as `DMS0101`; documented in docs/diagnostics.md and by `dmsplan explain`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** Where to fix it, when the mistake is in a plan file. */
  readonly span?: Span;
  /** One short line of advice: a "did you mean", or the statement that would fix it. */
  readonly hint?: string;
  /** Secondary places worth showing (e.g. the first definition of a duplicate). */
  readonly related?: readonly { readonly message: string; readonly span: Span }[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function error(code: string, message: string, span?: Span, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(span ? { span } : {}), ...(hint ? { hint } : {}) };
}

export function warning(code: string, message: string, span?: Span, hint?: string): Diagnostic {
  return { code, severity: 'warning', message, ...(span ? { span } : {}), ...(hint ? { hint } : {}) };
}

/** A stage result: what could be computed, plus every problem found on the way. */
export interface Result<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}
