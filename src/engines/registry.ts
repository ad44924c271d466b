/**
 * Engine lookup. Importing this loads every engine's pure parts (types, dialect); drivers load
 * lazily inside `connect`.
 */
import type { EngineName } from '../ir/ir.js';
import type { EngineModule } from './contract.js';
import { postgresEngine } from './postgres/index.js';
import { pgliteEngine } from './pglite/index.js';
import { mysqlEngine } from './mysql/index.js';
import { sqliteEngine } from './sqlite/index.js';
import { oracleEngine } from './oracle/index.js';
import { sqlServerEngine } from './sqlserver/index.js';

const ENGINES: Partial<Record<EngineName, EngineModule>> = {
  postgres: postgresEngine,
  pglite: pgliteEngine,
  mysql: mysqlEngine,
  sqlite: sqliteEngine,
  oracle: oracleEngine,
  sqlserver: sqlServerEngine,
};

/** The engine module, or undefined when this build has no support for it yet. */
export function findEngine(name: EngineName): EngineModule | undefined {
  return ENGINES[name];
}

export function supportedEngines(): readonly EngineName[] {
  return Object.keys(ENGINES) as EngineName[];
}
