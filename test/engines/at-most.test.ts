import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atMost } from '../../src/engines/at-most.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('atMost', () => {
  it('never runs more than n at once, and runs every call to its own result', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }), async (n, delays) => {
        const gate = atMost(n);
        let running = 0;
        let peak = 0;
        const results = await Promise.all(
          delays.map((delay, i) =>
            gate(async () => {
              running++;
              peak = Math.max(peak, running);
              await tick(delay);
              running--;
              return i;
            }),
          ),
        );
        expect(results).toEqual(delays.map((_, i) => i));
        expect(peak).toBeLessThanOrEqual(n);
        if (delays.length >= n) expect(peak).toBe(n);
      }),
      { numRuns: 30 },
    );
  });

  it('frees the turn of a call that fails', async () => {
    const gate = atMost(1);
    await expect(gate(() => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(gate(async () => 'next')).resolves.toBe('next');
  });
});
