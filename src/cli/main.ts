/** The `dmsplan` command line: dispatch to one command; never a stack trace for an input mistake. */
import { TOOL_VERSION } from '../version.js';
import { applyCommand } from './commands/apply.js';
import { explainCommand } from './commands/explain.js';
import { fmtCommand } from './commands/fmt.js';
import { graphCommand } from './commands/graph.js';
import { initCommand } from './commands/init.js';
import { planCommand } from './commands/plan.js';
import { validateCommand } from './commands/validate.js';
import { processIO, type CliIO, type Command } from './io.js';

const COMMANDS: Readonly<Record<string, { readonly run: Command; readonly help: string }>> = {
  init: { run: initCommand, help: 'init --from URL --to URL        print a starter plan for every table of the source' },
  fmt: { run: fmtCommand, help: 'fmt [--check] FILE…              format plan files canonically' },
  validate: { run: validateCommand, help: 'validate [--json] FILE…          check plan files offline' },
  explain: { run: explainCommand, help: 'explain CODE                     explain a diagnostic code' },
  plan: { run: planCommand, help: 'plan FILE [--out PLAN.json] [--json] [--detailed-exitcode]   show what apply would do' },
  apply: { run: applyCommand, help: 'apply FILE|PLAN.json [--auto-approve] [--json]              do it' },
  graph: { run: graphCommand, help: 'graph FILE|PLAN.json             the execution graph as DOT' },
};

export function usage(): string {
  return [
    `dmsplan ${TOOL_VERSION} — declarative database migration plans`,
    '',
    'usage: dmsplan <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  dmsplan ${c.help}`),
    '',
    'Docs: docs/cli.md (commands), docs/language.md (the .dmsplan language).',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(usage() + '\n');
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write(`dmsplan ${TOOL_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`dmsplan: unknown command \`${name}\`\n\n${usage()}\n`);
    return 1;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // Commands report input mistakes themselves; reaching here is a bug. One line, no stack,
    // unless DMSPLAN_DEBUG asks for it.
    io.stderr.write(`dmsplan ${name}: internal error: ${(err as Error).message?.split('\n')[0] ?? String(err)}\n`);
    if (io.env.DMSPLAN_DEBUG) io.stderr.write(`${(err as Error).stack ?? ''}\n`);
    io.stderr.write('This is a bug in dmsplan; please report it with the command you ran.\n');
    return 1;
  }
}
