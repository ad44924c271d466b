/**
 * The dmsplan lexer: token types only. Keywords are "soft": each also belongs to the `SoftKeyword`
 * category so that grammar positions expecting a name accept them (a column may be called `date`
 * or `key`). Keywords that start a construct of the filter language are additionally *not* in
 * `ExprSafeKeyword`, so inside a `where` expression they must be quoted to be used as a column.
 */
import type { Lexer as LexerType, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const Identifier = createToken({ name: 'Identifier', label: 'name', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** Category: every keyword; accepted wherever the grammar expects a plain name. */
export const SoftKeyword = createToken({ name: 'SoftKeyword', label: 'name', pattern: Lexer.NA });
/** Category: keywords that do not start anything in the filter/value expression language. */
export const ExprSafeKeyword = createToken({ name: 'ExprSafeKeyword', label: 'name', pattern: Lexer.NA });

function keyword(word: string, exprSafe: boolean): TokenType {
  return createToken({
    name: `Kw_${word}`,
    label: `'${word}'`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: exprSafe ? [SoftKeyword, ExprSafeKeyword] : [SoftKeyword],
  });
}

// Statement and clause keywords: harmless inside expressions.
export const Import = keyword('import', true);
export const Migration = keyword('migration', true);
export const Source = keyword('source', true);
export const Target = keyword('target', true);
export const Map = keyword('map', true);
export const Types = keyword('types', true);
export const Merge = keyword('merge', true);
export const Include = keyword('include', true);
export const Exclude = keyword('exclude', true);
export const Table = keyword('table', true);
export const Where = keyword('where', true);
export const Raw = keyword('raw', true);
export const Rename = keyword('rename', true);
export const Drop = keyword('drop', true);
export const Add = keyword('add', true);
export const Mask = keyword('mask', true);
export const Column = keyword('column', true);
export const Chunk = keyword('chunk', true);
export const Rows = keyword('rows', true);
export const By = keyword('by', true);
export const Using = keyword('using', true);
export const Lossy = keyword('lossy', true);
export const Unsigned = keyword('unsigned', true);
export const Default = keyword('default', true);
export const AutoIncrement = keyword('auto_increment', true);
export const Into = keyword('into', true);
export const From = keyword('from', true);
export const Tag = keyword('tag', true);
export const Offset = keyword('offset', true);
export const Key = keyword('key', true);
export const Env = keyword('env', true);

// Expression keywords: a column with one of these names must be quoted inside an expression.
export const And = keyword('and', false);
export const Or = keyword('or', false);
export const Not = keyword('not', false);
export const Is = keyword('is', false);
export const Null = keyword('null', false);
export const In = keyword('in', false);
export const Between = keyword('between', false);
export const Like = keyword('like', false);
export const True = keyword('true', false);
export const False = keyword('false', false);
export const Date = keyword('date', false);
export const Timestamp = keyword('timestamp', false);

export const KEYWORDS: readonly TokenType[] = [
  Import, Migration, Source, Target, Map, Types, Merge, Include, Exclude, Table, Where, Raw, Rename,
  Drop, Add, Mask, Column, Chunk, Rows, By, Using, Lossy, Unsigned, Default, AutoIncrement, Into,
  From, Tag, Offset, Key, Env, And, Or, Not, Is, Null, In, Between, Like, True, False, Date, Timestamp,
];

/** The words that must be quoted to be a column name inside a `where`/`add` expression. */
export const EXPRESSION_KEYWORDS: readonly string[] = [
  'and', 'or', 'not', 'is', 'null', 'in', 'between', 'like', 'true', 'false', 'date', 'timestamp',
];

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
/** `#` to the end of the line. Kept in a group so the formatter can put comments back. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });

/** 'text' — SQL style: a quote inside is written twice (''), no backslash escapes, one line. */
export const SingleQuoted = createToken({ name: 'SingleQuoted', label: "'text'", pattern: /'(?:[^'\r\n]|'')*'/ });
/** "text" — a string in settings and imports, a quoted name elsewhere; "" inside stands for ". */
export const DoubleQuoted = createToken({ name: 'DoubleQuoted', label: '"text"', pattern: /"(?:[^"\r\n]|"")*"/ });
/** `name` — always a quoted name; `` inside stands for `. */
export const BacktickQuoted = createToken({ name: 'BacktickQuoted', label: '`name`', pattern: /`(?:[^`\r\n]|``)*`/ });
/**
 * An opening quote without its closing quote on the same line. Matched as its own token so the
 * lexer reports one clear error instead of a cascade; the categories let the parser go on as if
 * the string were closed at the end of the line.
 */
export const UnterminatedSingle = createToken({ name: 'UnterminatedSingle', label: "'text'", pattern: /'(?:[^'\r\n]|'')*/, categories: [SingleQuoted] });
export const UnterminatedDouble = createToken({ name: 'UnterminatedDouble', label: '"text"', pattern: /"(?:[^"\r\n]|"")*/, categories: [DoubleQuoted] });
export const UnterminatedBacktick = createToken({ name: 'UnterminatedBacktick', label: '`name`', pattern: /`(?:[^`\r\n]|``)*/, categories: [BacktickQuoted] });

/** /source/flags — a name pattern. There is no division in the language, so `/` is unambiguous. */
export const RegexLiteral = createToken({ name: 'RegexLiteral', label: '/regex/', pattern: /\/(?:[^/\\\r\n]|\\[^\r\n])+\/[A-Za-z]*/ });
/** A name pattern with `*` or `?` wildcards: `Employee*`, `tmp_?`, `*_log`. A lone `*` is `Star`. */
export const Glob = createToken({ name: 'Glob', label: 'glob', pattern: /(?:[A-Za-z0-9_]+[*?]|[*?]+[A-Za-z0-9_])[A-Za-z0-9_*?]*/ });
export const Star = createToken({ name: 'Star', label: "'*'", pattern: /\*/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', label: 'number', pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });

export const Arrow = createToken({ name: 'Arrow', label: "'->'", pattern: /->/ });
export const NotEquals = createToken({ name: 'NotEquals', label: "'!='", pattern: /!=|<>/ });
export const LessEquals = createToken({ name: 'LessEquals', label: "'<='", pattern: /<=/ });
export const GreaterEquals = createToken({ name: 'GreaterEquals', label: "'>='", pattern: />=/ });
export const Less = createToken({ name: 'Less', label: "'<'", pattern: /</ });
export const Greater = createToken({ name: 'Greater', label: "'>'", pattern: />/ });
export const Equals = createToken({ name: 'Equals', label: "'='", pattern: /=/ });
export const LCurly = createToken({ name: 'LCurly', label: "'{'", pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', label: "'}'", pattern: /\}/ });
export const LParen = createToken({ name: 'LParen', label: "'('", pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', label: "')'", pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', label: "'['", pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', label: "']'", pattern: /\]/ });
export const Comma = createToken({ name: 'Comma', label: "','", pattern: /,/ });
export const Dot = createToken({ name: 'Dot', label: "'.'", pattern: /\./ });
export const Colon = createToken({ name: 'Colon', label: "':'", pattern: /:/ });

/** Order matters: the first pattern that matches wins (keywords defer to longer identifiers). */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace, Comment,
  SingleQuoted, DoubleQuoted, BacktickQuoted, UnterminatedSingle, UnterminatedDouble, UnterminatedBacktick,
  RegexLiteral, Glob, NumberLiteral, Arrow,
  NotEquals, LessEquals, GreaterEquals, Less, Greater, Equals,
  LCurly, RCurly, LParen, RParen, LBracket, RBracket, Comma, Dot, Colon, Star,
  SoftKeyword, ExprSafeKeyword,
  ...KEYWORDS,
  Identifier,
];

/** The lexer's own token checks are skipped like the parser's; the tests run them (see DmsplanParser). */
export function makeLexer(options: { readonly validateTokens?: boolean } = {}): LexerType {
  return new Lexer(ALL_TOKENS as TokenType[], {
    positionTracking: 'full',
    ensureOptimizations: false,
    skipValidations: !options.validateTokens,
  });
}

export const dmsplanLexer = makeLexer();
