import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../src/syntax/format.js';
import { parsePlan } from '../../src/syntax/parse.js';
import { printPlan } from '../../src/syntax/print.js';
import { planAst, stripSpans } from '../arbitraries/plan-ast.js';

describe('parse(print(ast)) round-trips', () => {
  it('gives back the same AST, modulo spans, without diagnostics', () => {
    fc.assert(
      fc.property(planAst, (ast) => {
        const text = printPlan(ast);
        const parsed = parsePlan(text, 'gen.dmsplan');
        expect(parsed.diagnostics, text).toEqual([]);
        expect(stripSpans(parsed.value.statements), text).toEqual(stripSpans(ast.statements));
      }),
      { numRuns: 300 },
    );
  });
});

/** Inserts `# comment` lines and end-of-line comments at generated places of a text. */
function withComments(text: string, places: readonly { line: number; trailing: boolean; text: string }[]): string {
  const lines = text.split('\n');
  for (const place of [...places].sort((a, b) => b.line - a.line)) {
    const index = lines.length === 0 ? 0 : place.line % lines.length;
    const comment = `#${place.text}`;
    if (place.trailing && lines[index] !== undefined && lines[index] !== '') lines[index] = `${lines[index]}  ${comment}`;
    else lines.splice(index, 0, comment);
  }
  return lines.join('\n');
}

const commentPlaces = fc.array(
  fc.record({ line: fc.nat(200), trailing: fc.boolean(), text: fc.string({ maxLength: 8 }).filter((s) => !/[\r\n]/.test(s)) }),
  { maxLength: 6 },
);

describe('fmt', () => {
  it('is idempotent and keeps every comment', () => {
    fc.assert(
      fc.property(planAst, commentPlaces, (ast, places) => {
        const text = withComments(printPlan(ast), places);
        const once = formatPlan(text, 'gen.dmsplan');
        expect(once.diagnostics, text).toEqual([]);
        const twice = formatPlan(once.value ?? '', 'gen.dmsplan');
        expect(twice.value, text).toBe(once.value);
        const commentsIn = parsePlan(text, 'a').value.comments.map((c) => c.text.trimEnd());
        const commentsOut = parsePlan(once.value ?? '', 'a').value.comments.map((c) => c.text.trimEnd());
        expect(commentsOut.sort(), text).toEqual(commentsIn.sort());
      }),
      { numRuns: 300 },
    );
  });

  it('leaves canonical text unchanged', () => {
    fc.assert(
      fc.property(planAst, (ast) => {
        const text = printPlan(ast);
        expect(formatPlan(text, 'gen.dmsplan').value).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

/** Every diagnostic points inside the text: 1 ≤ line ≤ lines, 1 ≤ column ≤ line length + 1. */
function expectSpansInside(text: string, diagnostics: ReturnType<typeof parsePlan>['diagnostics']): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    expect(d.span, d.message).toBeDefined();
    const s = d.span!;
    expect(s.startLine).toBeGreaterThanOrEqual(1);
    expect(s.startLine).toBeLessThanOrEqual(lines.length);
    expect(s.startColumn).toBeGreaterThanOrEqual(1);
    expect(s.startColumn).toBeLessThanOrEqual((lines[s.startLine - 1]?.length ?? 0) + 1);
    expect(s.startOffset).toBeGreaterThanOrEqual(0);
    expect(s.endOffset).toBeLessThanOrEqual(text.length);
    expect(s.startOffset).toBeLessThanOrEqual(s.endOffset);
    expect(d.code).not.toBe('DMS1099');
  }
}

const VALID_PLAN = `migration m { mode = full_load  workers = 2 }
source shop mysql { url = env("SHOP_URL") }
target dw postgres { url = env("DW_URL")  prepare = truncate }
map shop.app.* -> dw.app.* {
  names = snake_case
  exclude tmp_*
  table Invoice -> invoices {
    where Total > 0 and BillingCountry in ('DE', 'FR') or not Total is null
    add migrated text = concat('x', BillingCity)
    chunk rows = 1000 by InvoiceId
  }
}
types mysql -> postgres { decimal(p, s) where p > 38 -> text lossy }
merge c into dw.crm.customer { from shop.app.customer tag region = 'eu'  key (region, id) }
`;

/** A valid plan with random edits: deletions, insertions of arbitrary text, duplicated slices. */
const mutatedPlan = fc
  .array(fc.record({ at: fc.nat(VALID_PLAN.length), remove: fc.nat(12), insert: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('{', '}', '(', ')', '->', '=', "'", '"', '`', '/', 'table ', 'where ', ' and ', '\n')) }), { minLength: 1, maxLength: 6 })
  .map((edits) => edits.reduce((text, e) => text.slice(0, e.at) + e.insert + text.slice(e.at + e.remove), VALID_PLAN));

describe('parsePlan on any input', () => {
  it('never throws on arbitrary strings, and every span is inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 })), (text) => {
        const result = parsePlan(text, 'x.dmsplan');
        expectSpansInside(text, result.diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on mutated valid plans, and every span is inside the text', () => {
    fc.assert(
      fc.property(mutatedPlan, (text) => {
        const result = parsePlan(text, 'x.dmsplan');
        expectSpansInside(text, result.diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on binary garbage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        expectSpansInside(text, parsePlan(text, 'x.dmsplan').diagnostics);
      }),
      { numRuns: 200 },
    );
  });
});
