/**
 * The SQLite engine: a file (or ':memory:') opened through better-sqlite3. URLs:
 * `sqlite:/abs/path.sqlite`, `sqlite:relative/path.sqlite` (relative to the process cwd),
 * `sqlite:///abs/path`, `sqlite::memory:`. The catalog's database is the file's absolute path and
 * its only schema is 'main'. The driver loads on the first `connect`.
 */
import type { ConnectConfig, EngineConnection, EngineModule } from '../contract.js';
import { redactUrl } from '../url.js';
import { SQLITE_VALUE_LIMITS } from '../../types/value-limits.js';
import { SqliteConnection } from './sqlite-connection.js';
import { sqliteDialect } from './sqlite-ddl.js';
import { sqlitePathOfUrl } from './sqlite-driver.js';
import { sqliteTypes } from './sqlite-types.js';
import { claimSqliteRunLock } from './sqlite-run-lock.js';

export const sqliteEngine: EngineModule = {
  name: 'sqlite',
  capabilities: {
    schemas: false,
    canBeSource: true,
    canBeTarget: true,
    transactionalDdl: true,
    enumTypes: 'none',
    arrays: false,
    identityOnlyAsPrimaryKey: true,
    maxIdentifierLength: undefined,
    snapshot: 'single_connection',
    deferrable: 'foreign_keys',
    tablesWithoutColumns: false,
    namesIgnoringCase: { tables: true, columns: true },
    columnCollations: true,
    orderedKeyRanges: false,
    nameScopes: { indexes: 'schema', foreignKeys: 'table' },
    fullTextIndexes: false,
    ddlBreaksOpenSnapshots: false,
    rawRowReads: false,
    binaryCopy: false,
    rawRowWrites: false,
    bulkWriter: 'multi-row INSERTs in one transaction per chunk',
    valueLimits: SQLITE_VALUE_LIMITS,
  },
  types: sqliteTypes,
  dialect: sqliteDialect,
  claimRunLock: claimSqliteRunLock,
  connect(config: ConnectConfig): Promise<EngineConnection> {
    return SqliteConnection.open(sqlitePathOfUrl(config.url), redactUrl(config.url), config.role);
  },
};
