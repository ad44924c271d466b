import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assignKeys, KeyMapIndex, sourceKeyText } from '../../src/exec/key-map-index.js';

describe('key map index', () => {
  it('numbers keys after the largest, in the order they come', () => {
    expect(assignKeys(['1', '2', '5'], 0n)).toEqual({ entries: [{ sourceKey: '1', newKey: 1n }, { sourceKey: '2', newKey: 2n }, { sourceKey: '5', newKey: 3n }], largest: 3n });
    expect(assignKeys(['301'], 600n).entries).toEqual([{ sourceKey: '301', newKey: 601n }]);
    expect(assignKeys([], 7n).largest).toBe(7n);
  });

  it('canonical source key text: one value as is, a composite key as a JSON array', () => {
    expect(sourceKeyText(['42'])).toBe('42');
    expect(sourceKeyText(['eu', '7'])).toBe('["eu","7"]');
    expect(sourceKeyText([Buffer.from([1, 255])])).toBe('\\x01ff');
    expect(sourceKeyText([true])).toBe('true');
  });

  it('dense integer keys cost one entry per run, whatever their number', () => {
    const index = new KeyMapIndex();
    for (const e of assignKeys(Array.from({ length: 10_000 }, (_, i) => String(i + 1)), 0n).entries) index.add(e.sourceKey, e.newKey);
    for (const e of assignKeys(['20000', '20001', '-3'], 10_000n).entries) index.add(e.sourceKey, e.newKey);
    index.add('abc', 99_999n);
    expect(index.size).toEqual({ keys: 10_004, entries: 4 });
    expect([index.get('1'), index.get('10000'), index.get('20001'), index.get('-3'), index.get('abc')]).toEqual(['1', '10000', '10002', '10003', '99999']);
    expect([index.get('0'), index.get('10001'), index.get('19999'), index.get('abd'), index.get('007')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('property: whatever the keys and the order the map is read in, each key finds its own new key and no other key finds one', () => {
    const key = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 200 }), fc.array(key, { maxLength: 20 }), fc.integer({ min: 0, max: 50 }), (keys, probes, largest) => {
        const { entries } = assignKeys(keys, BigInt(largest));
        const shuffled = [...entries].sort((a, b) => (a.sourceKey < b.sourceKey ? -1 : 1));
        const index = new KeyMapIndex();
        for (const e of shuffled) index.add(e.sourceKey, e.newKey);
        const expected = new Map(entries.map((e) => [e.sourceKey, e.newKey.toString()]));
        for (const k of [...keys, ...probes]) expect(index.get(k)).toBe(expected.get(k));
        // New keys are 1..N after the largest: none repeats.
        expect(new Set(entries.map((e) => e.newKey)).size).toBe(entries.length);
      }),
    );
  });
});
