import type { CodeInfo } from './types.js';

/** Codes emitted while reading the text of a plan (lexer and parser). */
export const SYNTAX = {
  unexpectedCharacter: 'DMS1001',
  unterminatedQuote: 'DMS1002',
  unexpectedToken: 'DMS1003',
  statementExpected: 'DMS1004',
  tooManyErrors: 'DMS1005',
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
    code: SYNTAX.internalError,
    title: 'internal error while reading the plan',
    explanation: `The parser failed in a way it should not. This is a bug in dmsplan, not in your plan: please report it with the
plan file attached (remove anything private first).`,
  },
];
