/**
 * A target is introspected in its engine's default scope, which for MySQL/MariaDB is the URL's
 * database alone; but a plan may write into other schemas of the same server (`-> dw.archive.*`
 * with a URL naming another database). What those schemas already hold decides the plan as much
 * — create, load into, drop and recreate, refuse a kept table without the mapped columns — so
 * planning and the stale check of a saved plan both read them too, and see the same tables.
 */
import type { EngineConnection } from '../engines/contract.js';
import type { Catalog } from '../schema/catalog.js';

/** `catalog` with the tables of those `schemas` it did not read, read now. */
export async function withPlannedSchemas(conn: EngineConnection, catalog: Catalog, schemas: Iterable<string | undefined>): Promise<Catalog> {
  const missing = [...new Set(schemas)].filter((s): s is string => s !== undefined && !catalog.schemas.includes(s));
  if (missing.length === 0) return catalog;
  // Schemas that do not exist yet come back empty: nothing to add.
  const more = await conn.introspect({ schemas: missing });
  if (more.schemas.length === 0) return catalog;
  return {
    ...catalog,
    schemas: [...catalog.schemas, ...more.schemas],
    tables: [...catalog.tables, ...more.tables],
    sequences: [...catalog.sequences, ...more.sequences],
    others: [...catalog.others, ...more.others],
  };
}
