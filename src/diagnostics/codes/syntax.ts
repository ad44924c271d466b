import type { CodeInfo } from './types.js';

/** How deep a filter may nest (and/or chains, not, parentheses): the later stages recurse on it. */
export const MAX_EXPRESSION_DEPTH = 1000;

/** Codes emitted while reading the text of a plan (lexer and parser). */
export const SYNTAX = {
  unexpectedCharacter: 'DMS1001',
  unterminatedQuote: 'DMS1002',
  unexpectedToken: 'DMS1003',
  statementExpected: 'DMS1004',
  tooManyErrors: 'DMS1005',
  nestedTooDeeply: 'DMS1006',
  internalError: 'DMS1099',
} as const;

export const SYNTAX_CODES: readonly CodeInfo[] = [
  {
    code: SYNTAX.unexpectedCharacter,
    title: 'unexpected character',
    explanation: `The file contains a character that is not part of the dmsplan language, outside any string or comment.

Comments start with \`#\` (there are no \`//\` or \`/* */\` comments). Text values go in quotes.

\`\`\`
workers = 4;        # error: ';' is not used in dmsplan
workers = 4         # fix: settings need no terminator
\`\`\``,
  },
  {
    code: SYNTAX.unterminatedQuote,
    title: 'unterminated string or quoted name',
    explanation: `A \`'string'\`, \`"string or name"\` or \`\` \`name\` \`\` is missing its closing quote on the same line.
Strings cannot span lines. To put the quote character itself inside, write it twice.

\`\`\`
add note text = 'it's here'     # error: the string ends after "it"
add note text = 'it''s here'    # fix: double the quote
\`\`\``,
  },
  {
    code: SYNTAX.unexpectedToken,
    title: 'unexpected token',
    explanation: `The parser found a word or symbol that cannot appear at this place. The message says what was expected.
The parser then skips to a point where it can continue, so one run reports every syntax error; fix the first
one first, as later ones can be consequences of it.

\`\`\`
source shop mysql url = env("SHOP_URL")       # error: expected '{'
source shop mysql { url = env("SHOP_URL") }   # fix
\`\`\``,
  },
  {
    code: SYNTAX.statementExpected,
    title: 'statement expected',
    explanation: `At the top level of a plan only statements may appear: \`import\`, \`migration\`, \`source\`, \`target\`, \`map\`, \`types\` and \`merge\`.
This usually means a stray closing brace, or a setting written outside its block.

\`\`\`
workers = 4                     # error: outside any block
migration m { workers = 4 }     # fix
\`\`\``,
  },
  {
    code: SYNTAX.tooManyErrors,
    title: 'too many syntax errors',
    explanation: `The file has so many syntax errors that the rest are not listed (it may not be a dmsplan file at all).
Fix the errors shown and run \`dmsplan validate\` again.`,
  },
  {
    code: SYNTAX.nestedTooDeeply,
    title: 'expression nested too deeply',
    explanation: `A filter may be at most ${MAX_EXPRESSION_DEPTH} levels deep: every \`and\` or \`or\` of a chain and every \`not\` is a level
(parentheses nested thousands deep are refused the same way, for the whole file). Deeper ones overflowed the stack of the stages that read them (a \`where\` of 5,000 \`or\`
terms failed \`plan\` with an internal error). A long list of values is one level as \`in (…)\`:

\`\`\`
where id = 1 or id = 2 or id = 3 or …    # error past ${MAX_EXPRESSION_DEPTH} terms
where id in (1, 2, 3, …)                  # fix: one level, any number of values
\`\`\``,
  },
  {
    code: SYNTAX.internalError,
    title: 'internal error while reading the plan',
    explanation: `The parser failed in a way it should not. This is a bug in dmsplan, not in your plan: please report it with the
plan file attached (remove anything private first).`,
  },
];
