/**
 * How a target compares the names the plan gives it: two tables (or columns) meet only where the
 * target would take them for one (PostgreSQL keeps `Users` and `users` apart; SQLite does not).
 */
import type { EngineModule } from '../engines/contract.js';

export type NameKind = 'tables' | 'columns';

/** The name as the target compares it. */
export function targetNameKey(target: Pick<EngineModule, 'capabilities'>, kind: NameKind, name: string): string {
  return target.capabilities.namesIgnoringCase[kind] ? name.toLowerCase() : name;
}

/** One key per target table: endpoint, schema (compared as table names are) and table. */
export function targetTableKey(target: Pick<EngineModule, 'capabilities'>, endpoint: string, schema: string | undefined, table: string): string {
  return `${endpoint}\u0000${targetNameKey(target, 'tables', schema ?? '')}\u0000${targetNameKey(target, 'tables', table)}`;
}
