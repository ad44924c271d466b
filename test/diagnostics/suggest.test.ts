import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance, listOfChoices } from '../../src/diagnostics/suggest.js';

describe('suggestions', () => {
  it('measures edits, counting a transposition as one', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('wrokers', 'workers')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests close names, case-insensitively, and prefixes', () => {
    expect(closestMatch('mysqll', ['mysql', 'postgres'])).toBe('mysql');
    expect(closestMatch('POSTGRES', ['mysql', 'postgres'])).toBe('postgres');
    expect(closestMatch('concatenate', ['concat', 'upper'])).toBe('concat');
    expect(closestMatch('oracle', ['mysql', 'postgres'])).toBeUndefined();
    expect(closestMatch('x', ['y'])).toBe('y');
    expect(closestMatch('ab', ['xy'])).toBeUndefined();
    expect(didYouMean('wrkers', ['workers'])).toBe("did you mean 'workers'?");
  });

  it('lists choices', () => {
    expect(listOfChoices(['a', 'b', 'c'])).toBe("'a', 'b' or 'c'");
    expect(listOfChoices(['a'])).toBe("'a'");
  });
});
