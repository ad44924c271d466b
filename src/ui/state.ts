/**
 * What every apply view shows, as one value: a pure reducer over ExecEvents. The Ink view, the
 * plain reporter and the tests all read this state, so they agree on rates, ETAs and counts.
 *
 * Pure: no clock of its own. The caller passes `at` (milliseconds) with each event; the reducer
 * only ever moves `now` forward, so an out-of-order clock cannot make elapsed time run backwards.
 * Row counts shown are monotonic: a chunk retried after a transient error re-reads rows the
 * display has already counted, and a bar that jumps backwards reads as a bug to the user.
 */
import { redactUrl } from '../engines/url.js';
import type { EventError, ExecEvent, TableTotals } from '../exec/events.js';
import type { StepKind } from '../plan/graph.js';

export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

/** The order in which steps of one table run; views group steps by it. */
export type Phase = 'schema' | 'data' | 'constraints' | 'validation';
export const PHASES: readonly Phase[] = ['schema', 'data', 'constraints', 'validation'];

export function phaseOf(kind: StepKind): Phase {
  switch (kind) {
    case 'create_schema':
    case 'create_types':
    case 'drop_table':
    case 'truncate_table':
    case 'create_table':
    case 'create_function':
      return 'schema';
    case 'map_keys':
    case 'copy':
      return 'data';
    case 'add_primary_key':
    case 'add_unique_key':
    case 'create_index':
    case 'add_foreign_key':
    case 'reset_identity':
    case 'create_view':
    case 'refresh_materialized_view':
    case 'create_sequence':
    case 'create_trigger':
    case 'enable_row_security':
      return 'constraints';
    case 'validate':
      return 'validation';
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export interface StepView {
  readonly id: string;
  readonly kind: StepKind;
  readonly phase: Phase;
  readonly table: string | undefined;
  readonly summary: string;
  readonly state: StepState;
  readonly seconds: number | undefined;
  readonly error: EventError | undefined;
}

/** `stopped`: the run was interrupted mid-copy; the next run resumes it after its last chunk. */
export type TableCopyState = 'waiting' | 'copying' | 'done' | 'skipped' | 'failed' | 'stopped';

interface RateSample {
  readonly at: number;
  readonly rows: number;
}

export interface ValidationView {
  readonly level: 'counts' | 'checksums';
  readonly ok: boolean;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly rejectedRows: number;
  readonly detail: string;
}

export interface TableView {
  readonly id: string;
  /** `schema.table` on the target: what users recognise. */
  readonly target: string;
  readonly estimate: number;
  /** Whether the plan copies rows into it at all (some mappings only add keys or indexes). */
  readonly copied: boolean;
  readonly state: TableCopyState;
  readonly rowsRead: number;
  /**
   * Rows of chunks still streaming, estimated from their bytes (the binary passthrough counts a
   * chunk's rows when it commits): progress, rates and ETAs count them, totals do not.
   */
  readonly rowsStreaming: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly bytes: number;
  readonly chunksDone: number;
  readonly chunks: number | undefined;
  readonly startedAt: number | undefined;
  readonly finishedAt: number | undefined;
  /** The copy step's own duration, as the executor measured it, once finished. */
  readonly seconds: number | undefined;
  /** Rows read per second over the last RATE_WINDOW_MS; undefined until it can be measured. */
  readonly rowsPerSecond: number | undefined;
  /** Seconds left at the current rate to reach the estimate; undefined when unknown. */
  readonly etaSeconds: number | undefined;
  readonly samples: readonly RateSample[];
  readonly validation: ValidationView | undefined;
}

export interface RejectView {
  readonly table: string;
  readonly target: string;
  readonly key: string;
  readonly column: string | undefined;
  readonly value: string | undefined;
  readonly reason: string;
}

export interface EndpointView {
  readonly name: string;
  readonly role: 'source' | 'target';
  readonly engine: string;
  /** Already redacted by the executor; redacted again here in case a caller forgot. */
  readonly url: string;
}

export interface HeaderView {
  readonly name: string;
  readonly mode: string;
  readonly fingerprint: string;
  readonly endpoints: readonly EndpointView[];
}

/** Lines that, once shown, never change: the Ink view prints them above the live area. */
export type FeedItem =
  | { readonly key: string; readonly kind: 'resumed' }
  | { readonly key: string; readonly kind: 'table_done'; readonly table: TableView }
  | { readonly key: string; readonly kind: 'step_failed'; readonly step: StepView }
  | { readonly key: string; readonly kind: 'validation_failed'; readonly target: string; readonly validation: ValidationView }
  | { readonly key: string; readonly kind: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

export type Summary = Extract<ExecEvent, { type: 'summary' }>;

/** Change data capture of one source: where its stream stands, lag and rates. */
export interface CdcView {
  readonly source: string;
  readonly position: string;
  readonly resumed: boolean;
  readonly tables: number;
  readonly transactions: number;
  readonly changes: number;
  readonly rejected: number;
  readonly lagSeconds: number;
  readonly eventsBehind: number;
  readonly changesPerSecond: number;
  readonly caughtUp: boolean;
}

export interface UiState {
  readonly version: string | undefined;
  readonly header: HeaderView | undefined;
  readonly runId: string | undefined;
  readonly resumed: boolean;
  /** `at` of the first event: elapsed time counts from here. */
  readonly startedAt: number | undefined;
  readonly now: number | undefined;
  readonly steps: readonly StepView[];
  readonly tables: Readonly<Record<string, TableView>>;
  /** Table ids in plan order. */
  readonly tableOrder: readonly string[];
  /** Rows rejected so far, all tables (the executor sends only the first few as events). */
  readonly rejectedRows: number;
  readonly rejectEvents: number;
  readonly recentRejects: readonly RejectView[];
  readonly feed: readonly FeedItem[];
  /** Change data capture, per source endpoint (empty for full loads). */
  readonly cdc: Readonly<Record<string, CdcView>>;
  readonly summary: Summary | undefined;
}

export const RATE_WINDOW_MS = 5000;
/** Samples closer together than this are merged: the window stays small at any event rate. */
const SAMPLE_SPACING_MS = 100;
export const RECENT_REJECTS = 5;

export const initialState: UiState = {
  version: undefined,
  header: undefined,
  runId: undefined,
  resumed: false,
  startedAt: undefined,
  now: undefined,
  steps: [],
  tables: {},
  tableOrder: [],
  rejectedRows: 0,
  rejectEvents: 0,
  recentRejects: [],
  feed: [],
  cdc: {},
  summary: undefined,
};

/** Advances the clock only (the views re-render elapsed time between events). */
export function tick(state: UiState, at: number): UiState {
  const now = Math.max(state.now ?? at, at);
  return now === state.now && state.startedAt !== undefined ? state : { ...state, now, startedAt: state.startedAt ?? at };
}

export function reduce(state: UiState, event: ExecEvent, at: number): UiState {
  const s = tick(state, at);
  const now = s.now!;
  switch (event.type) {
    case 'version':
      return { ...s, version: event.version };
    case 'plan':
      return applyPlan(s, event);
    case 'run_start':
      return {
        ...s,
        runId: event.runId,
        resumed: event.resumed,
        feed: event.resumed && !s.resumed ? [...s.feed, { key: 'resumed', kind: 'resumed' }] : s.feed,
      };
    case 'step_start':
      return stepStarted(s, event.id, event.kind, event.table, now);
    case 'step_skip':
      return stepSkipped(s, event.id, now);
    case 'step_finish':
      return stepFinished(s, event.id, event.seconds, now, event.rows);
    case 'step_fail':
      return stepFailed(s, event.id, event.table, event.error, now);
    case 'table_progress':
      return withTable(s, event.table, (t) => {
        const rowsRead = Math.max(t.rowsRead, event.rowsRead);
        const rowsStreaming = event.rowsStreaming ?? 0;
        const samples = addSample(t.samples, { at: now, rows: rowsRead + rowsStreaming });
        const estimate = Math.max(t.estimate, event.estimate);
        const moved: TableView = {
          ...t,
          state: t.state === 'waiting' ? 'copying' : t.state,
          startedAt: t.startedAt ?? now,
          estimate,
          rowsRead,
          rowsStreaming,
          rowsWritten: Math.max(t.rowsWritten, event.rowsWritten),
          rowsRejected: Math.max(t.rowsRejected, event.rowsRejected),
          bytes: Math.max(t.bytes, event.bytes),
          samples,
        };
        return withRate(moved, now);
      });
    case 'chunk_finish':
      return withTable(s, event.table, (t) => ({ ...t, chunksDone: t.chunksDone + 1, chunks: Math.max(t.chunks ?? 0, event.chunks) }));
    case 'reject': {
      const target = s.tables[event.table]?.target ?? event.table;
      const reject: RejectView = { table: event.table, target, key: event.key, column: event.column, value: event.value, reason: event.reason };
      const rejectEvents = s.rejectEvents + 1;
      return {
        ...s,
        rejectEvents,
        rejectedRows: Math.max(s.rejectedRows, rejectEvents),
        recentRejects: [...s.recentRejects, reject].slice(-RECENT_REJECTS),
      };
    }
    case 'validation': {
      const validation: ValidationView = {
        level: event.level,
        ok: event.ok,
        sourceRows: event.sourceRows,
        targetRows: event.targetRows,
        rejectedRows: event.rejectedRows,
        detail: event.detail,
      };
      const next = withTable(s, event.table, (t) => ({ ...t, validation }));
      if (event.ok) return next;
      const target = next.tables[event.table]?.target ?? event.table;
      return { ...next, feed: [...next.feed, { key: `validation:${event.table}:${next.feed.length}`, kind: 'validation_failed', target, validation }] };
    }
    case 'log':
      return { ...s, feed: [...s.feed, { key: `log:${s.feed.length}`, kind: 'log', level: event.level, message: event.message }] };
    case 'cdc_start': {
      const view: CdcView = { source: event.source, position: event.position, resumed: event.resumed, tables: event.tables, transactions: 0, changes: 0, rejected: 0, lagSeconds: 0, eventsBehind: 0, changesPerSecond: 0, caughtUp: false };
      const message = `Following changes of ${event.source} (${event.tables} table${event.tables === 1 ? '' : 's'}) ${event.resumed ? 'from' : 'starting at'} ${event.position}`;
      return { ...s, cdc: { ...s.cdc, [event.source]: view }, feed: [...s.feed, { key: `log:${s.feed.length}`, kind: 'log', level: 'info', message }] };
    }
    case 'cdc_progress': {
      const before = s.cdc[event.source];
      const { type: _type, ...facts } = event;
      return { ...s, cdc: { ...s.cdc, [event.source]: { resumed: before?.resumed ?? false, tables: before?.tables ?? 0, ...facts } } };
    }
    case 'summary': {
      const rejected = event.tables.reduce((n, t) => n + t.rowsRejected, 0);
      return {
        ...s,
        summary: event,
        rejectedRows: Math.max(s.rejectedRows, rejected),
        steps: s.steps.map((x) => (x.state === 'running' ? { ...x, state: 'pending' } : x)),
        tables: settleTables(s.tables, event.tables, event.status === 'interrupted' ? 'stopped' : 'failed', now),
      };
    }
    default: {
      const never: never = event;
      return never;
    }
  }
}

function applyPlan(s: UiState, e: Extract<ExecEvent, { type: 'plan' }>): UiState {
  const copiedTables = new Set(e.steps.filter((x) => x.kind === 'copy' && x.table !== undefined).map((x) => x.table!));
  const tables: Record<string, TableView> = {};
  for (const t of e.tables) {
    tables[t.id] = s.tables[t.id] ?? {
      id: t.id,
      target: t.target,
      estimate: Math.max(0, t.rowEstimate),
      copied: copiedTables.has(t.id),
      state: 'waiting',
      rowsRead: 0,
      rowsStreaming: 0,
      rowsWritten: 0,
      rowsRejected: 0,
      bytes: 0,
      chunksDone: 0,
      chunks: undefined,
      startedAt: undefined,
      finishedAt: undefined,
      seconds: undefined,
      rowsPerSecond: undefined,
      etaSeconds: undefined,
      samples: [],
      validation: undefined,
    };
  }
  const known = new Map(s.steps.map((x) => [x.id, x]));
  return {
    ...s,
    header: { name: e.name, mode: e.mode, fingerprint: e.fingerprint, endpoints: e.endpoints.map((p) => ({ ...p, url: redactUrl(p.url) })) },
    steps: [
      ...e.steps.map(
        (x): StepView => known.get(x.id) ?? { id: x.id, kind: x.kind, phase: phaseOf(x.kind), table: x.table, summary: x.summary, state: 'pending', seconds: undefined, error: undefined },
      ),
      // Steps heard of before the plan (never in practice) are kept: a step never disappears.
      ...s.steps.filter((x) => !e.steps.some((p) => p.id === x.id)),
    ],
    tables,
    tableOrder: e.tables.map((t) => t.id),
  };
}

function updateStep(s: UiState, id: string, change: (step: StepView) => StepView, create: () => StepView | undefined): UiState {
  const index = s.steps.findIndex((x) => x.id === id);
  if (index < 0) {
    const made = create();
    return made ? { ...s, steps: [...s.steps, made] } : s;
  }
  const steps = s.steps.slice();
  steps[index] = change(steps[index]!);
  return { ...s, steps };
}

/** A step never leaves a final state: a late or duplicate event must not un-finish it. */
const isFinal = (state: StepState) => state === 'done' || state === 'skipped' || state === 'failed';

function stepStarted(s: UiState, id: string, kind: StepKind, table: string | undefined, now: number): UiState {
  const next = updateStep(
    s,
    id,
    (x) => (isFinal(x.state) ? x : { ...x, state: 'running' }),
    () => ({ id, kind, phase: phaseOf(kind), table, summary: id, state: 'running', seconds: undefined, error: undefined }),
  );
  if (kind !== 'copy' || table === undefined) return next;
  return withTable(next, table, (t) => (t.state === 'waiting' ? { ...t, state: 'copying', startedAt: t.startedAt ?? now } : t));
}

function stepSkipped(s: UiState, id: string, now: number): UiState {
  const next = updateStep(s, id, (x) => (isFinal(x.state) ? x : { ...x, state: 'skipped' }), () => undefined);
  const step = next.steps.find((x) => x.id === id);
  if (!step || step.kind !== 'copy' || step.table === undefined) return next;
  return withTable(next, step.table, (t) => (t.state === 'waiting' ? { ...t, state: 'skipped', finishedAt: now, etaSeconds: undefined } : t));
}

function stepFinished(s: UiState, id: string, seconds: number, now: number, rows: { readonly read: number; readonly written: number; readonly rejected: number } | undefined): UiState {
  const next = updateStep(s, id, (x) => (isFinal(x.state) ? x : { ...x, state: 'done', seconds }), () => undefined);
  const step = next.steps.find((x) => x.id === id);
  if (!step || step.kind !== 'copy' || step.table === undefined) return next;
  const before = next.tables[step.table];
  if (!before || before.state === 'done') return next;
  // The live counts only ever grow; the finished table shows what was committed — fewer, when a
  // chunk the target refused was redone in careful mode after its first attempt had been counted.
  const committed = (t: TableView): TableView => (rows ? { ...t, rowsRead: rows.read, rowsWritten: rows.written, rowsRejected: rows.rejected } : t);
  const finished = withTable(next, step.table, (t) => committed({ ...t, state: 'done', finishedAt: now, seconds, etaSeconds: undefined, rowsStreaming: 0, rowsPerSecond: averageRate(t, seconds) }));
  const table = finished.tables[step.table]!;
  return { ...finished, feed: [...finished.feed, { key: `table:${table.id}`, kind: 'table_done', table }] };
}

function stepFailed(s: UiState, id: string, tableId: string | undefined, error: EventError, now: number): UiState {
  const next = updateStep(
    s,
    id,
    (x) => (isFinal(x.state) ? x : { ...x, state: 'failed', error }),
    () => ({ id, kind: 'copy', phase: 'data', table: tableId, summary: id, state: 'failed', seconds: undefined, error }),
  );
  const step = next.steps.find((x) => x.id === id)!;
  const withFeed: UiState = { ...next, feed: [...next.feed, { key: `fail:${id}:${next.feed.length}`, kind: 'step_failed', step: { ...step, error } }] };
  if (step.kind !== 'copy' || step.table === undefined) return withFeed;
  return withTable(withFeed, step.table, (t) => (t.state === 'copying' || t.state === 'waiting' ? { ...t, state: 'failed', finishedAt: now, etaSeconds: undefined } : t));
}

function withTable(s: UiState, id: string, change: (t: TableView) => TableView): UiState {
  const table = s.tables[id];
  if (!table) return s;
  const changed = change(table);
  const rejectedRows = Math.max(s.rejectedRows, s.rejectedRows + changed.rowsRejected - table.rowsRejected);
  return { ...s, tables: { ...s.tables, [id]: changed }, rejectedRows };
}

function addSample(samples: readonly RateSample[], sample: RateSample): readonly RateSample[] {
  const last = samples[samples.length - 1];
  const kept = last && sample.at - last.at < SAMPLE_SPACING_MS && samples.length > 1 ? samples.slice(0, -1) : samples.slice();
  kept.push(sample);
  // Keep one sample at or before the window's start so the window spans the full period.
  let firstInWindow = 0;
  while (firstInWindow + 1 < kept.length && kept[firstInWindow + 1]!.at <= sample.at - RATE_WINDOW_MS) firstInWindow++;
  return kept.slice(firstInWindow);
}

function withRate(t: TableView, now: number): TableView {
  const first = t.samples[0];
  const last = t.samples[t.samples.length - 1];
  let rate: number | undefined;
  if (first && last && last.at - first.at >= 250) rate = ((last.rows - first.rows) * 1000) / (last.at - first.at);
  else if (t.startedAt !== undefined && now - t.startedAt >= 250) rate = (rowsShown(t) * 1000) / (now - t.startedAt);
  else rate = t.rowsPerSecond;
  const left = t.estimate - rowsShown(t);
  const etaSeconds = rate !== undefined && rate > 0 ? Math.max(0, left) / rate : undefined;
  return { ...t, rowsPerSecond: rate, etaSeconds };
}

function averageRate(t: TableView, seconds: number): number | undefined {
  const rate = seconds > 0 ? t.rowsRead / seconds : Infinity;
  return Number.isFinite(rate) ? rate : t.rowsPerSecond;
}

/** The summary holds the executor's own totals: they win over what progress events suggested. */
function settleTables(
  tables: Readonly<Record<string, TableView>>,
  totals: readonly TableTotals[],
  unfinished: 'stopped' | 'failed',
  now: number,
): Readonly<Record<string, TableView>> {
  const out: Record<string, TableView> = { ...tables };
  for (const [id, t] of Object.entries(tables)) {
    if (t.state === 'copying') out[id] = { ...t, state: unfinished, finishedAt: now, etaSeconds: undefined, rowsStreaming: 0 };
  }
  for (const total of totals) {
    const t = out[total.table];
    if (!t) continue;
    out[total.table] = {
      ...t,
      rowsRead: Math.max(t.rowsRead, total.rowsRead),
      rowsWritten: Math.max(t.rowsWritten, total.rowsWritten),
      rowsRejected: Math.max(t.rowsRejected, total.rowsRejected),
    };
  }
  return out;
}


// ── Selectors: derived values the views share ───────────────────────────────────────────────

/** The rows a progress bar shows: those counted, and an estimate of those still streaming. */
export function rowsShown(t: TableView): number {
  return t.rowsRead + t.rowsStreaming;
}

export interface PhaseView {
  readonly phase: Phase;
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  readonly running: readonly StepView[];
}

export function phasesOf(state: UiState): readonly PhaseView[] {
  return PHASES.map((phase) => {
    const steps = state.steps.filter((x) => x.phase === phase);
    return {
      phase,
      total: steps.length,
      done: steps.filter((x) => x.state === 'done').length,
      skipped: steps.filter((x) => x.state === 'skipped').length,
      failed: steps.filter((x) => x.state === 'failed').length,
      running: steps.filter((x) => x.state === 'running'),
    };
  }).filter((p) => p.total > 0);
}

export function runningTables(state: UiState): readonly TableView[] {
  return state.tableOrder.map((id) => state.tables[id]!).filter((t) => t.state === 'copying');
}

export interface OverallView {
  /** Rows read so far over every table the plan copies (skipped copies count as complete). */
  readonly rowsDone: number;
  /** The sum of estimates, raised where a table already read more than its estimate. */
  readonly rowsTotal: number;
  readonly fraction: number;
  readonly stepsDone: number;
  readonly stepsTotal: number;
  readonly rowsPerSecond: number | undefined;
  readonly etaSeconds: number | undefined;
}

export function overallOf(state: UiState): OverallView {
  let rowsDone = 0;
  let rowsTotal = 0;
  let rate = 0;
  let measured = false;
  for (const id of state.tableOrder) {
    const t = state.tables[id]!;
    if (!t.copied) continue;
    const total = Math.max(t.estimate, t.rowsRead);
    rowsTotal += total;
    rowsDone += t.state === 'skipped' || t.state === 'done' ? total : Math.min(total, rowsShown(t));
    if (t.state === 'copying' && t.rowsPerSecond !== undefined) {
      rate += t.rowsPerSecond;
      measured = true;
    }
  }
  const stepsDone = state.steps.filter((x) => x.state === 'done' || x.state === 'skipped').length;
  const fraction = rowsTotal > 0 ? Math.min(1, rowsDone / rowsTotal) : state.steps.length > 0 ? stepsDone / state.steps.length : 0;
  return {
    rowsDone,
    rowsTotal,
    fraction,
    stepsDone,
    stepsTotal: state.steps.length,
    rowsPerSecond: measured ? rate : undefined,
    etaSeconds: measured && rate > 0 ? Math.max(0, rowsTotal - rowsDone) / rate : undefined,
  };
}

export function elapsedSeconds(state: UiState): number {
  if (state.summary) return state.summary.seconds;
  if (state.startedAt === undefined || state.now === undefined) return 0;
  return (state.now - state.startedAt) / 1000;
}

export function reduceAll(events: readonly ExecEvent[], startAt = 0, stepMs = 0): UiState {
  return events.reduce((s, e, i) => reduce(s, e, startAt + i * stepMs), initialState);
}
