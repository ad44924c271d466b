/**
 * The one effectful orchestrator: runs an execution graph against real endpoints and reports
 * everything as ExecEvents. It never throws at its caller: failures become events and a status.
 *
 * Steps run as soon as their dependencies are done, `workers` at a time, largest copies first.
 * Every finished step is recorded in the target's control schema by its fingerprint, and copies
 * record each chunk with its rows, so a run that stops — failure, Ctrl-C, kill -9 — resumes where
 * it stopped.
 */
import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { sourceTableName, type TableMapping } from '../check/checked-plan.js';
import type { ForeignKeyCatalog } from '../schema/catalog.js';
import { EngineError, type ClosingMode, type EngineConnection, type EngineModule, type SourceSnapshot } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import { redactUrl } from '../engines/url.js';
import { stepIdIsOnTable, targetTableRef, type ExecutionGraph, type Step } from '../plan/graph.js';
import { copyStepFingerprint } from '../plan/build-graph.js';
import { ControlSchema, ControlShapeError } from './control-schema.js';
import { CancelledError, ChunkFailedError, copyTable, type CopyResult } from './copy-table.js';
import { follow } from './cdc/follow.js';
import { prepareCaptures, type PreparedCapture } from './cdc/prepare.js';
import { buildsBeforeValidation, waitsForBuilds } from './validation-order.js';
import { closeAll, connectAll, describeError, resolveEndpoints, type OpenConnection, type ResolvedEndpoint } from './endpoints.js';
import type { EventSink, ExecEvent, TableTotals } from './events.js';
import { compileRowProgram, type RowProgram } from './row-program.js';
import type { Collisions } from './merge-collisions.js';
import { guardConflicts, resolvesConflicts } from './merge-conflicts.js';
import { loadKeyMap, mapMergeKeys, usesKeyMaps, withKeyMaps } from './key-map.js';
import { readMergeOverlaps, type WithSource } from './merge-overlaps.js';
import { isTransient, retryTransient } from './transient-retry.js';
import { sliceWhere, validateTable } from './validate-table.js';
import { RejectLimitError, sweepOrphans } from './foreign-key-orphans.js';
import { lockTargets } from './run-lock.js';
import { groupThousands } from '../number-text.js';

export type RunStatus = 'ok' | 'failed' | 'interrupted';

export interface ApplyOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly toolVersion: string;
  readonly emit: EventSink;
  /** Becomes true when the user asks to stop (Ctrl-C). */
  readonly cancelled: () => boolean;
  /** Change data capture modes: end once every change committed when following began is applied (scripts, tests). */
  readonly untilCaughtUp?: boolean;
  /**
   * Open connections to every endpoint of the graph, kept from planning it (makePlan's
   * `keepConnections`, with pools of workers + 2): the run uses them and closes them.
   */
  readonly connections?: ReadonlyMap<string, OpenConnection>;
  /**
   * The process exits as soon as the run returns (the CLI): connections left idle at the end may be
   * left for that exit to close (ClosingMode `at_exit`). Never in a process that goes on.
   */
  readonly processExitsAfter?: boolean;
}

/** Connections per endpoint for a run: one per worker, and two for the control schema and validation beside them. */
export function applyPoolSize(workers: number): number {
  return Math.max(1, workers) + 2;
}

export async function applyGraph(graph: ExecutionGraph, options: ApplyOptions): Promise<RunStatus> {
  const started = Date.now();
  const { emit } = options;
  const resolved = resolveEndpoints(graph.endpoints, options.env);
  const urls = resolved.endpoints.map((e) => e.url);
  emit({
    type: 'plan',
    name: graph.migration.name,
    mode: graph.migration.mode,
    fingerprint: graph.fingerprint,
    endpoints: graph.endpoints.map((e) => {
      const r = resolved.endpoints.find((x) => x.plan.name === e.name);
      return { name: e.name, role: e.role, engine: e.engine, url: r ? redactUrl(r.url) : e.url.kind === 'env' ? `env("${e.url.variable}")` : redactUrl(e.url.value) };
    }),
    steps: graph.steps.map((s) => ({ id: s.id, kind: s.kind, table: s.table, summary: s.summary })),
    tables: graph.tables.map((t) => ({ id: t.id, target: `${t.target.schema ? `${t.target.schema}.` : ''}${t.target.table}`, rowEstimate: t.source.rowEstimate, ...(t.copyPath ? { copyPath: t.copyPath } : {}) })),
  });
  const fail = (message: string): RunStatus => {
    emit({ type: 'log', level: 'error', message });
    emit({ type: 'summary', status: 'failed', seconds: (Date.now() - started) / 1000, tables: [], stepsDone: 0, stepsFailed: 0, stepsNotRun: graph.steps.length, message });
    return 'failed';
  };
  if (resolved.diagnostics.length) {
    if (options.connections) await closeAll(options.connections);
    return fail(resolved.diagnostics.map((d) => `error[${d.code}]: ${d.message}${d.hint ? ` (${d.hint})` : ''}`).join('\n'));
  }

  const kept = options.connections;
  if (kept && !graph.endpoints.every((e) => kept.has(e.name))) throw new Error('bug: the connections kept from planning miss an endpoint of the graph');
  const { connections, diagnostics } = kept ? { connections: kept, diagnostics: [] } : await connectAll(resolved.endpoints, applyPoolSize(graph.migration.workers), options.env);
  if (diagnostics.length) return fail(diagnostics.map((d) => `error[${d.code}]: ${d.message}`).join('\n'));
  // Before the control schema is touched: a second run against a target stops here, unchanged.
  const locked = await lockTargets(resolved.endpoints.filter((e) => e.plan.role === 'target'), options.env, { plan: graph.migration.name });
  if ('diagnostics' in locked) {
    await closeAll(connections);
    return fail(locked.diagnostics.map((d) => `error[${d.code}]: ${d.message}${d.hint ? ` (${d.hint})` : ''}`).join('\n'));
  }
  const run = new Run(graph, options, connections, urls, started, resolved.endpoints, locked.locks.lost);
  try {
    return await run.execute();
  } catch (err) {
    if (err instanceof SetupFailure) return fail(err.message);
    // A bug, not an input mistake: still reported as one line, and the run stays resumable.
    return fail(`internal error: ${describeError(err, urls)}`);
  } finally {
    const closing: ClosingMode = options.processExitsAfter ? 'at_exit' : 'now';
    await run.closeSnapshots(closing);
    await closeAll(connections, closing);
    await locked.locks.release(closing);
  }
}

/** A target the run cannot be set up on (the control schema): the message says what to do; not a bug. */
class SetupFailure extends Error {}

interface TableState {
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  seconds: number;
  validation: TableTotals['validation'];
  copy: CopyResult | undefined;
}

class Run {
  private readonly runId = randomUUID();
  private readonly snapshots = new Map<string, Promise<SourceSnapshot>>();
  private readonly freeLanes = new Map<string, number[]>();
  private readonly laneWaiters = new Map<string, (() => void)[]>();
  private readonly tables = new Map<string, TableState>();
  private readonly controls = new Map<string, ControlSchema>();
  /** Offset merges with on_conflict acting: colliding key → members holding it, read once per run. */
  private readonly mergeCollisions = new Map<string, Promise<Collisions>>();
  private completed = new Map<string, Set<string>>();
  /** Per target: the steps runs of this very plan recorded (see OBJECT_DDL). */
  private completedByThisPlan = new Map<string, Set<string>>();
  /** Per target endpoint: the step records earlier runs left (fingerprint → step id), less those this run voided. */
  private readonly earlierRecords = new Map<string, Map<string, string>>();
  /** Per target endpoint: the steps with chunk records when the run started (any status). */
  private readonly chunked = new Map<string, Set<string>>();
  /** Steps by the target table they write (every member of a merge), built once. */
  private readonly stepsOfTarget = new Map<string, Step[]>();
  private readonly mappingsById = new Map<string, TableMapping>();
  /** Tables (mapping ids) whose validation ran in this run or an earlier one. */
  private readonly validated = new Set<string>();
  /** Per target table: the tail of its validations and orphan sweeps, which run one at a time. */
  private readonly locks = new Map<string, Promise<void>>();
  /** Rows rejected by this run's chunks and orphan sweeps. */
  private rejectedInThisRun = 0;
  /**
   * Rows the plan's copies rejected in earlier runs, by copy step: `max_rejects` counts them too, or
   * running apply again after the limit stopped it loaded on until as many more were rejected.
   */
  private readonly rejectedEarlier = new Map<string, number>();
  /** What `max_rejects` is held against: every row the plan's copies have rejected so far. */
  private get rejectedRows(): number {
    let n = this.rejectedInThisRun;
    for (const v of this.rejectedEarlier.values()) n += v;
    return n;
  }
  /** Set once more rows were rejected than `max_rejects` allows: the run stops like on Ctrl-C, but fails. */
  private rejectLimitHit = false;

  constructor(
    private readonly graph: ExecutionGraph,
    private readonly options: ApplyOptions,
    private readonly connections: ReadonlyMap<string, OpenConnection>,
    private readonly urls: readonly string[],
    private readonly started: number,
    private readonly resolvedEndpoints: readonly ResolvedEndpoint[],
    /** Why a target's run lock is no longer this run's (another apply took it), once it is not. */
    private readonly lockLost: () => string | undefined = () => undefined,
  ) {
    for (const t of graph.tables) this.mappingsById.set(t.id, t);
    for (const s of graph.steps) {
      const target = this.targetTableOf(s);
      if (target === undefined) continue;
      const list = this.stepsOfTarget.get(target) ?? [];
      list.push(s);
      this.stepsOfTarget.set(target, list);
    }
  }

  /** Change data capture of each source (modes cdc and full_load_and_cdc), prepared before the full load. */
  private captures: PreparedCapture[] = [];

  private emit(e: ExecEvent): void {
    if (e.type === 'chunk_finish' && e.rejected > 0) {
      this.rejectedInThisRun += e.rejected;
      const max = this.graph.migration.maxRejects;
      if (max !== undefined && this.rejectedRows > max && !this.rejectLimitHit) {
        this.rejectLimitHit = true;
        this.options.emit(e);
        // Chunks being written when the limit passes may still commit theirs: the summary has the final count.
        this.options.emit({ type: 'log', level: 'error', message: `${this.rejectedRows} rows rejected so far, more than max_rejects = ${max}: stopping the run (the rejected rows are in the rejects table; chunks already being written finish first, and the summary gives the final count)` });
        return;
      }
    }
    this.options.emit(e);
  }

  private lockLostReported = false;

  /** Copies stop between batches on Ctrl-C, once the reject limit is passed, and once another apply has the target. */
  private readonly stopRequested = (): boolean => {
    const lost = this.lockLost();
    if (lost !== undefined && !this.lockLostReported) {
      this.lockLostReported = true;
      this.options.emit({ type: 'log', level: 'error', message: `${lost}: stopping this run (whole chunks only) so the two do not load the same rows` });
    }
    return this.options.cancelled() || this.rejectLimitHit || lost !== undefined;
  };

  private now(): string {
    return new Date().toISOString();
  }

  private conn(endpoint: string): EngineConnection {
    const c = this.connections.get(endpoint);
    if (!c) throw new Error(`bug: no connection for ${endpoint}`);
    return c.connection;
  }

  private control(endpoint: string): ControlSchema {
    let c = this.controls.get(endpoint);
    if (!c) {
      const e = this.graph.endpoints.find((x) => x.name === endpoint);
      const engine = e ? findEngine(e.engine) : undefined;
      if (!engine) throw new Error(`bug: no engine for ${endpoint}`);
      c = new ControlSchema(engine.dialect);
      this.controls.set(endpoint, c);
    }
    return c;
  }

  async execute(): Promise<RunStatus> {
    const targets = this.graph.endpoints.filter((e) => e.role === 'target').map((e) => e.name);
    let resumed = false;
    // A full load's snapshots are opened now, while the targets' control schemas are made, rather
    // than when the first copy starts (their lanes' connections cost ~50 ms on PostgreSQL) — where
    // opening one takes no lock on the source (an exported snapshot): a resumed run may have no copy
    // left, and MySQL's may take FLUSH TABLES WITH READ LOCK. A failure is the first copy's to
    // report; the run closes them whatever happens.
    if (this.graph.migration.mode === 'full_load') {
      const sources = new Set(this.graph.steps.flatMap((s) => (s.kind === 'copy' && s.table !== undefined ? [this.mappingsById.get(s.table)?.source.endpoint] : [])));
      for (const source of sources) {
        const engine = this.graph.endpoints.find((e) => e.name === source)?.engine;
        if (source !== undefined && engine !== undefined && findEngine(engine)?.capabilities.snapshot === 'exported') this.snapshot(source).catch(() => undefined);
      }
    }
    for (const t of targets) {
      const control = this.control(t);
      try {
        await control.ensure(this.conn(t));
      } catch (err) {
        const open = this.connections.get(t)!;
        if (err instanceof ControlShapeError) {
          throw new SetupFailure(`error[DMS5006]: target ${t}: ${err.message}: ${describeError(err.reason, this.urls)} (rename that table, to ${err.tableName}_old say, and run apply again: it makes a new one, and the old rows stay in the renamed table). Nothing was changed.`);
        }
        throw new SetupFailure(`error[DMS5006]: target ${t}: cannot create the control schema: ${describeError(err, this.urls)} (${control.setupHint(open.endpoint.plan.engine, open.endpoint.url)}). Nothing was changed.`);
      }
      const copies = new Set(this.graph.steps.filter((s) => s.endpoint === t && s.kind === 'copy').map((s) => s.fingerprint));
      for (const [fp, n] of await control.rejectedRowsBySteps(this.conn(t))) if (copies.has(fp)) this.rejectedEarlier.set(fp, n);
      const done = await control.completedSteps(this.conn(t));
      this.completed.set(t, done);
      this.completedByThisPlan.set(t, await control.completedStepsOfPlan(this.conn(t), this.graph.fingerprint));
      this.earlierRecords.set(t, await control.recordedStepIds(this.conn(t)));
      if (this.graph.steps.some((s) => s.endpoint === t && done.has(s.fingerprint))) resumed = true;
      // A copy cut short has committed chunks but no step record: that is a resume too.
      const started = await control.startedCopies(this.conn(t));
      this.chunked.set(t, await control.chunkedSteps(this.conn(t)));
      if (this.graph.steps.some((s) => s.endpoint === t && s.kind === 'copy' && started.has(s.fingerprint))) resumed = true;
      await control.startRun(this.conn(t), { id: this.runId, planName: this.graph.migration.name, fingerprint: this.graph.fingerprint, toolVersion: this.options.toolVersion, at: this.now() });
    }
    this.emit({ type: 'run_start', runId: this.runId, resumed, at: this.now() });
    const max = this.graph.migration.maxRejects;
    if (max !== undefined && this.rejectedRows > max) {
      // Going on would load (and reject) a little more at every run that the limit stopped.
      this.rejectLimitHit = true;
      this.emit({ type: 'log', level: 'error', message: `earlier runs of this plan rejected ${this.rejectedRows} rows, more than max_rejects = ${max}: nothing more is loaded until the plan allows more (raise max_rejects) or the tables are loaded anew; the rejected rows are in the rejects table` });
    }
    if (this.graph.migration.mode !== 'full_load') {
      const failure = await this.prepareCapture();
      if (failure) {
        for (const t of targets) await this.control(t).finishRun(this.conn(t), this.runId, 'failed', this.now()).catch(() => undefined);
        return failure;
      }
    }
    const status = await this.schedule();
    for (const t of targets) await this.control(t).finishRun(this.conn(t), this.runId, status, this.now()).catch(() => undefined);
    return status;
  }

  /** Runs ready steps, `workers` at a time; largest copies first so the long pole starts early. */
  private async schedule(): Promise<RunStatus> {
    const steps = this.graph.steps;
    const state = new Map<string, 'pending' | 'running' | StepOutcome | 'blocked'>(steps.map((s) => [s.id, 'pending']));
    const estimate = (s: Step) => (s.table === undefined ? undefined : this.mappingsById.get(s.table))?.source.rowEstimate ?? 0;
    const order = [...steps].sort((a, b) => (a.kind === 'copy' && b.kind === 'copy' ? estimate(b) - estimate(a) : 0));
    const workers = Math.max(1, this.graph.migration.workers);
    const stopOnError = this.graph.migration.onError === 'stop';
    let failed = 0;
    /** A step failed under on_error = stop: nothing more is changed. */
    let stoppedByError = false;
    /** Ctrl-C, max_rejects or the run lock lost: nothing more starts at all. */
    let halted = false;
    const running = new Set<Promise<void>>();

    const buildsFirst = buildsBeforeValidation(steps, this.mappingsById);
    // Once the run has stopped for an error, a build not started never will be: nothing to wait for.
    const buildState = (id: string) => (stoppedByError && state.get(id) === 'pending' ? 'blocked' : state.get(id));
    const ready = (s: Step) => state.get(s.id) === 'pending' && s.dependsOn.every((d) => state.get(d) === 'done') && !waitsForBuilds(buildsFirst.get(s.id), buildState);
    const blockDependents = () => {
      let changed = true;
      while (changed) {
        changed = false;
        for (const s of steps) {
          if (state.get(s.id) === 'pending' && s.dependsOn.some((d) => state.get(d) === 'failed' || state.get(d) === 'blocked')) {
            state.set(s.id, 'blocked');
            changed = true;
          }
        }
      }
    };

    for (;;) {
      if (this.stopRequested()) halted = true;
      if (!halted) {
        for (const s of order) {
          if (running.size >= workers) break;
          // After a failure, a validation still runs once what it waits for is done: it changes
          // nothing, and says what the tables already copied hold (a table whose unique key was
          // refused for duplicates, say, when its counts matter most).
          if (stoppedByError && s.kind !== 'validate') continue;
          if (!ready(s)) continue;
          state.set(s.id, 'running');
          const p: Promise<void> = this.runStep(s).then(
            (outcome) => {
              state.set(s.id, outcome);
              if (outcome === 'failed') {
                failed++;
                if (stopOnError) stoppedByError = true;
                blockDependents();
              }
              running.delete(p);
            },
            () => {
              state.set(s.id, 'failed');
              failed++;
              running.delete(p);
            },
          );
          running.add(p);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }

    const done = [...state.values()].filter((s) => s === 'done').length;
    const notRun = steps.length - done - failed;
    // A Ctrl-C that came while the last steps were finishing cut nothing short: the run is complete
    // (it said "interrupted, 0 not run" and exited 130, asking for a resume with nothing to resume).
    const cutShort = this.options.cancelled() && notRun > 0;
    let status: RunStatus = cutShort ? 'interrupted' : failed > 0 || notRun > 0 || this.rejectLimitHit ? 'failed' : 'ok';
    let followNote = '';
    if (this.captures.length && status === 'ok') ({ status, note: followNote } = await this.followChanges());
    // A copy this run did not reach still counts what earlier runs loaded and rejected, so the
    // totals (and the count max_rejects stopped at) take in every row the target holds.
    for (const step of this.graph.steps) {
      if (step.kind !== 'copy' || step.table === undefined || this.tables.has(step.table) || !this.chunked.get(step.endpoint)?.has(step.fingerprint)) continue;
      await this.restoreTotals(step).catch(() => undefined);
    }
    const tables: TableTotals[] = this.graph.tables
      .filter((t) => this.tables.has(t.id))
      .map((t) => {
        const s = this.tables.get(t.id)!;
        return { table: t.id, target: `${t.target.schema ? `${t.target.schema}.` : ''}${t.target.table}`, source: `${t.source.endpoint}.${t.source.schema ? `${t.source.schema}.` : ''}${t.source.table}`, rowsRead: s.rowsRead, rowsWritten: s.rowsWritten, rowsRejected: s.rowsRejected, seconds: s.seconds, validation: s.validation };
      });
    const rejected = tables.reduce((n, t) => n + t.rowsRejected, 0);
    const mismatches = tables.filter((t) => t.validation === 'mismatch').length;
    const limit = this.rejectLimitHit ? ` Stopped because ${this.rejectedRows} rows were rejected, more than max_rejects = ${this.graph.migration.maxRejects}.` : '';
    const message = this.summaryMessage(status, done, failed, notRun, rejected, mismatches) + limit + followNote;
    this.emit({ type: 'summary', status, seconds: (Date.now() - this.started) / 1000, tables, stepsDone: done, stepsFailed: failed, stepsNotRun: notRun, message });
    return status;
  }

  private summaryMessage(status: RunStatus, done: number, failed: number, notRun: number, rejected: number, mismatches: number): string {
    const rejectNote = rejected ? ` ${rejected} row(s) rejected: see ${this.rejectsTables()}.` : '';
    const mismatchNote = mismatches ? ` ${mismatches} table(s) failed validation.` : '';
    switch (status) {
      case 'ok':
        return `Apply complete: ${done} steps done.${rejectNote}${mismatchNote}`;
      case 'failed':
        return `Apply failed: ${done} steps done, ${failed} failed, ${notRun} not run.${rejectNote} Fix the cause and run apply again: finished steps and chunks are kept.`;
      case 'interrupted':
        return `Apply interrupted: ${done} steps done, ${notRun} not run.${rejectNote} Run the same apply again to resume where it stopped.`;
      default: {
        const never: never = status;
        return never;
      }
    }
  }

  private rejectsTables(): string {
    return this.graph.endpoints
      .filter((e) => e.role === 'target')
      .map((e) => `${e.name}: ${this.control(e.name).rejectsTable()}`)
      .join(', ');
  }

  /** 'stopped': cut short by Ctrl-C or the reject limit — not run, rather than failed (it resumes). */
  private async runStep(step: Step): Promise<StepOutcome> {
    const done = this.completed.get(step.endpoint);
    // An identity reset is idempotent and cheap, and a copy that ran again (a merge source resumed
    // or re-mapped) may have written larger keys since it was recorded: it always runs. So does a
    // schema's IF NOT EXISTS: a schema dropped by hand since is made again, not trusted to be there.
    // A view is planned only where the target lacks it (a table it reads dropped it, say), and
    // its statement makes the same view again over itself.
    const trusted = !OBJECT_DDL.has(step.kind) || this.completedByThisPlan.get(step.endpoint)?.has(step.fingerprint) === true;
    if (done?.has(step.fingerprint) && trusted && !ALWAYS_RUNS.has(step.kind) && (!REMAKES_TABLE.has(step.kind) || (await this.targetTableExists(step)))) {
      this.emit({ type: 'step_skip', id: step.id, reason: 'done in an earlier run' });
      if (step.kind === 'validate' && step.table) this.validated.add(step.table);
      if (step.kind === 'copy') await this.restoreTotals(step);
      return 'done';
    }
    const t0 = Date.now();
    this.emit({ type: 'step_start', id: step.id, kind: step.kind, table: step.table });
    try {
      // A target restarting (or a dropped connection) in the middle of a step costs a retry, not the
      // run: DDL steps are single statements or guarded, copies resume after their last chunk.
      await this.retryStep(step, () => this.perform(step));
      await this.retryStep(step, () => this.control(step.endpoint).recordStep(this.conn(step.endpoint), { fingerprint: step.fingerprint, id: step.id, runId: this.runId, at: this.now() }));
      const copied = step.kind === 'copy' && step.table !== undefined ? this.tables.get(step.table) : undefined;
      this.emit({ type: 'step_finish', id: step.id, seconds: (Date.now() - t0) / 1000, ...(copied ? { rows: { read: copied.rowsRead, written: copied.rowsWritten, rejected: copied.rowsRejected } } : {}) });
      return 'done';
    } catch (err) {
      if (err instanceof CancelledError) return 'stopped';
      const e = err as { kind?: string; dbCode?: string };
      this.emit({
        type: 'step_fail',
        id: step.id,
        table: step.table,
        chunk: err instanceof ChunkFailedError ? err.chunk : undefined,
        error: { message: describeError(err, this.urls), kind: typeof e.kind === 'string' ? e.kind : 'internal', dbCode: typeof e.dbCode === 'string' ? e.dbCode : undefined },
      });
      return 'failed';
    }
  }

  private retryStep(step: Step, work: () => Promise<void>): Promise<void> {
    return retryTransient(work, {
      retries: STEP_RETRIES,
      firstDelayMs: 1000,
      onRetry: (err, delay, attempt, attempts) =>
        this.emit({ type: 'log', level: 'warn', message: `${step.id}: ${describeError(err, this.urls)} — retrying the step in ${delay / 1000}s (attempt ${attempt} of ${attempts})` }),
    });
  }

  private async perform(step: Step): Promise<void> {
    switch (step.kind) {
      case 'copy':
        return this.copy(step);
      case 'map_keys':
        return this.mapKeys(step);
      case 'validate':
        return this.validate(step);
      case 'drop_table':
      case 'truncate_table':
      case 'create_table':
        // What an earlier run did to this table is void once it is emptied or made anew: forget it,
        // so its copy starts afresh and its keys, indexes and validation run again.
        await this.forgetTableSteps(step);
        return this.conn(step.endpoint).execute(step.sql);
      case 'add_foreign_key':
        return this.addForeignKey(step);
      case 'create_schema':
      case 'create_types':
      case 'add_primary_key':
      case 'add_unique_key':
      case 'create_index':
      case 'reset_identity':
      case 'create_view':
      case 'refresh_materialized_view':
      case 'create_sequence':
      case 'create_function':
      case 'create_trigger':
      case 'enable_row_security':
        return this.conn(step.endpoint).execute(step.sql);
      default: {
        const never: never = step.kind;
        return never;
      }
    }
  }

  private mapping(step: Step): TableMapping {
    const t = step.table === undefined ? undefined : this.mappingsById.get(step.table);
    if (!t) throw new Error(`bug: step ${step.id} has no table mapping`);
    return t;
  }

  /** Whether the step's target table exists now (a transient failure to tell is thrown, not guessed). */
  private async targetTableExists(step: Step): Promise<boolean> {
    const table = step.table === undefined ? undefined : this.mappingsById.get(step.table);
    const endpoint = this.graph.endpoints.find((e) => e.name === step.endpoint);
    const engine = endpoint ? findEngine(endpoint.engine) : undefined;
    if (!table || !engine) return false;
    try {
      await this.conn(step.endpoint).query(`SELECT 1 FROM ${engine.dialect.qualify({ schema: table.target.schema, name: table.target.table })} WHERE 1 = 0`);
      return true;
    } catch (err) {
      if (isTransient(err)) throw err;
      return false;
    }
  }

  /**
   * Forgets what earlier runs recorded of the steps on the same target table (all members of a
   * merge): of this plan's steps, and of every earlier version of the plan (another filter, other
   * columns, another offset) — a record of a copy into the table as it was before would otherwise
   * make a later plan skip that copy, with other rows in the table.
   */
  private async forgetTableSteps(step: Step): Promise<void> {
    const target = this.targetTableOf(step);
    const table = step.table === undefined ? undefined : this.mappingsById.get(step.table);
    if (target === undefined || table === undefined) return;
    const done = this.completed.get(step.endpoint);
    const chunked = this.chunked.get(step.endpoint);
    const earlier = this.earlierRecords.get(step.endpoint);
    // Only records an earlier run left: the table's other steps all come after this one, so this
    // run has recorded none of them yet (and a fresh target has nothing to forget). A step of this
    // run that made the table (a drop before this create) keeps its record: a resumed saved plan
    // finds its table and skips it.
    const ofThisPlan = (this.stepsOfTarget.get(target) ?? []).filter((s) => s !== step && s.endpoint === step.endpoint && (done?.has(s.fingerprint) || chunked?.has(s.fingerprint))).map((s) => s.fingerprint);
    const ref = targetTableRef(table.target);
    const ofEarlierVersions = [...(earlier ?? [])].filter(([fp, id]) => fp !== step.fingerprint && stepIdIsOnTable(id, ref)).map(([fp]) => fp);
    const recorded = [...new Set([...ofThisPlan, ...ofEarlierVersions])];
    if (recorded.length === 0) return;
    await this.control(step.endpoint).forgetSteps(this.conn(step.endpoint), recorded);
    for (const fp of recorded) {
      this.rejectedEarlier.delete(fp);
      done?.delete(fp);
      chunked?.delete(fp);
      earlier?.delete(fp);
    }
  }

  private targetTableOf(step: Step): string | undefined {
    const t = step.table === undefined ? undefined : this.mappingsById.get(step.table);
    return t ? JSON.stringify([t.target.endpoint, t.target.schema ?? '', t.target.table]) : undefined;
  }

  private tableState(id: string): TableState {
    let s = this.tables.get(id);
    if (!s) {
      s = { rowsRead: 0, rowsWritten: 0, rowsRejected: 0, seconds: 0, validation: undefined, copy: undefined };
      this.tables.set(id, s);
    }
    return s;
  }

  private restoreTotals(step: Step): Promise<void> {
    return this.restoreTotalsOf(this.mapping(step), step.endpoint, step.fingerprint);
  }

  private async restoreTotalsOf(table: TableMapping, endpoint: string, copyFingerprint: string): Promise<void> {
    const chunks = await this.control(endpoint).chunks(this.conn(endpoint), copyFingerprint);
    const s = this.tableState(table.id);
    s.rowsWritten = chunks.reduce((n, c) => n + c.rowsWritten, 0);
    s.rowsRejected = chunks.reduce((n, c) => n + c.rowsRejected, 0);
    s.rowsRead = s.rowsWritten + s.rowsRejected;
    s.copy = { rowsRead: s.rowsRead, rowsWritten: s.rowsWritten, rowsRejected: s.rowsRejected, chunks };
  }

  private async copy(step: Step): Promise<void> {
    const table = this.mapping(step);
    const target = this.graph.endpoints.find((e) => e.name === table.target.endpoint);
    const engine = target ? findEngine(target.engine) : undefined;
    if (!engine) throw new Error(`bug: no target engine for ${table.id}`);
    const sourcePlan = this.graph.endpoints.find((e) => e.name === table.source.endpoint);
    const sourceEngine = sourcePlan ? findEngine(sourcePlan.engine) : undefined;
    const t0 = Date.now();
    // Before this copy takes its own lane: what the merge decides may read every source's keys.
    const program = await this.mergeProgram(table, compileRowProgram(table, engine));
    const snapshot = await this.snapshot(table.source.endpoint);
    const control = this.control(table.target.endpoint);
    // Before any chunk: a later version of the plan that makes this table anew must find this copy.
    await control.recordCopyStarted(this.conn(table.target.endpoint), { fingerprint: step.fingerprint, id: step.id, runId: this.runId, at: this.now() });
    const lane = await this.takeLane(table.source.endpoint);
    try {
      const result = await copyTable({
        table,
        stepFingerprint: step.fingerprint,
        program,
        snapshot,
        lane,
        target: this.conn(table.target.endpoint),
        control: this.control(table.target.endpoint),
        runId: this.runId,
        emit: (e) => this.emit(e),
        now: () => this.now(),
        cancelled: this.stopRequested,
        batchRows: 2000,
        // As the plan chose and showed it (older saved plans name none: decoded rows).
        passthrough: table.copyPath === 'passthrough',
        rawRows: table.copyPath === 'raw_rows',
        checksums: this.graph.migration.validate === 'checksums',
        parallel: sourceEngine && snapshot.lanesAgree !== false ? chunksAtOnce(sourceEngine, engine, this.graph.migration.workers) : 1,
        moreLanes: (max) => this.takeFreeLanes(table.source.endpoint, max),
        releaseLanes: (lanes) => {
          for (const l of lanes) this.releaseLane(table.source.endpoint, l);
        },
      });
      const s = this.tableState(table.id);
      s.rowsRead = result.rowsRead;
      s.rowsWritten = result.rowsWritten;
      s.rowsRejected = result.rowsRejected;
      s.seconds = (Date.now() - t0) / 1000;
      s.copy = result;
    } catch (err) {
      // Stopped or failed: the summary still says how far the copy got (its committed chunks).
      await this.restoreTotals(step).catch(() => undefined);
      this.tableState(table.id).seconds = (Date.now() - t0) / 1000;
      throw err;
    } finally {
      this.releaseLane(table.source.endpoint, lane);
    }
  }

  /**
   * Adds a foreign key. When the target refuses it for its data, the child rows whose referenced
   * row is missing (rejected on its way in, filtered out, or orphans in the source) move to the
   * rejects table — source by source, recorded as adjustments of their copies — and the key is
   * added again. The common case costs nothing more than the ALTER.
   */
  private async addForeignKey(step: Step): Promise<void> {
    const conn = this.conn(step.endpoint);
    // Declared with the table (SQLite, which enforces nothing while loading): only the rows whose
    // parent is missing are looked for.
    if (step.sql.length === 0) {
      await this.sweepForeignKeyOrphans(step);
      return;
    }
    // Added without the server's check (MySQL would copy the table for it): the rows whose parent
    // is missing go to the rejects table first, so the key holds when it is added.
    if (step.orphansFirst) {
      await this.sweepForeignKeyOrphans(step);
      await conn.execute(step.sql);
      return;
    }
    try {
      await conn.execute(step.sql);
      return;
    } catch (err) {
      if (!(err instanceof EngineError) || err.kind !== 'data') throw err;
      // The sweep may find nothing to move: another foreign key of the table, refused for the same
      // rows at the same moment, moved them first (its sweep and this one take turns). The key is
      // added again all the same; a refusal now is the server's last word.
      await this.sweepForeignKeyOrphans(step);
    }
    await conn.execute(step.sql);
  }

  private async sweepForeignKeyOrphans(step: Step): Promise<number> {
    const owner = this.mapping(step);
    const fk = owner.targetDef.foreignKeys.find((f) => f.name === step.summary);
    if (!fk) throw new Error(`bug: step ${step.id} names no foreign key of ${owner.id}`);
    const engine = this.targetEngine(owner);
    const child = { schema: owner.target.schema, name: owner.target.table };
    const parent = { schema: fk.referencedSchema === '' ? owner.target.schema : fk.referencedSchema, name: fk.referencedTable };
    const members = this.graph.tables.filter((t) => t.target.endpoint === owner.target.endpoint && t.target.table === owner.target.table && (t.target.schema ?? '') === (owner.target.schema ?? ''));
    const parents = this.graph.tables.filter((t) => t.target.endpoint === owner.target.endpoint && t.target.table === parent.name && (t.target.schema ?? '') === (parent.schema ?? ''));
    // Taken with the child's validations, which must see the table either before or after.
    return this.exclusive(tableKeyOf(owner), async () => {
      const sweepMembers = [];
      for (const m of members) {
        const slice = m.merge ? await this.withSource(m, (snapshot, lane) => sliceWhere(m, snapshot, lane, engine.dialect)) : undefined;
        // Filed under the copy's fingerprint, also when the copy ran in an earlier run (a resume).
        sweepMembers.push({ mapping: m, program: compileRowProgram(m, engine), copyFingerprint: copyStepFingerprint(m), slice });
      }
      const swept = await sweepOrphans({
        child,
        parent,
        fk,
        members: sweepMembers,
        why: await this.missingParentReason(parents, fk, step.endpoint),
        target: this.conn(step.endpoint),
        dialect: engine.dialect,
        control: this.control(step.endpoint),
        runId: this.runId,
        now: () => this.now(),
        allowance: this.graph.migration.maxRejects === undefined ? undefined : Math.max(0, this.graph.migration.maxRejects - this.rejectedRows),
      }).catch((err: unknown) => {
        if (err instanceof RejectLimitError) {
          this.rejectLimitHit = true;
          this.emit({ type: 'log', level: 'error', message: err.message });
        }
        throw err;
      });
      let moved = 0;
      for (const s of swept) {
        moved += s.rows;
        this.rejectedInThisRun += s.rows;
        for (const r of s.examples) this.emit({ type: 'reject', table: s.mapping.id, key: r.key, column: r.column, value: r.value, reason: r.reason });
        this.emit({ type: 'log', level: 'warn', message: `${describeTarget(s.mapping)}${s.mapping.merge ? ` (from ${sourceTableName(s.mapping)})` : ''}: ${groupThousands(s.rows)} row(s) moved to ${this.control(step.endpoint).rejectsTable()}: they point at no row of ${parent.schema ? `${parent.schema}.` : ''}${parent.name}, so foreign key ${fk.name} (${fk.columns.join(', ')}) could not be added with them` });
        await this.restoreTotalsOf(s.mapping, step.endpoint, copyStepFingerprint(s.mapping));
        // A validation already made saw the rows that are now rejects: it is made again.
        if (this.validated.has(s.mapping.id)) await this.validateNow(s.mapping, step.endpoint);
      }
      return moved;
    });
  }

  /**
   * What the run knows of why a parent row is missing: the keys the parent's copy rejected (when
   * the foreign key names the parent's source key, and there are not too many), else the causes
   * the plan allows.
   */
  private async missingParentReason(parents: readonly TableMapping[], fk: ForeignKeyCatalog, endpoint: string): Promise<{ rejected: ReadonlySet<string> | undefined; otherwise: string }> {
    if (parents.length === 0) return { rejected: undefined, otherwise: 'the referenced table is not loaded by this plan' };
    const filtered = parents.filter((p) => p.where !== undefined).map((p) => `${p.source.schema}.${p.source.table}`);
    const parent = parents.length === 1 && !parents[0]!.merge ? parents[0]! : undefined;
    const keyColumns = parent?.sourceKey.map((k) => parent.columns.find((c) => c.source.kind === 'column' && c.source.name === k)?.target);
    const namesKey = keyColumns !== undefined && keyColumns.length === fk.referencedColumns.length && keyColumns.every((c, i) => c === fk.referencedColumns[i]);
    const rejected = parent && namesKey ? await this.control(endpoint).rejectedKeys(this.conn(endpoint), copyStepFingerprint(parent), PARENT_REJECTS_LOOKED_UP) : undefined;
    // The source matched under a collation that ignores case or trailing spaces (DMS3459): not an orphan there, maybe.
    const loosely = fk.looseOnSource !== undefined ? `, or has one only equal to it under the source's collation ${fk.looseOnSource}, which ignores case or trailing spaces (the target compares exactly)` : '';
    if (filtered.length) return { rejected, otherwise: `the plan's where on ${filtered.join(', ')} leaves that row out, or the source has no such row${loosely}` };
    if (rejected) return { rejected, otherwise: `${parent!.source.schema}.${parent!.source.table} has no such row in the source${loosely ? loosely : ' (an orphan there)'}` };
    return { rejected, otherwise: `the referenced row was rejected on its way in, or is missing in the source${loosely ? loosely : ' (an orphan there)'}` };
  }

  /** Runs `work` while no other work on the same key runs (validations and orphan sweeps of one table). */
  private exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.locks.get(key) ?? Promise.resolve();
    const result = before.then(work, work);
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, settled);
    return result;
  }

  private targetEngine(table: TableMapping): EngineModule {
    const target = this.graph.endpoints.find((e) => e.name === table.target.endpoint);
    const engine = target ? findEngine(target.engine) : undefined;
    if (!engine) throw new Error(`bug: no target engine for ${table.id}`);
    return engine;
  }

  private async validate(step: Step): Promise<void> {
    const table = this.mapping(step);
    if (this.graph.migration.validate === 'none') return;
    await this.exclusive(tableKeyOf(table), () => this.validateNow(table, step.endpoint));
  }

  private async validateNow(table: TableMapping, endpoint: string): Promise<void> {
    const level = this.graph.migration.validate;
    if (level === 'none') return;
    this.validated.add(table.id);
    const s = this.tableState(table.id);
    const chunks = s.copy?.chunks ?? (await this.control(endpoint).chunks(this.conn(endpoint), copyStepFingerprint(table)));
    const engine = this.targetEngine(table);
    const program = compileRowProgram(table, engine);
    const snapshot = await this.snapshot(table.source.endpoint);
    const lane = await this.takeLane(table.source.endpoint);
    try {
      const outcome = await validateTable(level, table, program, chunks, snapshot, lane, this.conn(table.target.endpoint), engine.dialect).catch((err: unknown) => {
        throw this.snapshotLost(err, table.source.endpoint) ?? err;
      });
      s.validation = outcome.ok ? 'ok' : 'mismatch';
      this.emit({ type: 'validation', table: table.id, level, ...outcome });
      await this.control(endpoint).recordValidation(this.conn(endpoint), { runId: this.runId, table: table.id, level, ...outcome, at: this.now() });
      if (!outcome.ok) throw new ValidationMismatch(`${table.id}: validation failed: ${outcome.detail}`);
    } finally {
      this.releaseLane(table.source.endpoint, lane);
    }
  }

  /**
   * A source failure that lost the connection of the run's snapshot (its backend terminated, the
   * server restarted): no retry in this run can read that snapshot again, so it is said once and
   * not retried — retrying the step only failed the same way three more times. Undefined for any
   * other failure.
   */
  private snapshotLost(err: unknown, source: string): EngineError | undefined {
    const endpoint = this.connections.get(source)?.connection.endpoint;
    if (!(err instanceof EngineError) || !isTransient(err) || endpoint === undefined || err.endpoint !== endpoint) return undefined;
    return new EngineError(`reading source ${source} failed: ${err.message} — its snapshot is lost; run apply again to validate from a new one (loaded rows are kept)`, 'query', err.dbCode, err.endpoint);
  }

  /**
   * The row program of a merge member with what the merge decides per row: on an offset merge with
   * on_conflict other than reject, rows whose key this member loses become rejections. The
   * collisions are read once per merge and run, from the run's snapshots.
   */
  private async mergeProgram(table: TableMapping, compiled: RowProgram): Promise<RowProgram> {
    // New keys of a surrogate merge, and foreign keys rewritten through a parent merge's key map.
    const program = usesKeyMaps(table) ? await withKeyMaps(compiled, table, (map, source) => loadKeyMap(this.conn(table.target.endpoint), this.control(table.target.endpoint), map, source)) : compiled;
    const merge = table.merge;
    if (!merge || !resolvesConflicts(table)) return program;
    const members = this.graph.tables.filter((t) => t.merge?.name === merge.name).sort((a, b) => a.merge!.index - b.merge!.index);
    let collisions = this.mergeCollisions.get(merge.name);
    if (!collisions) {
      collisions = readMergeOverlaps(members, this.withSource).then((o) => o.collisions);
      this.mergeCollisions.set(merge.name, collisions);
    }
    return guardConflicts(program, table, members, await collisions);
  }

  /** A surrogate merge's key map: every source row of every member gets its new key before any copy. */
  private async mapKeys(step: Step): Promise<void> {
    const first = this.mapping(step);
    const members = this.graph.tables.filter((t) => t.merge?.name === first.merge?.name).sort((a, b) => a.merge!.index - b.merge!.index);
    const report = await mapMergeKeys({
      members,
      withSource: this.withSource,
      target: this.conn(step.endpoint),
      control: this.control(step.endpoint),
      runId: this.runId,
      cancelled: this.stopRequested,
    });
    const where = this.control(step.endpoint).keyMapTable();
    for (const r of report) this.emit({ type: 'log', level: 'info', message: `merge ${first.merge?.name}: ${r.source}: ${r.mapped} keys in ${where}${r.added === r.mapped ? '' : ` (${r.added} new)`}` });
  }

  /** Work on one read lane of a member's source, released afterwards (never held while waiting for another). */
  private readonly withSource: WithSource = async (member, work) => {
    const snapshot = await this.snapshot(member.source.endpoint);
    const lane = await this.takeLane(member.source.endpoint);
    try {
      return await work(snapshot, lane);
    } finally {
      this.releaseLane(member.source.endpoint, lane);
    }
  };

  /** One consistent snapshot per source for the whole run, with one lane per worker. */
  private snapshot(endpoint: string): Promise<SourceSnapshot> {
    let s = this.snapshots.get(endpoint);
    if (!s) {
      const lanes = Math.max(1, this.graph.migration.workers);
      s = this.conn(endpoint).snapshot(lanes);
      this.snapshots.set(endpoint, s);
      this.freeLanes.set(endpoint, Array.from({ length: lanes }, (_, i) => i));
    }
    return s;
  }

  private async takeLane(endpoint: string): Promise<number> {
    for (;;) {
      const free = this.freeLanes.get(endpoint)!;
      const lane = free.shift();
      if (lane !== undefined) return lane;
      await new Promise<void>((resolve) => {
        const list = this.laneWaiters.get(endpoint) ?? [];
        list.push(resolve);
        this.laneWaiters.set(endpoint, list);
      });
    }
  }

  /** Up to `max` lanes that are free right now (none when other steps hold them all). */
  private takeFreeLanes(endpoint: string, max: number): number[] {
    const free = this.freeLanes.get(endpoint);
    return free && max > 0 ? free.splice(0, max) : [];
  }

  private releaseLane(endpoint: string, lane: number): void {
    this.freeLanes.get(endpoint)!.push(lane);
    this.laneWaiters.get(endpoint)?.shift()?.();
  }

  async closeSnapshots(mode: ClosingMode): Promise<void> {
    for (const s of this.snapshots.values()) await s.then((x) => x.close(mode)).catch(() => undefined);
    for (const c of this.captures) await c.capture.close().catch(() => undefined);
  }

  /** Opens each source's change capture; the full load then reads the snapshot the stream starts after. */
  private async prepareCapture(): Promise<RunStatus | undefined> {
    try {
      const lanes = Math.max(1, this.graph.migration.workers);
      this.captures = await prepareCaptures({
        graph: this.graph,
        endpoints: this.resolvedEndpoints,
        env: this.options.env,
        connection: (e) => this.conn(e),
        control: (e) => this.control(e),
        lanes,
        runId: this.runId,
        now: () => this.now(),
      });
      for (const c of this.captures) {
        if (!c.snapshot) continue;
        this.snapshots.set(c.source, Promise.resolve(c.snapshot));
        this.freeLanes.set(c.source, Array.from({ length: lanes }, (_, i) => i));
      }
      return undefined;
    } catch (err) {
      const message = `change data capture cannot start: ${describeError(err, this.urls)}`;
      this.emit({ type: 'log', level: 'error', message });
      this.emit({ type: 'summary', status: 'failed', seconds: (Date.now() - this.started) / 1000, tables: [], stepsDone: 0, stepsFailed: 0, stepsNotRun: this.graph.steps.length, message });
      return 'failed';
    }
  }

  /** After the full load: follow every source until stopped (or caught up, with untilCaughtUp). */
  private async followChanges(): Promise<{ status: RunStatus; note: string }> {
    // The full load's snapshots are not needed any more: let the source forget them.
    for (const [endpoint, s] of this.snapshots) {
      this.snapshots.delete(endpoint);
      await s.then((x) => x.close()).catch(() => undefined);
    }
    try {
      const results = await Promise.all(
        this.captures.map((c) =>
          follow({
            source: c.source,
            planName: this.graph.migration.name,
            captureName: c.captureName,
            capture: c.capture,
            setup: c.setup,
            targets: c.targets,
            resumed: c.resumed || this.graph.steps.every((s) => s.kind !== 'copy'),
            runId: this.runId,
            emit: (e) => this.emit(e),
            now: () => this.now(),
            cancelled: this.options.cancelled,
            untilCaughtUp: this.options.untilCaughtUp === true,
          }),
        ),
      );
      await this.advanceIdentities();
      if (results.every((r) => r === 'caught_up')) return { status: 'ok', note: ' Changes followed until caught up.' };
      return { status: 'interrupted', note: ' Following stopped; run the same apply again to resume from the last applied change.' };
    } catch (err) {
      const message = describeError(err, this.urls);
      this.emit({ type: 'log', level: 'error', message: `following changes failed: ${message}` });
      return { status: 'failed', note: ` Following changes failed: ${message}` };
    }
  }

  /**
   * Once following stops: identities and sequences past every row the target now has. The changes
   * wrote the source's values; the reset after the load only counted the rows loaded then, so the
   * target would hand out numbers the source already used as soon as it takes inserts (cutover).
   */
  private async advanceIdentities(): Promise<void> {
    for (const t of this.graph.tables) {
      const d = this.targetEngine(t).dialect;
      const qname = { schema: t.target.schema, name: t.target.table };
      const sql = t.targetDef.columns.flatMap((c) => [
        ...(c.identity ? d.resetIdentity(qname, c.name, c.identityNext, t.targetDef) : []),
        ...(c.default?.kind === 'sequence' && c.default.shared ? (d.setSequence?.(qname, c.name, c.default.shared) ?? []) : []),
      ]);
      if (sql.length) await this.conn(t.target.endpoint).execute(sql);
    }
  }
}

type StepOutcome = 'done' | 'failed' | 'stopped';

/** Whole-step retries on transient errors (a copy's chunks also retry on their own). */
const STEP_RETRIES = 3;

/** Steps that run again on a resume although recorded as done: idempotent, cheap, and their effect may be gone. */
// A materialized view's refresh too: on a resume its create_view made it again, empty.
// A function's and a trigger's too: a table made again on a resume lost its triggers.
const ALWAYS_RUNS: ReadonlySet<Step['kind']> = new Set(['reset_identity', 'create_schema', 'create_view', 'refresh_materialized_view', 'create_sequence', 'create_function', 'create_trigger']);

/**
 * Keys, indexes and foreign keys. A fresh plan has such a step only where the target lacks the
 * object (a foreign key dropped with the table it referenced, say): a record of an earlier plan's
 * run that made it once must not skip it. A record of a run of this same plan is a resume (a saved
 * plan applied again after a stop), and is trusted.
 */
const OBJECT_DDL: ReadonlySet<Step['kind']> = new Set(['add_primary_key', 'add_unique_key', 'create_index', 'add_foreign_key']);

/**
 * Steps that make a table afresh. A record that one is done is trusted only while the table is
 * there: a table dropped by hand after a finished run, or dropped by a fresh plan's drop_table after
 * a killed run's create_table, is made again (and its other steps' records are voided). A saved
 * plan resumed after a stop finds its table and skips them.
 */
const REMAKES_TABLE: ReadonlySet<Step['kind']> = new Set(['drop_table', 'truncate_table', 'create_types', 'create_table']);

class ValidationMismatch extends Error {
  readonly kind = 'validation';
}

/**
 * How many chunks of one table are copied at once. Only between server engines (a file engine has
 * one connection), and no more than the machine's cores: with one stream, the target parses while
 * the source waits and the other way round, and a core stays idle.
 */
function chunksAtOnce(source: EngineModule, target: EngineModule, workers: number): number {
  const servers = (e: EngineModule) => e.capabilities.snapshot === 'exported' || e.capabilities.snapshot === 'consistent_snapshot_txn';
  if (!servers(source) || !servers(target)) return 1;
  return Math.max(1, Math.min(workers, availableParallelism()));
}

/** One target table, whichever mapping (merge source) writes it. */
function tableKeyOf(t: TableMapping): string {
  return JSON.stringify([t.target.endpoint, t.target.schema ?? '', t.target.table]);
}


/** Rejected parent keys held in memory to say "that row was rejected"; past it the reason is general. */
const PARENT_REJECTS_LOOKED_UP = 100_000;

function describeTarget(t: TableMapping): string {
  return `${t.target.schema ? `${t.target.schema}.` : ''}${t.target.table}`;
}
