import { describe, expect, it } from 'vitest';
import type { TableMapping } from '../../src/check/checked-plan.js';
import { pgliteEngine } from '../../src/engines/pglite/index.js';
import { postgresEngine } from '../../src/engines/postgres/index.js';
import { canPassThrough } from '../../src/exec/passthrough.js';

/** A table whose every column is copied unchanged (no columns: nothing to convert). */
const unchanged = { columns: [] } as unknown as TableMapping;

describe('raw COPY passthrough', () => {
  it('is chosen between two PostgreSQL servers', () => {
    expect(canPassThrough(unchanged, postgresEngine, postgresEngine)).toBe(true);
  });

  it('is not chosen into PGlite, which speaks PostgreSQL but takes no raw COPY stream', () => {
    expect(canPassThrough(unchanged, postgresEngine, pgliteEngine)).toBe(false);
    expect(canPassThrough(unchanged, pgliteEngine, postgresEngine)).toBe(false);
  });
});
