// Exact names in a plan ignore case (MySQL and SQLite users write `customer` for `Customer`), but
// where a schema holds both `Users` and `users` (PostgreSQL) the name picks its own case only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesName, matchesNameAmong } from '../../src/check/patterns.js';

const exact = (text: string) => ({ kind: 'exact', text }) as const;

describe('matchesNameAmong', () => {
  it('an exact name picks its own case where that table exists, and ignores case where it does not', () => {
    expect(matchesNameAmong(exact('users'), 'users', new Set(['Users', 'users']))).toBe(true);
    expect(matchesNameAmong(exact('users'), 'Users', new Set(['Users', 'users']))).toBe(false);
    expect(matchesNameAmong(exact('customer'), 'Customer', new Set(['Customer', 'Invoice']))).toBe(true);
    expect(matchesNameAmong(exact('USERS'), 'Users', new Set(['Users', 'users']))).toBe(true);
  });

  it('matches exactly what matchesName matches when no other name has the pattern\'s exact case', () => {
    const name = fc.stringMatching(/^[A-Za-z_]{1,6}$/);
    fc.assert(
      fc.property(name, name, fc.array(name, { maxLength: 5 }), (text, candidate, others) => {
        const names = new Set([candidate, ...others.filter((o) => o !== text)]);
        expect(matchesNameAmong(exact(text), candidate, names)).toBe(matchesName(exact(text), candidate));
      }),
    );
  });

  it('never matches two names that differ only in case when one of them is written exactly', () => {
    const name = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(name, (lower) => {
        const upper = lower.toUpperCase();
        const names = [lower, upper];
        const picked = names.filter((n) => matchesNameAmong(exact(lower), n, new Set(names)));
        expect(picked).toEqual([lower]);
      }),
    );
  });
});

describe('matchesName with globs', () => {
  it('`*` matches every name, line breaks included (a table named with one was left out of `map s.db.*` without a word)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        expect(matchesName({ kind: 'glob', text: '*' }, name)).toBe(true);
      }),
    );
    expect(matchesName({ kind: 'glob', text: 'evil*' }, 'evil\nmigration bad { }')).toBe(true);
    expect(matchesName({ kind: 'glob', text: 'a?b' }, 'a\u2028b')).toBe(true);
    expect(matchesName({ kind: 'glob', text: 'a?b' }, 'a\r\nb')).toBe(false);
  });
});
