/**
 * Embedded PostgreSQL (PGlite): the PostgreSQL types, dialect and catalog queries; only the driver,
 * reads and writes differ. No server anywhere: the data directory comes from the URL
 * (`pglite:relative/dir`, `pglite:/abs/dir`, created when missing by a connection that writes — a
 * source's must exist;
 * `pglite:memory:` in memory). One process at a time uses a directory (pglite-data-dir.ts).
 */
import type { ConnectConfig, EngineCapabilities, EngineConnection, EngineModule } from '../contract.js';
import { postgresCapabilities } from '../postgres/index.js';
import { postgresDialect } from '../postgres/postgres-ddl.js';
import { postgresTypes } from '../postgres/postgres-types.js';

export const pgliteCapabilities: EngineCapabilities = {
  ...postgresCapabilities,
  // One in-process backend: lanes are served one statement after the other.
  snapshot: 'single_connection',
  // Its connections take statements, not a raw COPY stream.
  binaryCopy: false,
  rawRowWrites: false,
  bulkWriter: 'COPY text, a few MB per statement',
};

export const pgliteEngine: EngineModule = {
  name: 'pglite',
  capabilities: pgliteCapabilities,
  types: postgresTypes,
  dialect: postgresDialect,
  async connect(config: ConnectConfig): Promise<EngineConnection> {
    const [{ openPglite }, { PgliteConnection }] = await Promise.all([import('./pglite-driver.js'), import('./pglite-connection.js')]);
    return new PgliteConnection(await openPglite(config.url, config.session, config.role, config.readOnly === true));
  },
};
