import { describe, expect, it } from 'vitest';
import { BinlogRowDecoder, presentColumns, statementWrittenTables } from '../../../src/engines/mysql/mysql-cdc.js';
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

  it('a column left out of a row image (binlog_row_image = MINIMAL or NOBLOB) is not NULL: unchanged from the old image, or undefined (read back)', () => {
    const int = (name: string): ReadColumn => ({ name, native: { name: 'int', params: [], unsigned: false, text: 'int' }, logical: { kind: 'int', bits: 32, unsigned: false } });
    const names = ['id', 'a', 'b'];
    expect(presentColumns(names, Buffer.from([0b111]))).toBeUndefined();
    expect(presentColumns(names, undefined)).toBeUndefined();
    const keyOnly = presentColumns(names, Buffer.from([0b001]));
    const aOnly = presentColumns(names, Buffer.from([0b010]));
    expect([...(keyOnly ?? [])]).toEqual(['id']);
    const decoder = new BinlogRowDecoder({ table: { schema: 's', name: 't' }, columns: names.map(int), knownColumns: names });
    // The library hands over NULL for every column outside the image.
    const update = decoder.decodeUpdate({ id: 7, a: null, b: null }, { id: null, a: 8, b: null }, keyOnly, aOnly);
    expect(update).toEqual({ row: { id: '7', a: '8', b: undefined }, oldKey: { id: '7', a: undefined, b: undefined } });
    expect(decoder.decode({ id: 1, a: null, b: null }, presentColumns(names, Buffer.from([0b011])))).toEqual({ id: '1', a: null, b: undefined });
  });
});

describe('changes logged as statements (binlog_format = STATEMENT or MIXED in a session)', () => {
  const t = (schema: string, name: string) => ({ schema, name });
  it('names the tables a data-changing statement writes, in the current database when unqualified', () => {
    expect(statementWrittenTables("insert into m (id) values (4)", 'shop')).toEqual([t('shop', 'm')]);
    expect(statementWrittenTables('INSERT LOW_PRIORITY IGNORE INTO `other`.`my ``t` SELECT * FROM x', 'shop')).toEqual([t('other', 'my `t')]);
    expect(statementWrittenTables('/* app */ REPLACE orders VALUES (1)', 'shop')).toEqual([t('shop', 'orders')]);
    expect(statementWrittenTables("LOAD DATA INFILE '/tmp/x' INTO TABLE shop.orders", 'db')).toEqual([t('shop', 'orders')]);
    expect(statementWrittenTables("update m set t = 'x' where id = 1", 'shop')).toEqual([t('shop', 'm')]);
    // Every name before SET is taken (a join's columns too): stopping on a false match loses nothing.
    expect(statementWrittenTables('UPDATE a JOIN shop.b ON a.id = b.id SET a.v = 1', 'db')).toEqual(expect.arrayContaining([t('db', 'a'), t('shop', 'b')]));
    expect(statementWrittenTables('DELETE FROM `orders` WHERE id = 3', 'shop')).toEqual([t('shop', 'orders')]);
    expect(statementWrittenTables('delete quick from orders', 'shop')).toEqual([t('shop', 'orders')]);
  });

  it('takes no other statement for a change', () => {
    for (const s of ['BEGIN', 'COMMIT', 'TRUNCATE orders', 'ALTER TABLE orders ADD COLUMN x int', 'CREATE TABLE updates (id int)', 'SAVEPOINT dms_cdc_1', "SET @x = 'INSERT INTO orders'"]) {
      expect(statementWrittenTables(s, 'shop')).toBeUndefined();
    }
  });
});
