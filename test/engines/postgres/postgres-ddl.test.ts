import { describe, expect, it } from 'vitest';
import type { TargetTableDef } from '../../../src/engines/contract.js';
import { postgresDialect } from '../../../src/engines/postgres/postgres-ddl.js';

describe('PostgreSQL DDL for a partitioned table', () => {
  const table: TargetTableDef = {
    schema: 'app',
    name: 'events',
    columns: [
      { name: 'id', type: { name: 'integer', params: [], unsigned: false, text: 'integer' }, nullable: false, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined },
      { name: 'region', type: { name: 'text', params: [], unsigned: false, text: 'text' }, nullable: false, default: undefined, identity: undefined, generated: undefined, onUpdateCurrentTimestamp: false, comment: undefined },
    ],
    primaryKey: { name: 'events_pkey', columns: ['id', 'region'] },
    uniqueKeys: [],
    indexes: [],
    foreignKeys: [],
    checks: [],
    comment: undefined,
    partitionBy: 'PARTITION BY LIST (region)',
    partitions: [
      { name: 'events_eu', parent: 'events', bound: "FOR VALUES IN ('eu')", partitionBy: 'PARTITION BY RANGE (id)' },
      { name: 'events_eu_low', parent: 'events_eu', bound: 'FOR VALUES FROM (MINVALUE) TO (1500)' },
      { name: 'Events "Rest"', parent: 'events', bound: 'DEFAULT' },
    ],
  };

  it('creates the table with its PARTITION BY, then each partition under its parent, parents first', () => {
    const sql = postgresDialect.createTable(table, { withPrimaryKey: false });
    expect(sql[0]).toMatch(/^CREATE TABLE "app"\."events" \(\n[\s\S]*\n\)\nPARTITION BY LIST \(region\)$/);
    expect(sql.slice(1)).toEqual([
      `CREATE TABLE "app"."events_eu" PARTITION OF "app"."events" FOR VALUES IN ('eu') PARTITION BY RANGE (id)`,
      'CREATE TABLE "app"."events_eu_low" PARTITION OF "app"."events_eu" FOR VALUES FROM (MINVALUE) TO (1500)',
      'CREATE TABLE "app"."Events ""Rest""" PARTITION OF "app"."events" DEFAULT',
    ]);
  });

  it('adds a key to a partitioned table whole (USING INDEX is refused there), and to a plain one on its own index first', () => {
    const partitioned = postgresDialect.addPrimaryKey({ schema: 'app', name: 'events', partitioned: true }, table.primaryKey!);
    expect(partitioned).toHaveLength(1);
    expect(partitioned[0]).toContain('ADD CONSTRAINT "events_pkey" PRIMARY KEY ("id", "region")');
    expect(partitioned[0]).not.toContain('USING INDEX');
    const plain = postgresDialect.addUniqueKey({ schema: 'app', name: 'events' }, { name: 'events_key', columns: ['id'] });
    expect(plain).toHaveLength(2);
    expect(plain[1]).toContain('USING INDEX');
  });
});
