/**
 * A row the target refused, as the rejects table shows it: the column(s) the target's error blamed
 * (EngineError.refusal, read by each engine from its own error) and the row's value(s) there, as
 * written. Engine-neutral: a refusal naming only a constraint is resolved through the target's
 * TargetTransaction.constraintColumns, once per constraint.
 */
import type { EngineError, QualifiedName, Refusal, TargetTransaction, WriteColumn } from '../engines/contract.js';
import type { Row } from '../types/logical.js';
import { describeValue, joinKeyValues } from './row-program.js';

export interface RefusedFields {
  readonly column: string | undefined;
  readonly value: string | undefined;
}

const NONE: RefusedFields = { column: undefined, value: undefined };

/**
 * The column text (names joined by `, `, as a foreign key's in the rejects table) and value text
 * (the row's values there, joined as a key's; a column the write did not hold counts as NULL) of
 * `columns` in `row`, written as `write`.
 */
export function refusedFields(columns: readonly string[], write: readonly Pick<WriteColumn, 'name'>[], row: Row): RefusedFields {
  if (columns.length === 0) return NONE;
  const values = columns.map((c) => {
    const i = write.findIndex((w) => w.name === c);
    return i < 0 ? undefined : describeValue(row[i] ?? null);
  });
  return { column: columns.join(', '), value: values.length === 1 ? values[0] : joinKeyValues(values) };
}

/**
 * Reads refusals for one chunk's careful mode: a constraint's columns are asked of the target once.
 */
export class RefusalReader {
  private readonly constraints = new Map<string, readonly string[]>();

  constructor(
    private readonly tx: Pick<TargetTransaction, 'constraintColumns'>,
    private readonly table: QualifiedName,
    private readonly write: readonly Pick<WriteColumn, 'name'>[],
  ) {}

  /** The fields of `row` refused by `err`; call it after the refused write was undone. */
  async fields(err: EngineError, row: Row): Promise<RefusedFields> {
    const columns = await this.columnsOf(err.refusal);
    return refusedFields(columns, this.write, row);
  }

  private async columnsOf(refusal: Refusal | undefined): Promise<readonly string[]> {
    if (refusal === undefined) return [];
    if (refusal.columns.length > 0 || refusal.constraint === undefined || !this.tx.constraintColumns) return refusal.columns;
    const known = this.constraints.get(refusal.constraint);
    if (known) return known;
    // Not caught: on PostgreSQL a failed statement aborts the chunk's transaction, which must then
    // fail as a whole rather than go on as if it could still write.
    const columns = await this.tx.constraintColumns(this.table, refusal.constraint);
    this.constraints.set(refusal.constraint, columns);
    return columns;
  }
}
