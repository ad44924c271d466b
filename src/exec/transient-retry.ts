/**
 * Retrying work that failed for a passing reason: a lost connection, a server restarting, a
 * serialization failure or deadlock. Anything else fails at once.
 */
import { EngineError } from '../engines/contract.js';

/** Errors worth another attempt: the engines say so with the kinds 'transient' and 'connect'. */
export function isTransient(err: unknown): err is EngineError {
  return err instanceof EngineError && (err.kind === 'transient' || err.kind === 'connect');
}

export interface RetryPolicy {
  /** Attempts after the first. */
  readonly retries: number;
  /** Delay before the first retry; doubles with each one. */
  readonly firstDelayMs: number;
  /** Told before each wait (to say what is being retried and when). */
  readonly onRetry: (err: EngineError, delayMs: number, attempt: number, attempts: number) => void;
}

export async function retryTransient<T>(work: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isTransient(err) || attempt >= policy.retries) throw err;
      const delay = policy.firstDelayMs * 2 ** attempt;
      policy.onRetry(err, delay, attempt + 2, policy.retries + 1);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
