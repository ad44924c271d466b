/** Spans from Chevrotain positions (1-based lines/columns, inclusive ends) to our Span (exclusive ends). */
import type { IToken, CstNodeLocation } from 'chevrotain';
import type { Span } from '../diagnostics/diagnostic.js';

export function spanOfToken(file: string, token: IToken): Span {
  return {
    file,
    startOffset: token.startOffset,
    endOffset: (token.endOffset ?? token.startOffset) + 1,
    startLine: token.startLine ?? 1,
    startColumn: token.startColumn ?? 1,
    endLine: token.endLine ?? token.startLine ?? 1,
    endColumn: (token.endColumn ?? token.startColumn ?? 0) + 1,
  };
}

export function spanOfLocation(file: string, location: CstNodeLocation): Span {
  return {
    file,
    startOffset: location.startOffset,
    endOffset: (location.endOffset ?? location.startOffset) + 1,
    startLine: location.startLine ?? 1,
    startColumn: location.startColumn ?? 1,
    endLine: location.endLine ?? location.startLine ?? 1,
    endColumn: (location.endColumn ?? location.startColumn ?? 0) + 1,
  };
}

/** The span from the start of `first` to the end of `last`. */
export function joinSpans(first: Span, last: Span): Span {
  return {
    file: first.file,
    startOffset: first.startOffset,
    startLine: first.startLine,
    startColumn: first.startColumn,
    endOffset: last.endOffset,
    endLine: last.endLine,
    endColumn: last.endColumn,
  };
}

/** A span of `length` characters at `offset` of `text` (clamped to the text). */
export function spanAt(file: string, text: string, offset: number, length: number): Span {
  const start = Math.max(0, Math.min(offset, text.length));
  const end = Math.max(start, Math.min(start + length, text.length));
  const startPos = positionOf(text, start);
  const endPos = positionOf(text, end);
  return { file, startOffset: start, endOffset: end, startLine: startPos.line, startColumn: startPos.column, endLine: endPos.line, endColumn: endPos.column };
}

/** 1-based line and column of an offset, counting \n, \r\n and lone \r as line ends (as Chevrotain does). */
export function positionOf(text: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
