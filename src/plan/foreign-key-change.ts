/**
 * A foreign key the target has on the same columns and parent as one the plan makes, but which
 * acts otherwise (ON DELETE / ON UPDATE, DEFERRABLE): the source's key was changed since the
 * target's was made. The second plan said "No changes" and left the target deleting child rows
 * the source now keeps (or the other way round). Pure.
 */
import type { Dialect, QualifiedName } from '../engines/contract.js';
import { referentialActionSql } from '../engines/sql-actions.js';
import type { Deferrable, ForeignKeyCatalog } from '../schema/catalog.js';

/**
 * What differs, as the plan lists it (`on delete cascade → set null`), or undefined when the target's
 * key does what the plan's would. Compared through the dialect's own statement where it has one,
 * so that what a target cannot spell (MySQL's SET DEFAULT, made NO ACTION) is no difference.
 */
export function foreignKeyChange(
  dialect: Dialect,
  table: QualifiedName,
  planned: ForeignKeyCatalog,
  present: ForeignKeyCatalog,
  referencedSchema: string | undefined,
  /** The target keeps foreign keys DEFERRABLE (EngineCapabilities.deferrable). */
  deferrableKeys: boolean,
): string | undefined {
  const asPresent: ForeignKeyCatalog = { ...planned, onDelete: present.onDelete, onUpdate: present.onUpdate, deferrable: present.deferrable, ...(present.onDeleteColumns ? { onDeleteColumns: present.onDeleteColumns } : { onDeleteColumns: undefined }) };
  const [a, b] = [comparable(planned, deferrableKeys), comparable(asPresent, deferrableKeys)];
  const made = dialect.addForeignKey(table, a, referencedSchema);
  // A dialect that declares keys with the table only (SQLite) has no statement to compare.
  const same = made.length > 0 ? made.join('\n') === dialect.addForeignKey(table, b, referencedSchema).join('\n') : a.onDelete === b.onDelete && a.onUpdate === b.onUpdate && a.deferrable === b.deferrable;
  if (same) return undefined;
  const parts: string[] = [];
  const action = (a: ForeignKeyCatalog['onDelete']) => referentialActionSql(a).toLowerCase();
  if (planned.onDelete !== present.onDelete || (planned.onDeleteColumns ?? []).join() !== (present.onDeleteColumns ?? []).join()) parts.push(`on delete ${action(present.onDelete)} → ${action(planned.onDelete)}`);
  if (planned.onUpdate !== present.onUpdate) parts.push(`on update ${action(present.onUpdate)} → ${action(planned.onUpdate)}`);
  if (deferrableKeys && planned.deferrable !== present.deferrable) parts.push(`${deferrableText(present.deferrable)} → ${deferrableText(planned.deferrable)}`);
  return parts.join(', ') || 'defined otherwise';
}

/**
 * RESTRICT and NO ACTION refuse the same deletes and updates of a key checked at once; they differ
 * only in when a deferred check happens. InnoDB treats them as one (MariaDB records a RESTRICT added
 * with foreign_key_checks off as NO ACTION), so they are one here too, unless the key is deferrable
 * on the target.
 */
function comparable(fk: ForeignKeyCatalog, deferrableKeys: boolean): ForeignKeyCatalog {
  if (fk.deferrable !== undefined && deferrableKeys) return fk;
  const plain = (a: ForeignKeyCatalog['onDelete']) => (a === 'restrict' ? 'no_action' : a);
  return { ...fk, onDelete: plain(fk.onDelete), onUpdate: plain(fk.onUpdate) };
}

function deferrableText(deferrable: Deferrable | undefined): string {
  switch (deferrable) {
    case undefined:
      return 'not deferrable';
    case 'initially_immediate':
      return 'deferrable';
    case 'initially_deferred':
      return 'deferrable initially deferred';
    default: {
      const never: never = deferrable;
      return never;
    }
  }
}
