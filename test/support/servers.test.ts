import { describe, expect, it } from 'vitest';
import { uniqueName } from './servers.js';

describe('test database names', () => {
  it('are unique and safe', () => {
    const a = uniqueName('Chinook-X');
    const b = uniqueName('Chinook-X');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z0-9_]+$/);
  });
});
