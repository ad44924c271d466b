/**
 * Database and network failures → EngineError, for PostgreSQL and PGlite. Messages are one line,
 * name the endpoint redacted, and never carry a password or a stack.
 */
import { EngineError } from '../contract.js';
import { scrubSecrets } from '../url.js';

interface ErrorLike {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly detail?: unknown;
  readonly errors?: unknown;
}

const NETWORK: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
};

/** Network errors that end a connection which was already up (a refused or unknown host never was). */
const LOST: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

function codeOf(err: ErrorLike): string | undefined {
  if (typeof err.code === 'string') return err.code;
  // Node reports a host with several addresses (localhost: ::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(err.errors)) for (const inner of err.errors) if (inner && typeof (inner as ErrorLike).code === 'string') return (inner as ErrorLike).code as string;
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

export type PostgresErrorKind = EngineError['kind'];

/** The contract's error kind for a SQLSTATE or a Node network error code. */
export function postgresErrorKind(code: string | undefined, message: string): PostgresErrorKind {
  // pg's own errors carry no code: a lost connection says 'terminated', and a client that lost its
  // connection earlier (say, between two statements of a transaction) says 'not queryable'.
  if (code === undefined) return /timeout|terminated|not queryable/i.test(message) ? 'transient' : 'query';
  if (code === '28P01' || code === '28000') return 'auth';
  if (code in NETWORK || code === '57P03') return 'connect';
  if (code === '3D000') return 'connect'; // database does not exist
  if (code === '57P01' || code === '57P02' || code === '40001' || code === '40P01' || code === '55P03' || code === '53300' || code.startsWith('08')) return 'transient';
  if (code.startsWith('22') || code.startsWith('23')) return 'data';
  if (code === '0A000') return 'unsupported';
  return 'query';
}

/**
 * The line of a COPY FROM that the server refused (1-based), from the error's context: `COPY
 * notes, line 42` (a trigger's or a function's context comes before it, so the last one counts).
 */
export function refusedCopyLine(err: unknown): number | undefined {
  const where = typeof err === 'object' && err !== null ? (err as { where?: unknown }).where : undefined;
  if (typeof where !== 'string') return undefined;
  const lines = [...where.matchAll(/^COPY .*, line (\d+)/gm)];
  const line = Number(lines.at(-1)?.[1]);
  return Number.isSafeInteger(line) && line > 0 ? line : undefined;
}

/**
 * Maps any thrown value to an EngineError. `endpoint` is the redacted URL; `urls` are the URLs
 * whose secrets must not appear in the message; `doing` says what failed ('connect to', …).
 */
export function toPostgresEngineError(err: unknown, endpoint: string, urls: readonly string[], doing?: string): EngineError {
  if (err instanceof EngineError) return err.endpoint ? err : new EngineError(err.message, err.kind, err.dbCode, endpoint);
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const code = codeOf(e);
  const raw = typeof e.message === 'string' && e.message.length > 0 ? e.message : code && NETWORK[code] ? NETWORK[code]! : String(err);
  const kind = postgresErrorKind(code, raw);
  let message: string;
  // A reset or a closed socket after a session was up is a lost connection, not a failed connect.
  if (code !== undefined && NETWORK[code] !== undefined) message = `${LOST.has(code) && doing !== 'cannot connect to' ? 'lost the connection to' : 'cannot connect to'} ${endpoint}: ${NETWORK[code]}`;
  else if (kind === 'auth') message = `cannot log in to ${endpoint}: ${raw}`;
  else if (kind === 'connect') message = `cannot connect to ${endpoint}: ${raw}`;
  else {
    const detail = typeof e.detail === 'string' && e.detail ? ` (${e.detail})` : '';
    message = `${doing ? `${doing} ` : ''}${endpoint}: ${raw}${detail}`;
  }
  return new EngineError(oneLine(scrubSecrets(message, urls)), kind, code, endpoint);
}
