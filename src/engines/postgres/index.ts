/**
 * The PostgreSQL engine. Pure parts (types, dialect) load with the registry; the driver (`pg`,
 * `pg-copy-streams`) loads on the first connect.
 */
import type { ConnectConfig, EngineCapabilities, EngineConnection, EngineModule } from '../contract.js';
import { POSTGRES_VALUE_LIMITS } from '../../types/value-limits.js';
import { postgresDialect, POSTGRES_MAX_IDENTIFIER_BYTES } from './postgres-ddl.js';
import { postgresTypes } from './postgres-types.js';

export const postgresCapabilities: EngineCapabilities = {
  schemas: true,
  canBeSource: true,
  canBeTarget: true,
  transactionalDdl: true,
  enumTypes: 'named',
  arrays: true,
  maxIdentifierLength: POSTGRES_MAX_IDENTIFIER_BYTES,
  snapshot: 'exported',
  deferrable: 'keys_and_foreign_keys',
  tablesWithoutColumns: true,
  namesIgnoringCase: { tables: false, columns: false },
  columnCollations: true,
  orderedKeyRanges: true,
  nameScopes: { indexes: 'schema', foreignKeys: 'table' },
  fullTextIndexes: true,
  maxIndexEntryBytes: 2704,
  ddlBreaksOpenSnapshots: false,
  rawRowReads: false,
  binaryCopy: true,
  rawRowWrites: true,
  bulkWriter: 'COPY text',
  valueLimits: POSTGRES_VALUE_LIMITS,
};

export const postgresEngine: EngineModule = {
  name: 'postgres',
  capabilities: postgresCapabilities,
  types: postgresTypes,
  dialect: postgresDialect,
  // Advisory locks are per database, as the control schema is. The key is "dmsplan" in ASCII; a
  // transaction-level lock goes with the transaction, so a pooled session never keeps it.
  runLock: { acquire: "SELECT pg_try_advisory_xact_lock(hashtextextended('dmsplan apply ' || $1, 0)) AS acquired" },
  async connect(config: ConnectConfig): Promise<EngineConnection> {
    const [{ openPostgres }, { PostgresConnection }] = await Promise.all([import('./postgres-driver.js'), import('./postgres-connection.js')]);
    return new PostgresConnection(await openPostgres(config));
  },
  cdc: {
    async open(config) {
      const { openPostgresCapture } = await import('./postgres-cdc-driver.js');
      return openPostgresCapture(config);
    },
  },
};
