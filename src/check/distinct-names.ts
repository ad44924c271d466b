/**
 * Names that must be unique in a target schema, made so across the whole plan. PostgreSQL and
 * SQLite name an index (and the index behind a primary or unique key) in the schema, beside the
 * tables; MySQL names a foreign key in the schema. The sources' names are unique where they come
 * from, and target-table.ts prefixes those from a narrower scope with their table's name — but two
 * source schemas mapped into one target schema, a key named like a table, or a prefixed name that
 * meets another table's still collide, and the target would refuse the second one mid-apply.
 *
 * Every name that meets another (case-insensitively, as MySQL compares them) is prefixed with its
 * table's name, then numbered if that is taken too; names that meet nothing are left alone, so a
 * plan names its objects the same way from one run to the next.
 */
import type { EngineModule, TargetTableDef } from '../engines/contract.js';
import type { TableMapping } from './checked-plan.js';
import { fitIdentifier } from './naming.js';

/** One named object of a target table: where its name is read from and written back to. */
interface NamedObject {
  /** Its table's key in the group (lower case). */
  readonly key: string;
  /** Its table's name, the prefix. */
  readonly table: string;
  readonly name: string;
  readonly rename: (def: TargetTableDef, name: string) => TargetTableDef;
}

export function distinctNames(tables: readonly TableMapping[], engineOf: (endpoint: string) => EngineModule | undefined): TableMapping[] {
  // One definition per target table (the members of a merge share theirs), grouped by schema.
  const groups = new Map<string, { engine: EngineModule; defs: Map<string, TargetTableDef> }>();
  for (const t of tables) {
    const engine = engineOf(t.target.endpoint);
    if (!engine) continue;
    const key = `${t.target.endpoint}\u0000${t.target.schema ?? ''}`;
    const group = groups.get(key) ?? { engine, defs: new Map() };
    groups.set(key, group);
    const tableKey = t.target.table.toLowerCase();
    if (!group.defs.has(tableKey)) group.defs.set(tableKey, t.targetDef);
  }

  const renamed = new Map<string, TargetTableDef>(); // `${group}\u0000${table}` → the new definition
  for (const [groupKey, { engine, defs }] of groups) {
    const scopes = engine.capabilities.nameScopes;
    const maxLength = engine.capabilities.maxIdentifierLength;
    const current = new Map(defs);
    const apply = (objects: readonly NamedObject[], reserved: ReadonlySet<string>): void => {
      for (const [tableKey, def] of resolve(objects, reserved, maxLength)) current.set(tableKey, def(current.get(tableKey)!));
    };
    if (scopes.indexes === 'schema') apply(indexObjects(current), new Set(current.keys()));
    if (scopes.foreignKeys === 'schema') apply(foreignKeyObjects(current), new Set());
    for (const [tableKey, def] of current) if (def !== defs.get(tableKey)) renamed.set(`${groupKey}\u0000${tableKey}`, def);
  }
  if (renamed.size === 0) return [...tables];
  return tables.map((t) => {
    const def = renamed.get(`${t.target.endpoint}\u0000${t.target.schema ?? ''}\u0000${t.target.table.toLowerCase()}`);
    return def ? { ...t, targetDef: def } : t;
  });
}

function indexObjects(defs: ReadonlyMap<string, TargetTableDef>): NamedObject[] {
  const out: NamedObject[] = [];
  for (const [key, def] of sorted(defs)) {
    const table = def.name;
    if (def.primaryKey) out.push({ key, table, name: def.primaryKey.name, rename: (d, name) => ({ ...d, primaryKey: d.primaryKey && { ...d.primaryKey, name } }) });
    def.uniqueKeys.forEach((k, i) => out.push({ key, table, name: k.name, rename: (d, name) => ({ ...d, uniqueKeys: d.uniqueKeys.map((u, j) => (j === i ? { ...u, name } : u)) }) }));
    def.indexes.forEach((x, i) => out.push({ key, table, name: x.name, rename: (d, name) => ({ ...d, indexes: d.indexes.map((u, j) => (j === i ? { ...u, name } : u)) }) }));
  }
  return out;
}

function foreignKeyObjects(defs: ReadonlyMap<string, TargetTableDef>): NamedObject[] {
  const out: NamedObject[] = [];
  for (const [key, def] of sorted(defs)) {
    const table = def.name;
    def.foreignKeys.forEach((fk, i) => out.push({ key, table, name: fk.name, rename: (d, name) => ({ ...d, foreignKeys: d.foreignKeys.map((u, j) => (j === i ? { ...u, name } : u)) }) }));
  }
  return out;
}

function sorted(defs: ReadonlyMap<string, TargetTableDef>): [string, TargetTableDef][] {
  return [...defs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The renames that make every object's name distinct from the others' and from `reserved` (the
 * schema's table names, where objects share their namespace): per table key, a function of its
 * definition.
 */
function resolve(objects: readonly NamedObject[], reserved: ReadonlySet<string>, maxLength: number | undefined): Map<string, (def: TargetTableDef) => TargetTableDef> {
  const count = new Map<string, number>();
  for (const o of objects) count.set(o.name.toLowerCase(), (count.get(o.name.toLowerCase()) ?? 0) + 1);
  const meets = (o: NamedObject): boolean => (count.get(o.name.toLowerCase()) ?? 0) > 1 || reserved.has(o.name.toLowerCase());
  const taken = new Set<string>([...reserved, ...objects.filter((o) => !meets(o)).map((o) => o.name.toLowerCase())]);
  const out = new Map<string, (def: TargetTableDef) => TargetTableDef>();
  for (const o of objects) {
    if (!meets(o)) continue;
    const name = freeName(o, taken, maxLength);
    taken.add(name.toLowerCase());
    const before = out.get(o.key) ?? ((d: TargetTableDef) => d);
    out.set(o.key, (d) => o.rename(before(d), name));
  }
  return out;
}

/** `<table>_<name>` (or the name, when it starts with its table's), numbered from 2 while taken. */
function freeName(o: NamedObject, taken: ReadonlySet<string>, maxLength: number | undefined): string {
  const base = o.name.toLowerCase().startsWith(o.table.toLowerCase()) && !taken.has(o.name.toLowerCase()) ? o.name : `${o.table}_${o.name}`;
  for (let n = 1; ; n++) {
    const candidate = fitIdentifier(n === 1 ? base : `${base}_${n}`, maxLength);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
