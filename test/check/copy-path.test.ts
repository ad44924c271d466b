import { describe, expect, it } from 'vitest';
import type { ColumnMapping, TableMapping } from '../../src/check/checked-plan.js';
import { canPassThrough, copyPathOf, describeCopyPath } from '../../src/check/copy-path.js';
import { mysqlEngine } from '../../src/engines/mysql/index.js';
import { pgliteEngine } from '../../src/engines/pglite/index.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { sqliteEngine } from '../../src/engines/sqlite/index.js';

/** A table whose every column is copied unchanged (no columns: nothing to convert). */
const unchanged = { columns: [] } as unknown as TableMapping;
const computed = { columns: [{ source: { kind: 'expr' } } as unknown as ColumnMapping] } as unknown as TableMapping;
const merged = { columns: [], merge: { name: 'm' } } as unknown as TableMapping;

describe('raw COPY passthrough', () => {
  it('is chosen between two PostgreSQL servers', () => {
    expect(canPassThrough(unchanged, postgresEngine, postgresEngine)).toBe(true);
  });

  it('is not chosen into PGlite, which speaks PostgreSQL but takes no raw COPY stream', () => {
    expect(canPassThrough(unchanged, postgresEngine, pgliteEngine)).toBe(false);
    expect(canPassThrough(unchanged, pgliteEngine, postgresEngine)).toBe(false);
  });
});

describe('copyPathOf', () => {
  it('moves MySQL row bytes into a PostgreSQL server, unless a column is computed or the table is merged', () => {
    expect(copyPathOf(unchanged, mysqlEngine, postgresEngine)).toBe('raw_rows');
    expect(copyPathOf(computed, mysqlEngine, postgresEngine)).toBe('rows');
    expect(copyPathOf(merged, mysqlEngine, postgresEngine)).toBe('rows');
  });

  it('decodes rows everywhere else: into PGlite, MySQL and SQLite, and from PostgreSQL or SQLite into another engine', () => {
    for (const [source, target] of [[mysqlEngine, pgliteEngine], [mysqlEngine, mysqlEngine], [postgresEngine, mysqlEngine], [sqliteEngine, postgresEngine], [postgresEngine, sqliteEngine]] as const) {
      expect(copyPathOf(unchanged, source, target), `${source.name} → ${target.name}`).toBe('rows');
    }
    expect(copyPathOf(unchanged, postgresEngine, postgresEngine)).toBe('passthrough');
  });

  it('says how in the plan, naming the target\'s bulk writer for decoded rows', () => {
    expect(describeCopyPath('passthrough', postgresEngine, postgresEngine)).toMatch(/binary COPY stream/);
    expect(describeCopyPath('raw_rows', mysqlEngine, postgresEngine)).toMatch(/^mysql wire bytes moved into COPY binary/);
    expect(describeCopyPath('rows', postgresEngine, mysqlEngine)).toBe('decoded rows → LOAD DATA LOCAL INFILE (multi-row INSERTs where the server refuses it)');
  });
});
