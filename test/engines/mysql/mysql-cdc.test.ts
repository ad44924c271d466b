import { describe, expect, it } from 'vitest';
import { BinlogRowDecoder } from '../../../src/engines/mysql/mysql-cdc.js';
import type { ReadColumn } from '../../../src/engines/contract.js';

const year = (name: string, width: number): ReadColumn => ({ name, native: { name: 'year', params: [width], unsigned: false, text: `year(${width})` }, logical: { kind: 'year' } });

describe('binlog rows', () => {
  it('a YEAR arrives as the full load reads it: the zero year as 0000, not 1900', () => {
    // @vlasky/zongji hands over 1900 + the stored byte, for YEAR(2) as well.
    const decoder = new BinlogRowDecoder({ table: { schema: 's', name: 't' }, columns: [year('y4', 4), year('y2', 2)], knownColumns: ['y4', 'y2'] });
    expect(decoder.decode({ y4: 1900, y2: 2005 })).toEqual({ y4: '0000', y2: '2005' });
    expect(decoder.decode({ y4: 2155, y2: 1970 })).toEqual({ y4: '2155', y2: '1970' });
    expect(decoder.decode({ y4: null, y2: null })).toEqual({ y4: null, y2: null });
  });
});
