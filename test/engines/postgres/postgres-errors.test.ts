// The refused COPY line read from a server error's context: careful mode trusts it to set one row
// aside, so anything but a COPY's own line must give no answer rather than a wrong one.
import { describe, expect, it } from 'vitest';
import { refusedCopyLine, toPostgresEngineError } from '../../../src/engines/postgres/postgres-errors.js';

describe('refusedCopyLine', () => {
  it('reads the line of the COPY the server names', () => {
    expect(refusedCopyLine({ where: 'COPY notes, line 42' })).toBe(42);
    expect(refusedCopyLine({ where: 'COPY notes, line 7, column score: "x"' })).toBe(7);
    expect(refusedCopyLine({ where: 'COPY "a, line 3", line 9' })).toBe(9);
  });

  it('takes the COPY line that ends a nested context (a trigger before it)', () => {
    expect(refusedCopyLine({ where: 'PL/pgSQL function check_row() line 3 at RAISE\nCOPY notes, line 12' })).toBe(12);
  });

  it('gives no answer without a COPY line', () => {
    expect(refusedCopyLine({ where: 'PL/pgSQL function f() line 3 at RAISE' })).toBeUndefined();
    expect(refusedCopyLine({ where: 'SQL statement "INSERT …"' })).toBeUndefined();
    expect(refusedCopyLine({ where: 'COPY notes, line 0' })).toBeUndefined();
    expect(refusedCopyLine({})).toBeUndefined();
    expect(refusedCopyLine(new Error('x'))).toBeUndefined();
    expect(refusedCopyLine(null)).toBeUndefined();
  });
});

describe('toPostgresEngineError on network errors', () => {
  const endpoint = 'postgres://app:***@db:5432/shop';
  const network = (code: string) => Object.assign(new Error(`${code} x`), { code });

  it('says a connection was lost when one that was up is reset or closed, and that it cannot connect otherwise', () => {
    expect(toPostgresEngineError(network('EPIPE'), endpoint, []).message).toBe('lost the connection to postgres://app:***@db:5432/shop: connection closed by the server');
    expect(toPostgresEngineError(network('ECONNRESET'), endpoint, []).message).toBe('lost the connection to postgres://app:***@db:5432/shop: connection reset by the server');
    expect(toPostgresEngineError(network('ECONNRESET'), endpoint, [], 'cannot connect to').message).toBe('cannot connect to postgres://app:***@db:5432/shop: connection reset by the server');
    expect(toPostgresEngineError(network('ECONNREFUSED'), endpoint, []).message).toBe('cannot connect to postgres://app:***@db:5432/shop: connection refused');
    expect(toPostgresEngineError(network('EPIPE'), endpoint, []).kind).toBe('connect');
  });
});
