import { describe, expect, it } from 'vitest';
import { error, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { diagnosticToJson, renderDiagnostic, shouldColor } from '../../src/diagnostics/render.js';
import { spanAt } from '../../src/syntax/span.js';

const TEXT = 'migration m {\n\tworkers = zero\n}\n';
const span = spanAt('p.dmsplan', TEXT, TEXT.indexOf('zero'), 4);

describe('renderDiagnostic', () => {
  it('renders location, code, message, a code frame with carets (tabs kept) and the hint', () => {
    const d = error('DMS2003', 'bad value', span, 'use a number');
    expect(renderDiagnostic(d, { color: false, source: () => TEXT })).toBe(
      ['p.dmsplan:2:12: error[DMS2003]: bad value', '  |', '2 | \tworkers = zero', '  | \t          ^^^^', '  = hint: use a number'].join('\n'),
    );
  });

  it('renders without a frame when the source is unknown, and notes related places', () => {
    const d: Diagnostic = { ...error('DMS2010', 'duplicate', span), related: [{ message: 'first here', span }] };
    expect(renderDiagnostic(d, { color: false })).toBe('p.dmsplan:2:12: error[DMS2010]: duplicate\n  = note: first here at p.dmsplan:2:12');
  });

  it('renders a diagnostic without a span', () => {
    expect(renderDiagnostic({ code: 'DMS2070', severity: 'warning', message: 'cannot read' }, { color: false })).toBe('warning[DMS2070]: cannot read');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderDiagnostic(error('DMS1', 'x', span), { color: true, source: () => TEXT })).toContain('\u001b[1;31merror[DMS1]\u001b[0m');
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: '' })).toBe(false);
    expect(shouldColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });

  it('shows a window of very long lines and replaces control characters', () => {
    const long = `${'x'.repeat(500)}\u0001BAD${'y'.repeat(500)}`;
    const d = error('DMS1001', 'bad', spanAt('f', long, 501, 3));
    const frame = renderDiagnostic(d, { color: false, source: () => long }).split('\n');
    expect(frame[2]?.length).toBeLessThan(180);
    expect(frame[2]).toContain('?BAD');
    const caretColumn = frame[3]?.indexOf('^') ?? -1;
    expect(frame[2]?.slice(caretColumn, caretColumn + 3)).toBe('BAD');
  });
});

describe('diagnosticToJson', () => {
  it('flattens the position', () => {
    expect(diagnosticToJson(error('DMS2003', 'bad value', span, 'hint'))).toEqual({ code: 'DMS2003', severity: 'error', message: 'bad value', file: 'p.dmsplan', line: 2, column: 12, endLine: 2, endColumn: 16, hint: 'hint' });
  });
});
