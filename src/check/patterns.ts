/** Matching of schema/table/column names against plan patterns. Globs and exact names ignore case. */
import type { NamePattern } from '../ir/ir.js';

export function matchesName(pattern: NamePattern, name: string): boolean {
  switch (pattern.kind) {
    case 'exact':
      return pattern.text === name || pattern.text.toLowerCase() === name.toLowerCase();
    case 'glob':
      return globToRegExp(pattern.text).test(name);
    case 'regex':
      try {
        return new RegExp(pattern.source, pattern.flags).test(name);
      } catch {
        return false; // an invalid regex is reported by the language front end
      }
    default: {
      const never: never = pattern;
      return never;
    }
  }
}

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    // dotAll: `*` and `?` match line breaks too. Without it a table whose name holds one (MySQL and
    // PostgreSQL allow that) matched no `*` and was left out of the plan without a word.
    re = new RegExp(`^${body}$`, 'is');
    globCache.set(glob, re);
  }
  return re;
}

export function describePattern(pattern: NamePattern): string {
  switch (pattern.kind) {
    case 'exact':
    case 'glob':
      return pattern.text;
    case 'regex':
      return `/${pattern.source}/${pattern.flags}`;
    default: {
      const never: never = pattern;
      return never;
    }
  }
}

/** Exact names find their object case-sensitively first, then ignoring case. */
/**
 * As matchesName, among `names`: an exact name that one of them has in exactly its case matches
 * that one only (`users` picks `users`, not `Users` too, where a PostgreSQL schema holds both).
 */
export function matchesNameAmong(pattern: NamePattern, name: string, names: ReadonlySet<string>): boolean {
  if (pattern.kind === 'exact' && pattern.text !== name && names.has(pattern.text)) return false;
  return matchesName(pattern, name);
}

export function findByName<T extends { readonly name: string }>(items: readonly T[], name: string): T | undefined {
  return items.find((i) => i.name === name) ?? items.find((i) => i.name.toLowerCase() === name.toLowerCase());
}
