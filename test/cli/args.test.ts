import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';

const SPECS = [
  { name: 'out', takesValue: true },
  { name: 'json', takesValue: false },
];

describe('parseArgs', () => {
  it('takes a flag value from the next argument or after =', () => {
    expect(parseArgs(['f', '--out', 'p.json'], SPECS)).toEqual({ positional: ['f'], flags: new Map([['out', 'p.json']]) });
    expect(parseArgs(['--out=p.json', 'f'], SPECS)).toEqual({ positional: ['f'], flags: new Map([['out', 'p.json']]) });
  });

  it('does not take the next option for a value (`--out --json` wrote the plan to a file named --json)', () => {
    expect(parseArgs(['f', '--out', '--json'], SPECS)).toEqual({ error: '--out needs a value' });
    expect(parseArgs(['f', '--out'], SPECS)).toEqual({ error: '--out needs a value' });
    // Such a name can still be given after =.
    expect(parseArgs(['f', '--out=--json'], SPECS)).toEqual({ positional: ['f'], flags: new Map([['out', '--json']]) });
  });
});
