/**
 * Text → AST. Never throws: lexer and parser errors become diagnostics, and parsing goes on after
 * each error so that one run reports every problem.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import { dmsplanLexer } from '../../grammar/tokens.js';
import * as T from '../../grammar/tokens.js';
import { dmsplanParser } from '../../grammar/parser.js';
import { error, type Diagnostic, type Result } from '../diagnostics/diagnostic.js';
import { SYNTAX } from '../diagnostics/codes/syntax.js';
import type { CommentAst, PlanAst, StatementAst } from './ast.js';
import { CstToAst } from './cst-to-ast.js';
import { spanAt, spanOfToken } from './span.js';

/** Beyond this many syntax errors in one file, the rest are summarised in one note. */
const MAX_SYNTAX_ERRORS = 50;

const STATEMENT_STARTS: ReadonlySet<unknown> = new Set([T.Import, T.Migration, T.Source, T.Target, T.Map, T.Types, T.Merge]);

export function parsePlan(text: string, file: string): Result<PlanAst> {
  try {
    return parseUnsafe(text, file);
  } catch (e) {
    // Nesting thousands deep (`not not not …`, parentheses) overflows the recursive parser: the
    // plan's mistake, not a bug.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return {
        value: { file, statements: [], comments: [], span: spanAt(file, text, 0, text.length) },
        diagnostics: [error(SYNTAX.nestedTooDeeply, `the plan nests too deeply to be read (an expression with thousands of nested not or parentheses)`, spanAt(file, text, 0, 0), 'write a list of values as `column in (v1, v2, …)`; nest at most a few levels')],
      };
    }
    // A bug, not an input mistake: still no exception at the caller, and tests look for this code.
    const message = e instanceof Error ? e.message : String(e);
    return {
      value: { file, statements: [], comments: [], span: spanAt(file, text, 0, text.length) },
      diagnostics: [error(SYNTAX.internalError, `internal error while parsing: ${message}`, spanAt(file, text, 0, 0), 'this is a bug in dmsplan; please report it')],
    };
  }
}

function parseUnsafe(text: string, file: string): Result<PlanAst> {
  const diagnostics: Diagnostic[] = [];
  const lexed = dmsplanLexer.tokenize(text);

  for (const lexError of lexed.errors) {
    const shown = describeCharacters(text.slice(lexError.offset, lexError.offset + Math.min(lexError.length, 10)));
    diagnostics.push(error(SYNTAX.unexpectedCharacter, `unexpected character${lexError.length > 1 ? 's' : ''} ${shown}`, spanAt(file, text, lexError.offset, lexError.length), 'comments start with #; text values go in quotes'));
  }
  for (const token of lexed.tokens) {
    if (token.tokenType === T.UnterminatedSingle || token.tokenType === T.UnterminatedDouble || token.tokenType === T.UnterminatedBacktick) {
      diagnostics.push(error(SYNTAX.unterminatedQuote, `missing closing ${token.image[0]} on this line`, spanOfToken(file, token), `add ${token.image[0]} at the end of the text; to include the quote itself, write it twice`));
    }
  }

  const comments: CommentAst[] = (lexed.groups['comments'] ?? []).map((token) => ({ text: token.image.slice(1), span: spanOfToken(file, token) }));
  const statements: StatementAst[] = [];
  const toAst = new CstToAst(file);

  // Parse statements; when the parser stops at something that cannot start a statement, report
  // it, skip to the next statement keyword and parse the rest: statements are independent.
  let tokens: IToken[] = lexed.tokens;
  const seenOffsets = new Set<number>();
  while (tokens.length > 0) {
    dmsplanParser.input = tokens;
    const cst = dmsplanParser.plan();
    const errors: readonly IRecognitionException[] = dmsplanParser.errors;
    statements.push(...toAst.statements(cst));
    let stoppedAt: IToken | undefined;
    for (const parseError of errors) {
      if (seenOffsets.has(parseError.token.startOffset)) continue; // one error per place: the rest are echoes of recovery
      seenOffsets.add(parseError.token.startOffset);
      if (parseError.name === 'NotAllInputParsedException' || parseError.context.ruleStack.length <= 1) {
        if (parseError.name === 'NotAllInputParsedException') stoppedAt = parseError.token;
        diagnostics.push(error(SYNTAX.statementExpected, parseError.message, tokenSpan(file, text, parseError.token), 'a plan holds only import, migration, source, target, map, types and merge statements'));
      } else {
        diagnostics.push(error(SYNTAX.unexpectedToken, parseError.message, tokenSpan(file, text, parseError.token)));
      }
    }
    if (!stoppedAt) break;
    const index = tokens.indexOf(stoppedAt);
    let next = index < 0 ? tokens.length : index + 1;
    while (next < tokens.length && !STATEMENT_STARTS.has(tokens[next]?.tokenType)) next++;
    tokens = tokens.slice(next);
  }

  diagnostics.push(...toAst.problems);
  return {
    value: { file, statements, comments, span: spanAt(file, text, 0, text.length) },
    diagnostics: capErrors(file, text, sortByPosition(diagnostics)),
  };
}

function tokenSpan(file: string, text: string, token: IToken): ReturnType<typeof spanAt> {
  // The end-of-input token has no position: point just after the last character.
  if (token.tokenType.name === 'EOF' || Number.isNaN(token.startOffset)) return spanAt(file, text, text.length, 0);
  return spanOfToken(file, token);
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => (a.d.span?.startOffset ?? 0) - (b.d.span?.startOffset ?? 0) || a.index - b.index)
    .map(({ d }) => d);
}

function capErrors(file: string, text: string, diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_SYNTAX_ERRORS) return diagnostics;
  const kept = diagnostics.slice(0, MAX_SYNTAX_ERRORS);
  const last = kept[kept.length - 1]?.span;
  kept.push({
    code: SYNTAX.tooManyErrors,
    severity: 'note',
    message: `${diagnostics.length - MAX_SYNTAX_ERRORS} more syntax errors not shown`,
    span: last ?? spanAt(file, text, 0, 0),
    hint: 'fix the errors above first; is this really a .dmsplan file?',
  });
  return kept;
}

/** Shows characters in a message even when they are control or invisible characters. */
function describeCharacters(chars: string): string {
  const shown = [...chars]
    .map((ch) => {
      const code = ch.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0xfffd ? `\\u{${code.toString(16)}}` : ch;
    })
    .join('');
  return `'${shown}'`;
}
