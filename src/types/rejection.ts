/**
 * A value that cannot be written to the target column: converters return this instead of throwing,
 * so that the executor can record the row in the rejects table with the reason and go on.
 */
export interface Rejection {
  readonly rejected: true;
  readonly reason: string;
}

export function reject(reason: string): Rejection {
  return { rejected: true, reason };
}

export function isRejection(result: unknown): result is Rejection {
  return typeof result === 'object' && result !== null && (result as { rejected?: unknown }).rejected === true;
}
