/**
 * One `apply` at a time per target. Two runs of a plan against one target both saw no record of
 * a copy and both loaded it (every row twice, then a primary key that cannot be built and a
 * target no later run could repair); two first runs raced to create the control schema. Each run
 * holds its target's lock (EngineModule.runLock) on a connection of its own until it ends; a
 * second run is refused before it changes anything.
 *
 * The lock goes with its connection, so a connection the server drops (a restart, a terminated
 * backend) lets it go silently: the holder looks at its connection every few seconds and takes
 * the lock again on a new one. Should another run have taken it in between, `lost` says so, and
 * the run stops rather than load beside it.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ClosingMode, EngineConnection, EngineModule } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import { redactUrl } from '../engines/url.js';
import { connectConfigOf, describeError, type ResolvedEndpoint } from './endpoints.js';

/** How often a held lock's connection is looked at (a cheap query; the run takes minutes). */
const HEARTBEAT_MS = 2000;

export interface RunLocks {
  /** Lets go of every lock (commits the transactions holding them, closes their connections as `mode` says). */
  release(mode?: ClosingMode): Promise<void>;
  /** Why the run no longer holds a target's lock, once another run has it; undefined while held. */
  lost(): string | undefined;
}

interface Held {
  /** Settles when the holding transaction ends: at release, or when its connection fails. */
  readonly done: Promise<unknown>;
  /** Closes what held it (the lock's connection). */
  close(mode?: ClosingMode): Promise<void>;
}

/** `busy`: another run holds the lock (not a failure to ask for it). */
type Attempt = Held | { readonly diagnostic: Diagnostic; readonly busy?: true } | { readonly none: true };

/** Takes the run lock of every target that has one; on any refusal lets go of those taken. */
export async function lockTargets(
  targets: readonly ResolvedEndpoint[],
  env: Readonly<Record<string, string | undefined>>,
  /** `plan`: the plan's name, which the lock is taken for (one run of a plan per target at a time). */
  options: { readonly heartbeatMs?: number; readonly plan?: string } = {},
): Promise<{ readonly locks: RunLocks } | { readonly diagnostics: readonly Diagnostic[] }> {
  const scope: LockScope = { heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS, plan: options.plan ?? '' };
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let isFinished = false;
  void finished.then(() => (isFinished = true));
  const attempts = await Promise.all(targets.map((t) => lockOne(t, env, finished, scope)));
  const diagnostics = attempts.flatMap((a) => ('diagnostic' in a ? [a.diagnostic] : []));
  let lostBecause: string | undefined;
  const keepers = attempts.map((first, i) => {
    if (!('done' in first) || diagnostics.length) return 'done' in first ? settle(first, () => closing) : Promise.resolve();
    return keep(targets[i]!, env, finished, () => isFinished, first, scope, (why) => (lostBecause ??= why), () => closing);
  });
  let closing: ClosingMode = 'now';
  const release = async (mode: ClosingMode = 'now') => {
    closing = mode;
    finish();
    await Promise.all(keepers);
  };
  if (diagnostics.length) {
    await release();
    return { diagnostics };
  }
  return { locks: { release, lost: () => lostBecause } };
}

/** Ends a held lock at release: its transaction commits, its connection closes (as `closing()` says once it has). */
async function settle(held: Held, closing: () => ClosingMode): Promise<void> {
  const committed = await held.done.then(
    () => true,
    () => false,
  );
  await held.close(committed ? closing() : 'now').catch(() => undefined);
}

/** Holds a target's lock until the run ends, taking it again when its connection fails. */
async function keep(
  target: ResolvedEndpoint,
  env: Readonly<Record<string, string | undefined>>,
  finished: Promise<void>,
  isFinished: () => boolean,
  first: Held,
  scope: LockScope,
  onLost: (why: string) => void,
  closing: () => ClosingMode,
): Promise<void> {
  let held = first;
  for (;;) {
    await settle(held, closing);
    if (isFinished()) return;
    // The connection failed while the run goes on: take the lock again as soon as the target answers.
    for (;;) {
      const again = await lockOne(target, env, finished, scope);
      if ('done' in again) {
        held = again;
        break;
      }
      if ('busy' in again) {
        onLost(`target ${target.plan.name}: the connection holding the run lock was lost, and another dmsplan apply has taken the lock since`);
        return;
      }
      if (isFinished() || 'none' in again) return;
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, scope.heartbeatMs))]);
      if (isFinished()) return;
    }
  }
}

/** What a lock is taken for, and how often its connection is looked at. */
interface LockScope {
  readonly heartbeatMs: number;
  readonly plan: string;
}

async function lockOne(target: ResolvedEndpoint, env: Readonly<Record<string, string | undefined>>, finished: Promise<void>, scope: LockScope): Promise<Attempt> {
  const { heartbeatMs } = scope;
  const engine = findEngine(target.plan.engine);
  if (engine?.claimRunLock) return claimFileLock(engine.claimRunLock, target, finished, scope);
  const lock = engine?.runLock;
  if (!engine || !lock) return { none: true };
  const shown = redactUrl(target.url);
  let connection: EngineConnection;
  try {
    connection = await engine.connect(connectConfigOf(target, 1, env));
  } catch (err) {
    return { diagnostic: error('DMS5003', `target ${target.plan.name}: ${describeError(err, [target.url])}`, target.plan.url.span) };
  }
  let taken!: (acquired: boolean | Error) => void;
  const outcome = new Promise<boolean | Error>((resolve) => (taken = resolve));
  let ended = false;
  void finished.then(() => (ended = true));
  const done = connection.transaction(async (tx) => {
    const rows = await tx.query(lock.acquire, [scope.plan]);
    const acquired = isTrue(rows[0]?.acquired);
    taken(acquired);
    if (!acquired) return;
    // A dropped connection is noticed only by using it: a failing heartbeat ends the transaction.
    while (!ended) {
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, heartbeatMs))]);
      if (!ended) await tx.query('SELECT 1');
    }
    if (lock.release) await tx.query(lock.release, [scope.plan]);
  });
  done.catch((err: unknown) => taken(err instanceof Error ? err : new Error(String(err))));
  const result = await outcome;
  if (result === true) return { done, close: (mode) => connection.close(mode) };
  await done.catch(() => undefined);
  await connection.close().catch(() => undefined);
  if (result instanceof Error) return { diagnostic: error('DMS5005', `target ${target.plan.name}: cannot take the run lock on ${shown}: ${describeError(result, [target.url])}`, target.plan.url.span) };
  return busy(target, scope, shown);
}

function busy(target: ResolvedEndpoint, scope: LockScope, shown: string, holder?: string): Attempt {
  return {
    busy: true,
    diagnostic: error(
      'DMS5005',
      `target ${target.plan.name}: another dmsplan apply of this plan${scope.plan ? ` (${scope.plan})` : ''} is running against ${shown}${holder ? ` (${holder})` : ''}; nothing was changed`,
      target.plan.url.span,
      'wait for it to end or stop it, then run apply again: it resumes from what that run finished',
    ),
  };
}

/** A lock file beside a file target (SQLite): held until the run ends, nothing to look after meanwhile. */
function claimFileLock(claimRunLock: NonNullable<EngineModule['claimRunLock']>, target: ResolvedEndpoint, finished: Promise<void>, scope: LockScope): Attempt {
  let claimed: ReturnType<typeof claimRunLock>;
  try {
    claimed = claimRunLock(target.url, scope.plan);
  } catch (err) {
    return { diagnostic: error('DMS5005', `target ${target.plan.name}: cannot take the run lock on ${redactUrl(target.url)}: ${describeError(err, [target.url])}`, target.plan.url.span) };
  }
  if (claimed === undefined) return { none: true };
  if ('heldBy' in claimed) return busy(target, scope, redactUrl(target.url), claimed.heldBy);
  const { release } = claimed;
  return { done: finished.then(release), close: async () => undefined };
}

/** PostgreSQL sends a boolean, MySQL 1 (or NULL on an error). */
function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 1n || value === 't';
}
