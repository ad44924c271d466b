/**
 * The follower of one source: reads its change stream in commit order, applies batches of
 * transactions to every target in one target transaction each (with the position they reach),
 * confirms to the source only what every target has stored, and reports lag and rates. Runs until
 * stopped (Ctrl-C) or, with `untilCaughtUp`, until everything committed when it started is applied.
 */
import type { CaptureSetup, ChangeCapture, ChangeStream, Dialect, EngineConnection, SourceChange } from '../../engines/contract.js';
import type { ControlSchema } from '../control-schema.js';
import type { EventSink } from '../events.js';
import { applyBatch, type ChangeBatch } from './apply-changes.js';
import type { FollowedTable } from './followed-tables.js';

export interface FollowTarget {
  readonly endpoint: string;
  /** Where the target keeps this stream's position (control schema key). */
  readonly streamKey: string;
  readonly connection: EngineConnection;
  readonly dialect: Dialect;
  readonly control: ControlSchema;
  readonly tables: readonly FollowedTable[];
  /** Where this target's applied changes stand (stored in its control schema). */
  stored: string;
  transactions: number;
}

export interface FollowOptions {
  readonly source: string;
  readonly planName: string;
  readonly captureName: string;
  readonly capture: ChangeCapture;
  readonly setup: CaptureSetup;
  readonly targets: readonly FollowTarget[];
  readonly resumed: boolean;
  readonly runId: string;
  readonly emit: EventSink;
  readonly now: () => string;
  readonly cancelled: () => boolean;
  readonly untilCaughtUp: boolean;
}

export type FollowResult = 'caught_up' | 'stopped';

/** Changes gathered into one target transaction at most, and how long to wait for more. */
const BATCH_CHANGES = 5000;
const BATCH_WAIT_MS = 200;
const POLL_MS = 250;
const PROBE_EVERY_MS = 5000;
const REPORT_EVERY_MS = 1000;
const IDLE_REPORT_MS = 15000;
const REJECT_EVENTS = 20;

export async function follow(o: FollowOptions): Promise<FollowResult> {
  const from = o.targets.map((t) => t.stored).reduce((a, b) => (o.capture.compare(a, b) <= 0 ? a : b));
  const stream = await o.capture.stream(o.setup, from);
  o.emit({ type: 'cdc_start', source: o.source, position: from, resumed: o.resumed, tables: o.setup.tables.length });
  const totals = { transactions: 0, changes: 0, rejected: 0 };
  let caughtUp = false;
  let lastCommit: number | undefined;
  let idle = false;
  let lastReport = 0;
  let changesAtReport = 0;
  let lastProbe = Date.now();
  let rejectEvents = 0;
  let lastSignature = '';
  const report = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastReport < REPORT_EVERY_MS) return;
    // Nothing new: a line every IDLE_REPORT_MS is enough to show the follower is alive.
    const signature = `${totals.transactions}:${caughtUp}:${stream.buffered()}`;
    if (!force && signature === lastSignature && now - lastReport < IDLE_REPORT_MS) return;
    lastSignature = signature;
    const seconds = lastReport ? (now - lastReport) / 1000 : 0;
    const rate = seconds > 0 ? (totals.changes - changesAtReport) / seconds : 0;
    lastReport = now;
    changesAtReport = totals.changes;
    const behind = stream.buffered();
    const lag = (caughtUp || idle) && behind === 0 ? 0 : lastCommit !== undefined ? Math.max(0, (now - lastCommit) / 1000) : 0;
    const position = o.targets.map((t) => t.stored).reduce((a, b) => (o.capture.compare(a, b) <= 0 ? a : b));
    o.emit({ type: 'cdc_progress', source: o.source, position, ...totals, lagSeconds: lag, eventsBehind: behind, changesPerSecond: rate, caughtUp });
  };

  try {
    await stream.probe();
    for (;;) {
      if (o.cancelled()) {
        report(true);
        return 'stopped';
      }
      const { batch, sawCaughtUp, caughtUpAt, failure } = await nextBatch(stream);
      idle = batch.transactions.length === 0;
      if (!idle) {
        caughtUp = false;
        await applyToTargets(o, stream, batch, totals, (n) => {
          if (rejectEvents >= REJECT_EVENTS) return;
          rejectEvents++;
          n();
        });
        lastCommit = batch.committedAt ?? lastCommit;
      }
      if (failure !== undefined) {
        report(true);
        throw failure;
      }
      if (sawCaughtUp) {
        // Everything before the marker is applied (just above): the source may free up to it.
        if (caughtUpAt !== undefined) await stream.confirm(caughtUpAt);
        // Everything committed before the probe is applied; more may have arrived since.
        caughtUp = stream.buffered() === 0;
        if (o.untilCaughtUp) {
          report(true);
          return 'caught_up';
        }
      }
      if (idle && Date.now() - lastProbe >= PROBE_EVERY_MS) {
        lastProbe = Date.now();
        await stream.probe();
      }
      report(sawCaughtUp);
    }
  } finally {
    await stream.close();
  }
}

interface GatheredBatch {
  readonly batch: ChangeBatch & { readonly committedAt: number | undefined };
  readonly sawCaughtUp: boolean;
  readonly caughtUpAt?: string;
  /**
   * The stream failed after handing over the transactions in `batch`: they are applied first, then
   * the follower stops with it — so a stream that stops before a change it cannot carry (a
   * statement in MySQL's binlog) has applied everything before it, as its message says.
   */
  readonly failure?: unknown;
}

/** Waits up to POLL_MS for a first item, then takes what else is ready, up to BATCH_CHANGES. */
async function nextBatch(stream: ChangeStream): Promise<GatheredBatch> {
  const transactions: { position: string; changes: readonly SourceChange[] }[] = [];
  let committedAt: number | undefined;
  let changes = 0;
  let item = await stream.next(POLL_MS);
  const started = Date.now();
  while (item) {
    if (item.kind === 'caught_up') return { batch: { transactions, committedAt }, sawCaughtUp: true, ...(item.position !== undefined ? { caughtUpAt: item.position } : {}) };
    transactions.push({ position: item.position, changes: item.changes });
    committedAt = item.committedAt ?? committedAt;
    changes += item.changes.length;
    if (changes >= BATCH_CHANGES || Date.now() - started >= BATCH_WAIT_MS) break;
    try {
      item = await stream.next(stream.buffered() > 0 ? 0 : 20);
    } catch (failure) {
      return { batch: { transactions, committedAt }, sawCaughtUp: false, failure };
    }
  }
  return { batch: { transactions, committedAt }, sawCaughtUp: false };
}

async function applyToTargets(o: FollowOptions, stream: ChangeStream, batch: ChangeBatch, totals: { transactions: number; changes: number; rejected: number }, limitRejectEvent: (emit: () => void) => void): Promise<void> {
  for (const target of o.targets) {
    // Each target skips what it stored already (targets may stand at different positions after a kill).
    const pending = batch.transactions.filter((t) => o.capture.compare(t.position, target.stored) > 0);
    if (pending.length === 0) continue;
    const outcome = await applyBatch(
      { target: target.connection, streamKey: target.streamKey, dialect: target.dialect, control: target.control, tables: target.tables, source: o.source, plan: o.planName, captureName: o.captureName, runId: o.runId, now: o.now },
      { transactions: pending },
      target.transactions,
    );
    target.stored = pending[pending.length - 1]!.position;
    target.transactions += pending.length;
    totals.changes += outcome.upserts + outcome.deletes;
    totals.rejected += outcome.rejected;
    for (const r of outcome.rejects) limitRejectEvent(() => o.emit({ type: 'reject', table: r.sourceTable, key: r.key, column: r.column, value: r.value, reason: r.reason }));
  }
  totals.transactions += batch.transactions.length;
  // The source may free only what every target has stored.
  await stream.confirm(o.targets.map((t) => t.stored).reduce((a, b) => (o.capture.compare(a, b) <= 0 ? a : b)));
}
