/**
 * `npm run bench`: the benchmark of dmsplan against its anchors (pgloader, pgcopydb, a psql pipe)
 * and of the compiler. See docs/performance.md for what it measures and how to read it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchPlanText, type SourceEngine } from './bench-plan.js';
import { MYSQL_CONTESTANTS, POSTGRES_CONTESTANTS, type Contestant, type RunContext } from './contestants.js';
import { BENCH_TABLES } from './dataset.js';
import { replaceResultsSection } from './docs-file.js';
import { ensureMysqlSource, ensurePostgresSource } from './generate.js';
import { ensureTools } from './install.js';
import { readEnvironment, renderEnvironment } from './machine.js';
import { measure } from './measure.js';
import { parseBenchArgs, type BenchOptions } from './options.js';
import { roundSchedule } from './schedule.js';
import { ratio, renderCompilerTable, renderContestantTable, renderRatioTable, summarise, type CompilerTiming, type ContestantInfo, type DataVolume, type RunSample } from './results.js';
import { SOURCE_DB, dropPgDatabase, mysqlSourceBytes, pgSourceBytes, recreatePgDatabase, withPg } from './servers.js';
import { readTargetShape, shapeProblems } from './verify.js';

/** dist/bench/run.js → the repository root. */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WORK_DIR = '/tmp/dmsplan-bench';
const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv);
  if ('error' in options) {
    process.stderr.write(`npm run bench: ${options.error}\n`);
    return 1;
  }
  mkdirSync(WORK_DIR, { recursive: true });
  const copyParts = options.parts.filter((p): p is 'mysql' | 'postgres' => p !== 'compiler');
  if (copyParts.length) ensureTools(log);

  const request = { rows: options.rows, customers: options.customers, regenerate: options.regenerate, log };
  await Promise.all([
    copyParts.includes('mysql') ? ensureMysqlSource(request) : undefined,
    copyParts.includes('postgres') ? ensurePostgresSource(request) : undefined,
  ]);
  const environment = await readEnvironment(REPO_ROOT);
  const rows = options.rows + options.customers;
  const volumes: Partial<Record<SourceEngine, DataVolume>> = {};
  if (copyParts.includes('mysql')) volumes.mysql = { rows, bytes: await mysqlSourceBytes(SOURCE_DB, BENCH_TABLES) };
  if (copyParts.includes('postgres')) volumes.postgres = { rows, bytes: await pgSourceBytes(SOURCE_DB, BENCH_TABLES) };

  const planFiles = new Map<SourceEngine, string>();
  for (const source of ['mysql', 'postgres'] as const) {
    const file = path.join(WORK_DIR, `bench-${source}-to-postgres.dmsplan`);
    writeFileSync(file, benchPlanText({ source, sourceDatabase: SOURCE_DB, workers: options.workers, validate: options.validate }));
    planFiles.set(source, file);
  }

  const groups: { readonly source: SourceEngine; readonly contestants: readonly Contestant[] }[] = [
    ...(copyParts.includes('mysql') ? [{ source: 'mysql' as const, contestants: MYSQL_CONTESTANTS }] : []),
    ...(copyParts.includes('postgres') ? [{ source: 'postgres' as const, contestants: POSTGRES_CONTESTANTS }] : []),
  ];
  const samples: RunSample[] = [];
  for (let round = 1; round <= options.runs; round++) {
    for (const { contestant } of roundSchedule(groups, round)) {
      const context: RunContext = { repoRoot: REPO_ROOT, workDir: WORK_DIR, round, planFile: (s) => planFiles.get(s)! };
      samples.push(await runOnce(contestant, context, options));
    }
  }
  if (!options.keepTargets) for (const c of [...MYSQL_CONTESTANTS, ...POSTGRES_CONTESTANTS]) await dropPgDatabase(c.targetDatabase);

  let compiler: CompilerTiming | undefined;
  let compilerFailure: string | undefined;
  if (options.parts.includes('compiler')) {
    try {
      const { timeCompiler } = await import('./compiler-bench.js');
      const timing = timeCompiler(options.compilerTables, 5);
      compiler = timing;
      if (timing.firstErrors.length) compilerFailure = `the generated plan has errors: ${timing.firstErrors.map((d) => `${d.code} ${d.message}`).join('; ')}`;
    } catch (err) {
      compilerFailure = `compiler benchmark failed: ${(err as Error).message}`;
    }
  }

  const infos: ContestantInfo[] = groups.flatMap((g) =>
    g.contestants.map((c) => ({ id: c.id, label: c.label, path: g.source === 'mysql' ? ('MySQL → PostgreSQL' as const) : ('PostgreSQL → PostgreSQL' as const) })),
  );
  const summaries = infos.map((info) => summarise(info, samples, info.path === 'MySQL → PostgreSQL' ? volumes.mysql! : volumes.postgres!));
  const byId = (id: string) => summaries.find((s) => s.info.id === id);
  const ratios = [
    ...(copyParts.includes('mysql') ? [ratio('dmsplan / pgloader (MySQL → PostgreSQL)', byId('dmsplan-mysql'), byId('pgloader'))] : []),
    ...(copyParts.includes('postgres')
      ? [ratio('dmsplan / pgcopydb (PostgreSQL → PostgreSQL)', byId('dmsplan-postgres'), byId('pgcopydb')), ratio('dmsplan / psql pipe (PostgreSQL → PostgreSQL)', byId('dmsplan-postgres'), byId('psql-pipe'))]
      : []),
  ];

  const sections: string[] = ['## Results', '', renderEnvironment(environment), ''];
  if (groups.length) {
    const mb = (v: DataVolume | undefined) => (v ? `${(v.bytes / 1e6).toFixed(0)} MB` : '—');
    sections.push(
      `Data: ${options.rows.toLocaleString('en-US')} orders + ${options.customers.toLocaleString('en-US')} customers = ${rows.toLocaleString('en-US')} rows; source size MariaDB ${mb(volumes.mysql)} (data_length + index_length), PostgreSQL ${mb(volumes.postgres)} (pg_total_relation_size). MB/s = source size / wall time (MB = 10⁶ bytes).`,
      `dmsplan ran as \`bin/dmsplan.js apply <plan> --auto-approve\` (its shebang runs node with \`--max-semi-space-size=8\`), plain reporter (stdout not a TTY), \`workers = ${options.workers ?? '4 (default)'}\`, \`validate = ${options.validate ?? 'counts (default)'}\`, control schema on. Best of ${options.runs} rounds, contestants alternating in each round, the order rotated from round to round. Command: \`npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}\`.`,
      '',
      '### Whole job (schema, data, keys, indexes, FK)',
      '',
      renderContestantTable(summaries),
      '',
      '### Ratios (dmsplan / anchor; below 1 = dmsplan faster or smaller)',
      '',
      renderRatioTable(ratios),
      '',
    );
  }
  if (options.parts.includes('compiler')) {
    sections.push('### Compiler: parse + check + plan of a generated plan (no database)', '');
    if (compiler) sections.push(renderCompilerTable(compiler), '', `Best of 5 in-process repetitions; ${options.compilerTables} tables of 12 columns, each with a \`table\` block (where, rename, mask/drop), a PK, an index and an FK.`, '');
    if (compilerFailure) sections.push(`**Failed:** ${compilerFailure}`, '');
  }
  const results = sections.join('\n');
  process.stdout.write(`\n${results}\n`);

  if (options.writeDocs) {
    const docsFile = path.join(REPO_ROOT, 'docs/performance.md');
    let document = '';
    try {
      document = readFileSync(docsFile, 'utf8');
    } catch {
      document = '# Performance\n';
    }
    writeFileSync(docsFile, replaceResultsSection(document, results));
    log(`results written to ${path.relative(process.cwd(), docsFile)}`);
  }
  return 0;
}

async function runOnce(contestant: Contestant, context: RunContext, options: BenchOptions): Promise<RunSample> {
  await recreatePgDatabase(contestant.targetDatabase);
  await withPg('postgres', (c) => c.query('CHECKPOINT')); // the previous run's dirty pages are not this run's cost
  log(`round ${context.round}: ${contestant.label} (${contestant.source} → postgres) …`);
  const command = contestant.command(context);
  const m = await measure(command);
  const shape = await readTargetShape(contestant.targetDatabase);
  // Gone before the next contestant starts: autovacuum analysing this target would run in its time.
  if (!options.keepTargets) await dropPgDatabase(contestant.targetDatabase);
  // A failed run is described by its error; a successful one by what its target lacks.
  const problems = m.exitCode === 0 ? [...toolErrors(command.logFile), ...shapeProblems(shape, options.rows, options.customers)] : [`error: ${failureDetail(command.logFile, m.tail)}`];
  const rss = m.peakRssKb === undefined ? '?' : `${(m.peakRssKb / 1024).toFixed(0)} MB`;
  log(`  ${m.exitCode === 0 ? 'done' : `FAILED (exit ${m.exitCode})`} in ${m.wallSeconds.toFixed(2)} s, peak RSS ${rss}${problems.length ? ` — ${problems.join('; ')}` : ''}`);
  if (m.exitCode !== 0) process.stdout.write(`  command: ${command.argv.join(' ')}\n  log: ${command.logFile}\n${m.tail.replace(/^/gm, '  | ')}\n`);
  return { contestant: contestant.id, round: context.round, wallSeconds: m.wallSeconds, peakRssKb: m.peakRssKb, exitCode: m.exitCode, problems };
}

/** The failing step when the CLI names one (`✗ step: why`), else the last error-like line. */
function failureDetail(logFile: string, tail: string): string {
  const failedStep = readFileSync(logFile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('✗') && !/^✗ Apply/.test(l));
  return failedStep ? failedStep.slice(0, 300) : lastErrorLine(tail);
}

function lastErrorLine(tail: string): string {
  const lines = tail.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Command exited with') && !l.startsWith('at ') && !l.startsWith('Node.js'));
  return (lines.find((l) => /error/i.test(l)) ?? lines[lines.length - 1] ?? 'no output').slice(0, 200);
}

/** Errors a tool printed while still exiting 0 (pgloader reports a failed FK that way). */
function toolErrors(logFile: string): readonly string[] {
  const text = readFileSync(logFile, 'utf8');
  return [...new Set(text.split('\n').filter((l) => /\bERROR\b/.test(l)).map((l) => l.replace(/^.*?\bERROR\b:?\s*/, 'error: ').slice(0, 160)))].slice(0, 3);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`npm run bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
