/**
 * The CLI builds its lexer and parser without chevrotain's grammar checks (they cost start-up time
 * and cannot fail at run time); here they run, so a grammar change that breaks them fails the suite.
 */
import { describe, expect, it } from 'vitest';
import { DmsplanParser } from '../../grammar/parser.js';
import { makeLexer } from '../../grammar/tokens.js';

describe('grammar self-checks', () => {
  it('the parser passes chevrotain\'s grammar validations', () => {
    expect(() => new DmsplanParser({ validateGrammar: true })).not.toThrow();
  });

  it('the lexer passes chevrotain\'s token validations', () => {
    expect(makeLexer({ validateTokens: true }).lexerDefinitionErrors).toEqual([]);
  });
});
