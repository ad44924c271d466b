// The careful mode's message when PostgreSQL's lock table fills up while it isolates refused rows
// (SQLSTATE 53200): it must say why and how to get past it, or a rerun fails the same way.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engines/contract.js';
import { outOfLockSpace } from '../../src/exec/copy-table.js';

describe('outOfLockSpace', () => {
  it('explains a full lock table with the two ways out, keeping the error kind, code and endpoint', () => {
    const err = new EngineError('write failed: out of shared memory', 'query', '53200', 'postgres://app@db/x');
    const explained = outOfLockSpace(err, 'public.chk', 6000);
    expect(explained).toBeInstanceOf(EngineError);
    expect(explained).toMatchObject({ kind: 'query', dbCode: '53200', endpoint: 'postgres://app@db/x' });
    expect(explained!.message).toMatch(/^write failed: out of shared memory — .*public\.chk \(6000 so far/);
    expect(explained!.message).toContain('chunk rows = 5000');
    expect(explained!.message).toContain('max_locks_per_transaction');
  });

  it('leaves every other failure as it is', () => {
    expect(outOfLockSpace(new EngineError('check violated', 'data', '23514', 'postgres://db/x'), 't', 1)).toBeUndefined();
    expect(outOfLockSpace(new Error('bug'), 't', 1)).toBeUndefined();
  });
});
