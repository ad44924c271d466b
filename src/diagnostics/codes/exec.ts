import type { CodeInfo } from './types.js';

export const EXEC_CODES: readonly CodeInfo[] = [
  {
    code: 'DMS5001',
    title: 'environment variable for a URL is not set',
    explanation:
      'Connection URLs come from the environment so that no password is ever written into a plan. Set the variable the plan names before `plan` or `apply`:\n\n```\nexport DW_PG_URL=postgres://app:secret@db.internal:5432/warehouse\n```',
  },
  {
    code: 'DMS5002',
    title: 'not a usable connection URL',
    explanation:
      'The URL\'s scheme must name an engine (`postgres://`, `postgresql://`, `mysql://`, `mariadb://`, `sqlite:`, `pglite:`, `sqlserver://`, `oracle://`) and match the engine the endpoint declares: a `pglite:` URL needs a `pglite` endpoint and a `postgres://` URL a `postgres` one (they share PostgreSQL\'s SQL, not a driver).',
  },
  {
    code: 'DMS5003',
    title: 'cannot connect',
    explanation:
      'dmsplan could not open a connection to the endpoint: the server is down or unreachable, the port is wrong, the credentials are refused, or the database does not exist; for SQLite and PGlite, the file or directory the URL names is missing or is not a database, or (PGlite) another process has the directory open. The message names the endpoint (without its password) and the database\'s own error. It points at the endpoint\'s `url = …` in the plan, and the hint says what to check and where the URL came from: the environment variable it names, or the default of `env()` when the variable is not set.',
  },
  {
    code: 'DMS5004',
    title: 'cannot read the schema',
    explanation: 'Connected, but reading the catalog failed (often missing privileges on information_schema or pg_catalog). The message carries the database\'s error.',
  },
  {
    code: 'DMS5005',
    title: 'another apply of the plan is running against the target',
    explanation:
      'One `apply` of a plan at a time runs against a target: each run holds a lock named after the plan until it ends (PostgreSQL: an advisory lock in the target database; MySQL/MariaDB: a user lock named after the URL\'s database and the plan), let go when its connection ends, also when the process is killed; on SQLite a lock file beside the database (`app.db-dmsplan-<hash of the plan name>.lock`) holding the run\'s process id, which the message names, taken over once that process no longer runs; other plans into the same database go on beside it. A second run of the plan against the same target would load the tables the first is loading a second time, so it stops before changing anything. Wait for the other run to end, or stop it (Ctrl-C), then run `apply` again: it resumes from what that run finished. In change data capture modes the run that follows changes holds the lock for as long as it follows.',
  },
  {
    code: 'DMS5006',
    title: 'cannot set up the control schema',
    explanation:
      'apply records every finished step and chunk in the target\'s control schema (`_dmsplan`: a schema on PostgreSQL, a database on MySQL/MariaDB, tables named `_dmsplan_*` on SQLite), which it creates when missing; the target\'s user could not. Nothing was changed. Either let the user create it (PostgreSQL: `GRANT CREATE ON DATABASE "db" TO "user";`; MySQL: `GRANT ALL ON _dmsplan.* TO \'user\'@\'host\';`), or create it for the user beforehand (PostgreSQL: `CREATE SCHEMA "_dmsplan" AUTHORIZATION "user";`): a control schema that exists is used, and then only the privilege to create tables in it is needed. The message names the privilege the database refused and the statements for this target. The same code stops a run whose control schema holds a table of another shape (made by hand or by another tool: `CREATE TABLE IF NOT EXISTS` kept it, and the first rejected row then failed its chunk): rename that table and run apply again; a new one is made.',
  },
];
