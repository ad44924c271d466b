import type { CodeInfo } from './types.js';

/** Change data capture (modes `cdc` and `full_load_and_cdc`): prerequisites `plan` checks on the sources. */
export const CDC = {
  serverSetting: 'DMS5101',
  privilege: 'DMS5102',
  noKey: 'DMS5103',
  unsupportedMapping: 'DMS5104',
} as const;

export const CDC_CODES: readonly CodeInfo[] = [
  {
    code: CDC.serverSetting,
    title: 'source server not set up for change data capture',
    explanation: `The source server does not write the change log dmsplan reads. The message names the setting and the exact fix.

PostgreSQL needs \`wal_level = logical\` (a restart is needed):

\`\`\`
ALTER SYSTEM SET wal_level = logical;   -- then restart PostgreSQL
\`\`\`

MySQL / MariaDB need the binary log in row format with full row images and full row metadata
(column names in the log, so that a column added while the follower is stopped is not decoded wrongly):

\`\`\`
# my.cnf, [mysqld] (log_bin needs a restart)
log_bin              = mysql-bin
binlog_format        = ROW
binlog_row_image     = FULL
binlog_row_metadata  = FULL
server_id            = 1
\`\`\``,
  },
  {
    code: CDC.privilege,
    title: 'missing replication privilege',
    explanation: `The source user may not read the change stream. PostgreSQL: the role needs REPLICATION (or superuser),
\`ALTER ROLE app WITH REPLICATION;\`. MySQL / MariaDB: \`GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'app'@'%';\`.`,
  },
  {
    code: CDC.noKey,
    title: 'table without a usable key for change data capture',
    explanation: `Captured updates and deletes are applied to the target by key, so a followed table needs a primary key
(or a unique key) that the target keeps. On PostgreSQL, a table without a primary key must also publish whole
old rows, otherwise the source refuses its UPDATE and DELETE statements once it is published:

\`\`\`
ALTER TABLE public.events REPLICA IDENTITY FULL;
\`\`\`

Better: give the table a primary key. A table is never followed silently without one.`,
  },
  {
    code: CDC.unsupportedMapping,
    title: 'mapping cannot be followed',
    explanation: `The mapping uses something change data capture cannot apply to captured changes — a raw SQL filter
(\`where raw "…"\`), which only the source database can evaluate. Filters written in the plan's expression language are
evaluated on every change (a row that stops matching is deleted from the target); rewrite the filter in it, or use
\`mode = full_load\`.`,
  },
];
