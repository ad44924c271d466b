/**
 * One `apply` at a time per target. Two runs of a plan against one target both saw no record of
 * a copy and both loaded it (every row twice, then a primary key that cannot be built and a
 * target no later run could repair); two first runs raced to create the control schema. Each run
 * holds its target's lock (EngineModule.runLock) on a connection of its own until it ends; a
 * second run is refused before it changes anything.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EngineConnection } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import { redactUrl } from '../engines/url.js';
import { connectConfigOf, describeError, type ResolvedEndpoint } from './endpoints.js';

export interface RunLocks {
  /** Lets go of every lock (commits the transactions holding them, closes their connections). */
  release(): Promise<void>;
}

interface Held {
  readonly connection: EngineConnection;
  readonly done: Promise<unknown>;
}

/** Takes the run lock of every target that has one; on any refusal lets go of those taken. */
export async function lockTargets(
  targets: readonly ResolvedEndpoint[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ readonly locks: RunLocks } | { readonly diagnostics: readonly Diagnostic[] }> {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const attempts = await Promise.all(targets.map((t) => lockOne(t, env, finished)));
  const held = attempts.filter((a): a is Held => 'connection' in a);
  const release = async () => {
    finish();
    await Promise.all(held.map(async (h) => {
      await h.done.catch(() => undefined);
      await h.connection.close().catch(() => undefined);
    }));
  };
  const diagnostics = attempts.flatMap((a) => ('diagnostic' in a ? [a.diagnostic] : []));
  if (diagnostics.length) {
    await release();
    return { diagnostics };
  }
  return { locks: { release } };
}

async function lockOne(target: ResolvedEndpoint, env: Readonly<Record<string, string | undefined>>, finished: Promise<void>): Promise<Held | { readonly diagnostic: Diagnostic } | { readonly none: true }> {
  const engine = findEngine(target.plan.engine);
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
  const done = connection.transaction(async (tx) => {
    const rows = await tx.query(lock.acquire);
    const acquired = isTrue(rows[0]?.acquired);
    taken(acquired);
    if (!acquired) return;
    await finished;
    if (lock.release) await tx.query(lock.release);
  });
  done.catch((err: unknown) => taken(err instanceof Error ? err : new Error(String(err))));
  const result = await outcome;
  if (result === true) return { connection, done };
  await done.catch(() => undefined);
  await connection.close().catch(() => undefined);
  if (result instanceof Error) return { diagnostic: error('DMS5005', `target ${target.plan.name}: cannot take the run lock on ${shown}: ${describeError(result, [target.url])}`, target.plan.url.span) };
  return {
    diagnostic: error(
      'DMS5005',
      `target ${target.plan.name}: another dmsplan apply is running against ${shown}; nothing was changed`,
      target.plan.url.span,
      'wait for it to end or stop it, then run apply again: it resumes from what that run finished',
    ),
  };
}

/** PostgreSQL sends a boolean, MySQL 1 (or NULL on an error). */
function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 1n || value === 't';
}
