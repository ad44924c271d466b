/**
 * The SQL Server engine (`sqlserver://` and `mssql://` URLs), a source only in this build: reading
 * SQL Server into PostgreSQL, MySQL, SQLite or PGlite. As a target `plan` refuses it (DMS3531):
 * writing rows, the control schema and the run lock are not built yet (the dialect's DDL is). No
 * change data capture (DMS5120). The driver (mssql, on tedious) loads only when a connection opens.
 */
import type { ConnectConfig, EngineConnection, EngineModule } from '../contract.js';
import { sqlServerDialect } from './sqlserver-ddl.js';
import { sqlServerTypes } from './sqlserver-types.js';

export const sqlServerEngine: EngineModule = {
  name: 'sqlserver',
  capabilities: {
    schemas: true,
    canBeSource: true,
    canBeTarget: false,
    transactionalDdl: true,
    enumTypes: 'none',
    arrays: false,
    oneIdentityPerTable: true,
    maxIdentifierLength: 128,
    // Each lane its own SNAPSHOT (or READ COMMITTED) transaction: they do not agree (sqlserver-driver.ts).
    snapshot: 'none',
    deferrable: 'none',
    tablesWithoutColumns: false,
    // Under the default collations (…_CI_AS) names compare ignoring case.
    namesIgnoringCase: { tables: true, columns: true },
    columnCollations: false,
    // Text keys compare under the column's collation (case-insensitive by default): integers only.
    orderedKeyRanges: false,
    nameScopes: { indexes: 'table', foreignKeys: 'schema' },
    fullTextIndexes: false,
    maxIndexEntryBytes: 1700,
    ddlBreaksOpenSnapshots: false,
    rawRowReads: false,
    binaryCopy: false,
    rawRowWrites: false,
    bulkWriter: 'none (SQL Server is a source only in this build)',
  },
  types: sqlServerTypes,
  dialect: sqlServerDialect,
  async connect(config: ConnectConfig): Promise<EngineConnection> {
    const { connectSqlServer } = await import('./sqlserver-driver.js');
    return connectSqlServer(config);
  },
};
