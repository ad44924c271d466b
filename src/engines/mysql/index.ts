/**
 * The MySQL / MariaDB engine (`mysql://…` and `mariadb://…` URLs). The driver (mysql2) loads only
 * when a connection is opened, so `check` and `plan` never load it.
 */
import type { ConnectConfig, EngineConnection, EngineModule } from '../contract.js';
import { MYSQL_VALUE_LIMITS } from '../../types/value-limits.js';
import { mysqlDialect } from './mysql-ddl.js';
import { mysqlTypes } from './mysql-types.js';

export const mysqlEngine: EngineModule = {
  name: 'mysql',
  capabilities: {
    schemas: true,
    canBeSource: true,
    canBeTarget: true,
    transactionalDdl: false,
    enumTypes: 'inline',
    arrays: false,
    oneIdentityPerTable: true,
    maxIdentifierLength: 64,
    snapshot: 'consistent_snapshot_txn',
    deferrable: 'none',
    foreignKeySetDefault: false,
    tablesWithoutColumns: false,
    namesIgnoringCase: { tables: true, columns: true },
    columnCollations: true,
    // MariaDB 10.2+, then MySQL 8.0.17+. MySQL 5.7 has neither: text lands in utf8mb4_bin (PAD SPACE).
    exactTextCollations: ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'],
    orderedKeyRanges: true,
    nameScopes: { indexes: 'table', foreignKeys: 'schema' },
    fullTextIndexes: true,
    ddlBreaksOpenSnapshots: true,
    rawRowReads: true,
    binaryCopy: false,
    rawRowWrites: false,
    bulkWriter: 'LOAD DATA LOCAL INFILE (multi-row INSERTs where the server refuses it)',
    valueLimits: MYSQL_VALUE_LIMITS,
  },
  types: mysqlTypes,
  dialect: mysqlDialect,
  // User locks are server-wide: named after the URL's database and the plan (hashed: names are at
  // most 64 characters), so applies into other databases of the server go on side by side.
  runLock: {
    acquire: "SELECT GET_LOCK(CONCAT('dmsplan apply ', MD5(CONCAT(IFNULL(DATABASE(), ''), '/', ?))), 0) AS acquired",
    release: "SELECT RELEASE_LOCK(CONCAT('dmsplan apply ', MD5(CONCAT(IFNULL(DATABASE(), ''), '/', ?)))) AS released",
  },
  async connect(config: ConnectConfig): Promise<EngineConnection> {
    const { connectMysql } = await import('./mysql-driver.js');
    return connectMysql(config);
  },
  cdc: {
    async open(config) {
      const { openMysqlCapture } = await import('./mysql-cdc-driver.js');
      return openMysqlCapture(config);
    },
  },
};
