/**
 * The column and value a refused row gets in the rejects table, from the target's refusal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/engines/contract.js';
import { RefusalReader, refusedFields } from '../../src/exec/refused-row.js';
import { joinKeyValues } from '../../src/exec/row-program.js';

const write = [{ name: 'id' }, { name: 'code' }, { name: 'score' }];

describe('refusedFields', () => {
  it('takes the written value of the one column blamed, NULL as no value, a column not written as NULL', () => {
    expect(refusedFields(['code'], write, ['1', 'abc', '5'])).toEqual({ column: 'code', value: 'abc' });
    expect(refusedFields(['score'], write, ['1', 'abc', null])).toEqual({ column: 'score', value: undefined });
    expect(refusedFields(['other'], write, ['1', 'abc', '5'])).toEqual({ column: 'other', value: undefined });
    expect(refusedFields([], write, ['1', 'abc', '5'])).toEqual({ column: undefined, value: undefined });
    expect(refusedFields(['code'], write, ['1', 'x'.repeat(3000), '5']).value).toMatch(/… \(3000 characters\)$/);
  });

  it('joins several columns and their values as a key is joined', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(refusedFields(['code', 'id'], [{ name: 'id' }, { name: 'code' }], [a, b])).toEqual({ column: 'code, id', value: joinKeyValues([b, a]) });
      }),
    );
  });
});

describe('RefusalReader', () => {
  const refused = (refusal?: { columns: string[]; constraint?: string }) => new EngineError('no', 'data', '23514', 'pg://x', undefined, refusal);

  it('asks the target for a constraint’s columns once, and reads nothing from a refusal that names nothing', async () => {
    const asked: string[] = [];
    const reader = new RefusalReader({ constraintColumns: async (_t, name) => (asked.push(name), ['score']) }, { schema: 'public', name: 't' }, write);
    expect(await reader.fields(refused({ columns: [], constraint: 'ck' }), ['1', 'a', '-1'])).toEqual({ column: 'score', value: '-1' });
    expect(await reader.fields(refused({ columns: [], constraint: 'ck' }), ['2', 'a', '-2'])).toEqual({ column: 'score', value: '-2' });
    expect(asked).toEqual(['ck']);
    expect(await reader.fields(refused({ columns: ['code'], constraint: 'u' }), ['1', 'a', '-1'])).toEqual({ column: 'code', value: 'a' });
    expect(await reader.fields(refused(), ['1', 'a', '-1'])).toEqual({ column: undefined, value: undefined });
    expect(asked).toEqual(['ck']);
    const blind = new RefusalReader({}, { schema: undefined, name: 't' }, write);
    expect(await blind.fields(refused({ columns: [], constraint: 'ck' }), ['1', 'a', '-1'])).toEqual({ column: undefined, value: undefined });
  });
});
