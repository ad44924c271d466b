/**
 * The contestants and exactly what each one does (docs/performance.md repeats this):
 *
 * MySQL → PostgreSQL
 *  - pgloader: `pgloader mysql://… postgresql://…` with its defaults: creates the schema (named after
 *    the MySQL database), copies both tables, builds PK/unique/indexes, adds the FK, resets sequences.
 *  - dmsplan: `bin/dmsplan.js apply <plan> --auto-approve` (as installed: its shebang sets the V8 flags): introspects, plans, creates the
 *    tables, copies, builds keys and indexes, adds the FK, resets identities, validates (the plan's
 *    level), with the `_dmsplan` control schema recording every step and chunk, plain reporter.
 * PostgreSQL → PostgreSQL
 *  - pgcopydb: `pgcopydb clone` with its defaults (pre-data schema, parallel COPY, indexes and
 *    constraints, sequences, VACUUM ANALYZE, post-data).
 *  - psql pipe: pg_dump --section=pre-data | psql; for each table `psql \copy … to stdout | psql
 *    \copy … from stdin` (text format, one table after the other); pg_dump --section=post-data |
 *    psql (PK, unique, indexes, FK); ANALYZE.
 *  - dmsplan: as above with a PostgreSQL source.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { MeasuredCommand } from './measure.js';
import { SOURCE_URL_VARIABLE, TARGET_URL_VARIABLE, type SourceEngine } from './bench-plan.js';
import { BENCH_DB_PREFIX, SOURCE_DB, mysqlUrl, pgUrl } from './servers.js';

export type ContestantId = 'pgloader' | 'dmsplan-mysql' | 'pgcopydb' | 'psql-pipe' | 'dmsplan-postgres';

export interface Contestant {
  readonly id: ContestantId;
  readonly label: string;
  readonly source: SourceEngine;
  /** The PostgreSQL database it writes into, dropped and recreated empty before every run. */
  readonly targetDatabase: string;
  readonly isDmsplan: boolean;
  command(context: RunContext): MeasuredCommand;
}

export interface RunContext {
  readonly repoRoot: string;
  readonly workDir: string;
  readonly round: number;
  /** Plan file per source engine (dmsplan only). */
  readonly planFile: (source: SourceEngine) => string;
}

function logFile(context: RunContext, id: ContestantId): string {
  return path.join(context.workDir, `${id}-round${context.round}.log`);
}

function target(id: string): string {
  return `${BENCH_DB_PREFIX}${id.replace(/-/g, '_')}`;
}

function dmsplan(id: ContestantId, source: SourceEngine, label: string): Contestant {
  const targetDatabase = target(id);
  return {
    id,
    label,
    source,
    targetDatabase,
    isDmsplan: true,
    command: (context) => ({
      argv: [path.join(context.repoRoot, 'bin/dmsplan.js'), 'apply', context.planFile(source), '--auto-approve'],
      cwd: context.repoRoot,
      env: {
        [SOURCE_URL_VARIABLE]: source === 'mysql' ? mysqlUrl(SOURCE_DB) : pgUrl(SOURCE_DB),
        [TARGET_URL_VARIABLE]: pgUrl(targetDatabase),
        NO_COLOR: '1',
      },
      logFile: logFile(context, id),
    }),
  };
}

const pgloader: Contestant = {
  id: 'pgloader',
  label: 'pgloader',
  source: 'mysql',
  targetDatabase: target('pgloader'),
  isDmsplan: false,
  command: (context) => ({
    argv: ['pgloader', mysqlUrl(SOURCE_DB), pgUrl(target('pgloader'))],
    cwd: context.workDir,
    logFile: logFile(context, 'pgloader'),
  }),
};

const pgcopydb: Contestant = {
  id: 'pgcopydb',
  label: 'pgcopydb clone',
  source: 'postgres',
  targetDatabase: target('pgcopydb'),
  isDmsplan: false,
  command: (context) => {
    const dir = path.join(context.workDir, 'pgcopydb');
    rmSync(dir, { recursive: true, force: true }); // its work directory: a leftover would make it resume
    return {
      argv: ['pgcopydb', 'clone', '--source', pgUrl(SOURCE_DB), '--target', pgUrl(target('pgcopydb')), '--dir', dir],
      cwd: context.workDir,
      logFile: logFile(context, 'pgcopydb'),
    };
  },
};

const psqlPipe: Contestant = {
  id: 'psql-pipe',
  label: 'psql \\copy pipe',
  source: 'postgres',
  targetDatabase: target('psql_pipe'),
  isDmsplan: false,
  command: (context) => {
    const src = pgUrl(SOURCE_DB);
    const dst = pgUrl(target('psql_pipe'));
    const psqlTarget = `psql -X -q -v ON_ERROR_STOP=1 -d '${dst}'`;
    const copyTable = (table: string) => `psql -X -q -v ON_ERROR_STOP=1 -d '${src}' -c '\\copy public.${table} to stdout' | ${psqlTarget} -c '\\copy public.${table} from stdin'`;
    const script = [
      'set -euo pipefail',
      `pg_dump --section=pre-data -d '${src}' | ${psqlTarget}`,
      copyTable('customers'),
      copyTable('orders'),
      `pg_dump --section=post-data -d '${src}' | ${psqlTarget}`,
      `${psqlTarget} -c 'ANALYZE'`,
    ].join('\n');
    return { argv: ['bash', '-c', script], cwd: context.workDir, logFile: logFile(context, 'psql-pipe') };
  },
};

export const MYSQL_CONTESTANTS: readonly Contestant[] = [pgloader, dmsplan('dmsplan-mysql', 'mysql', 'dmsplan')];
export const POSTGRES_CONTESTANTS: readonly Contestant[] = [pgcopydb, psqlPipe, dmsplan('dmsplan-postgres', 'postgres', 'dmsplan')];
