/**
 * The Oracle engine, through `oracledb` in thin mode (no Oracle Client). URL:
 * `oracle://user:password@host:1521/service_name`. A schema is a user; unquoted names are stored
 * in upper case (`CUSTOMER`), which a plan's names match ignoring case, and which a map into a
 * target that folds names to lower case (PostgreSQL) writes in lower case unless it says
 * `names = keep` (check/naming.ts).
 *
 * A source, for full loads: change data capture from Oracle (LogMiner) is not implemented, and
 * neither is Oracle as a target — `plan` refuses both (DMS3550, DMS3551). Nothing of this engine has
 * run against a real Oracle server in dmsplan's tests (none can run where they run): the SQL it
 * generates and the value decoding are tested; a live suite runs when DMSPLAN_TEST_ORACLE_URL is set.
 */
import type { ConnectConfig, EngineConnection, EngineModule } from '../contract.js';
import { redactUrl } from '../url.js';
import { OracleConnection } from './oracle-connection.js';
import { oracleDialect } from './oracle-ddl.js';
import { OraclePoolHandle, parseOracleUrl } from './oracle-driver.js';
import { oracleTypes } from './oracle-types.js';

export const oracleEngine: EngineModule = {
  name: 'oracle',
  capabilities: {
    schemas: true,
    canBeSource: true,
    canBeTarget: false,
    transactionalDdl: false,
    enumTypes: 'none',
    arrays: false,
    // 128 bytes from 12.2; 30 before (dmsplan does not write Oracle names yet, so this is not checked against the server's version).
    maxIdentifierLength: 128,
    snapshot: 'consistent_snapshot_txn',
    deferrable: 'keys_and_foreign_keys',
    tablesWithoutColumns: false,
    // Quoted names keep their case: "Customer" and CUSTOMER are two tables.
    namesIgnoringCase: { tables: false, columns: false },
    unquotedNamesFold: 'upper',
    columnCollations: false,
    // Sessions compare and sort with NLS_SORT = BINARY, NLS_COMP = BINARY: ranges meet end to end.
    orderedKeyRanges: true,
    nameScopes: { indexes: 'schema', foreignKeys: 'schema' },
    fullTextIndexes: false,
    ddlBreaksOpenSnapshots: false,
    rawRowReads: false,
    binaryCopy: false,
    rawRowWrites: false,
    bulkWriter: 'not supported yet',
  },
  types: oracleTypes,
  dialect: oracleDialect,
  async connect(config: ConnectConfig): Promise<EngineConnection> {
    const endpoint = redactUrl(config.url);
    const target = parseOracleUrl(config.url, endpoint, config.tls);
    const pool = await OraclePoolHandle.open(config, endpoint);
    try {
      return await OracleConnection.open(pool, endpoint, target.service);
    } catch (err) {
      await pool.close();
      throw err;
    }
  },
};
