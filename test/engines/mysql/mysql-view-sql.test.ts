import { describe, expect, it } from 'vitest';
import { viewAlgorithmOf } from '../../../src/engines/mysql/mysql-introspect.js';
import { mysqlViewReads, qualifyMysqlViewCalls, retargetMysqlViewQuery } from '../../../src/engines/mysql/mysql-view-sql.js';

const schemas = new Set(['shop', 'other']);
const isSchema = (name: string) => schemas.has(name);

describe('MySQL view queries as the server prints them', () => {
  // As MariaDB 10.11 prints them in information_schema.VIEWS.
  const join = "select `c`.`country` AS `country`,sum(`o`.`total`) AS `total` from (`shop`.`order items` `o` join `shop`.`german` `c` on(`c`.`id` = `o`.`customer_id`)) where `o`.`note` <> 'shop.`x` it\\'s' group by `c`.`country`";
  const cte = 'with r as (select `rev`.`country` AS `country` from `shop`.`rev`)select `r`.`country` AS `country` from `r`';
  const derived = 'select `d`.`k` AS `k`,`f`(`d`.`k`) AS `f`,`other`.`g`(1) AS `g` from (select `shop`.`t`.`we``ird` AS `k` from `shop`.`t`) `d`';

  it('finds the tables and views read, with the columns named of each, through aliases', () => {
    expect(mysqlViewReads(join, 'shop', isSchema)).toEqual({
      reads: [
        { schema: 'shop', name: 'german', columns: ['country', 'id'] },
        { schema: 'shop', name: 'order items', columns: ['customer_id', 'note', 'total'] },
      ],
      functions: [],
    });
  });

  it('tells a CTE, a table used as its own qualifier and a derived table from a database', () => {
    expect(mysqlViewReads(cte, 'shop', isSchema).reads).toEqual([{ schema: 'shop', name: 'rev', columns: ['country'] }]);
    expect(mysqlViewReads(derived, 'shop', isSchema)).toEqual({ reads: [{ schema: 'shop', name: 't', columns: ['we`ird'] }], functions: ['other.g', 'shop.f'] });
  });

  it('writes the query again naming the target databases, leaving strings, aliases and columns alone', () => {
    const where = (schema: string) => (schema === 'shop' ? 'shop`2' : undefined);
    expect(retargetMysqlViewQuery(join, mysqlViewReads(join, 'shop', isSchema), where)).toBe(
      "select `c`.`country` AS `country`,sum(`o`.`total`) AS `total` from (`shop``2`.`order items` `o` join `shop``2`.`german` `c` on(`c`.`id` = `o`.`customer_id`)) where `o`.`note` <> 'shop.`x` it\\'s' group by `c`.`country`",
    );
    expect(retargetMysqlViewQuery(derived, mysqlViewReads(derived, 'shop', isSchema), where)).toBe('select `d`.`k` AS `k`,`f`(`d`.`k`) AS `f`,`other`.`g`(1) AS `g` from (select `shop``2`.`t`.`we``ird` AS `k` from `shop``2`.`t`) `d`');
  });

  it("names the view's database in a call of its own stored function (CREATE VIEW looks in the session's)", () => {
    expect(qualifyMysqlViewCalls(derived, 'shop`2')).toBe('select `d`.`k` AS `k`,`shop``2`.`f`(`d`.`k`) AS `f`,`other`.`g`(1) AS `g` from (select `shop`.`t`.`we``ird` AS `k` from `shop`.`t`) `d`');
  });

  it("reads ALGORITHM from SHOW CREATE VIEW (MySQL's information_schema.VIEWS lacks it)", () => {
    expect(viewAlgorithmOf('CREATE ALGORITHM=TEMPTABLE DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW `shop`.`v` AS select 1 AS `1`')).toBe('TEMPTABLE');
    expect(viewAlgorithmOf('CREATE VIEW `v` AS select 1')).toBeUndefined();
  });
});
