/** Foreign-key actions as standard SQL spells them (MySQL's InnoDB differs: see mysql-ddl.ts). */
import type { ReferentialAction } from '../schema/catalog.js';

export function referentialActionSql(action: ReferentialAction): string {
  switch (action) {
    case 'no_action':
      return 'NO ACTION';
    case 'restrict':
      return 'RESTRICT';
    case 'cascade':
      return 'CASCADE';
    case 'set_null':
      return 'SET NULL';
    case 'set_default':
      return 'SET DEFAULT';
    default: {
      const never: never = action;
      return never;
    }
  }
}
