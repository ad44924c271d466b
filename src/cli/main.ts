/** The `dmsplan` command line: dispatch to one command; never a stack trace for an input mistake. */
import { TOOL_VERSION } from '../version.js';
import { processIO, type CliIO, type Command } from './io.js';

// Commands load on use: `fmt` need not load database drivers, nor `--version` the parser.

const COMMANDS: Readonly<Record<string, { readonly run: Command; readonly help: string }>> = {
  init: { run: lazy(() => import('./commands/init.js').then((m) => m.initCommand)), help: 'init --from URL --to URL        print a starter plan for every table of the source' },
  fmt: { run: lazy(() => import('./commands/fmt.js').then((m) => m.fmtCommand)), help: 'fmt [--check] FILE…              format plan files canonically' },
  validate: { run: lazy(() => import('./commands/validate.js').then((m) => m.validateCommand)), help: 'validate [--json] FILE…          check plan files offline' },
  explain: { run: lazy(() => import('./commands/explain.js').then((m) => m.explainCommand)), help: 'explain CODE                     explain a diagnostic code' },
  plan: { run: lazy(() => import('./commands/plan.js').then((m) => m.planCommand)), help: 'plan FILE [--out PLAN.json] [--json] [--detailed-exitcode]   show what apply would do' },
  apply: { run: lazy(() => import('./commands/apply.js').then((m) => m.applyCommand)), help: 'apply FILE|PLAN.json [--auto-approve] [--json] [--until-caught-up]   do it (cdc modes: and keep following)' },
  graph: { run: lazy(() => import('./commands/graph.js').then((m) => m.graphCommand)), help: 'graph FILE|PLAN.json             the execution graph as DOT' },
  teardown: { run: lazy(() => import('./commands/teardown.js').then((m) => m.teardownCommand)), help: 'teardown FILE                    drop the replication slots and publications change data capture created' },
};

function lazy(load: () => Promise<Command>): Command {
  return async (args, io) => (await load())(args, io);
}

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
  // `dmsplan plan --help` was an unknown option (exit 1) and `fmt -h` a file that cannot be read:
  // asked for help, a command prints its usage. After `--`, `-h` is a file name.
  const options = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (options.includes('--help') || options.includes('-h')) {
    io.stdout.write(`usage: dmsplan ${command.help}\n\nDocs: docs/cli.md\n`);
    return 0;
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
