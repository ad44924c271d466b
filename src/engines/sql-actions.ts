/** Foreign-key actions and deferrable constraints as standard SQL spells them (MySQL's InnoDB differs: see mysql-ddl.ts). */
import type { Deferrable, ReferentialAction } from '../schema/catalog.js';

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

/** ` DEFERRABLE INITIALLY …` for a deferrable constraint (PostgreSQL; SQLite for foreign keys). */
export function deferrableSql(deferrable: Deferrable | undefined): string {
  switch (deferrable) {
    case undefined:
      return '';
    case 'initially_immediate':
      return ' DEFERRABLE INITIALLY IMMEDIATE';
    case 'initially_deferred':
      return ' DEFERRABLE INITIALLY DEFERRED';
    default: {
      const never: never = deferrable;
      return never;
    }
  }
}
