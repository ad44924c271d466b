/**
 * The functions an `add` value may call. The executor evaluates them per row, identically for
 * every engine; this list is what the language accepts (an unknown name is a diagnostic).
 */
export interface ValueFunction {
  readonly name: string;
  readonly minArgs: number;
  /** undefined = any number. */
  readonly maxArgs: number | undefined;
  readonly description: string;
}

export const VALUE_FUNCTIONS: readonly ValueFunction[] = [
  { name: 'concat', minArgs: 1, maxArgs: undefined, description: 'the arguments as text, joined; null arguments count as empty' },
  { name: 'upper', minArgs: 1, maxArgs: 1, description: 'text in upper case' },
  { name: 'lower', minArgs: 1, maxArgs: 1, description: 'text in lower case' },
  { name: 'coalesce', minArgs: 1, maxArgs: undefined, description: 'the first argument that is not null' },
  { name: 'substr', minArgs: 2, maxArgs: 3, description: 'substr(text, start, length?): part of a text, start counted from 1' },
  { name: 'now', minArgs: 0, maxArgs: 0, description: 'the time the run started (the same value for every row)' },
];

export function findValueFunction(name: string): ValueFunction | undefined {
  return VALUE_FUNCTIONS.find((f) => f.name === name);
}
