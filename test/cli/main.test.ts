/** The command line's dispatch: help, versions, unknown commands. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const COMMANDS = ['init', 'fmt', 'validate', 'explain', 'plan', 'apply', 'graph', 'teardown'];

describe('dmsplan COMMAND --help', () => {
  // It was `unknown option --help` (exit 1) for most commands, and `fmt -h` tried to read a file `-h`.
  for (const command of COMMANDS) {
    it(`${command} --help and -h print its usage on stdout, exit 0`, async () => {
      for (const flag of ['--help', '-h']) {
        const run = await runCli([command, flag]);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout).toMatch(new RegExp(`^usage: dmsplan ${command} `));
      }
    });
  }

  it('wins over other arguments, but not after --, where -h is a file name', async () => {
    expect((await runCli(['plan', 'missing.dmsplan', '--json', '--help'])).code).toBe(0);
    const file = await runCli(['fmt', '--check', '--', '-h']);
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('cannot read -h');
  });

  it('an unknown command still prints the list on stderr, exit 1', async () => {
    const run = await runCli(['frobnicate', '--help']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown command `frobnicate`');
  });
});
