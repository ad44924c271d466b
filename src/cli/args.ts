/** A small argument parser: flags declared per command, errors as messages (exit 1 "usage"). */
export interface ParsedArgs {
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

export interface FlagSpec {
  readonly name: string;
  readonly takesValue: boolean;
}

export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs | { readonly error: string } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
      const spec = specs.find((s) => s.name === name);
      if (!spec) return { error: `unknown option --${name}` };
      if (spec.takesValue) {
        // `--out --json` took "--json" for the file name and wrote the plan there; a value that
        // looks like an option is written `--out=--json`.
        const value = inline ?? (args[i + 1]?.startsWith('--') ? undefined : args[++i]);
        if (value === undefined) return { error: `--${name} needs a value` };
        flags.set(name, value);
      } else flags.set(name, true);
    } else positional.push(a);
  }
  return { positional, flags };
}
