/** Collects the diagnostics of lowering. */
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';

export interface Related {
  readonly message: string;
  readonly span: Span;
}

export class Report {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, message: string, span: Span | undefined, hint?: string, related?: readonly Related[]): void {
    this.add('error', code, message, span, hint, related);
  }

  warning(code: string, message: string, span: Span | undefined, hint?: string, related?: readonly Related[]): void {
    this.add('warning', code, message, span, hint, related);
  }

  private add(severity: Diagnostic['severity'], code: string, message: string, span: Span | undefined, hint: string | undefined, related: readonly Related[] | undefined): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      ...(span ? { span } : {}),
      ...(hint ? { hint } : {}),
      ...(related && related.length > 0 ? { related } : {}),
    });
  }
}
