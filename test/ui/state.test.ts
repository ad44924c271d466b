import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecEvent } from '../../src/exec/events.js';
import type { StepKind } from '../../src/plan/graph.js';
import {
  elapsedSeconds,
  initialState,
  overallOf,
  phaseOf,
  phasesOf,
  RATE_WINDOW_MS,
  RECENT_REJECTS,
  reduce,
  reduceAll,
  runningTables,
  tick,
  type UiState,
} from '../../src/ui/state.js';
import { ALBUM, completeEvents, failedEvents, interruptedEvents, planEvent, progress, runningEvents, TRACK } from './support/events.js';

describe('reduce: header and steps', () => {
  it('takes the header from the plan event and redacts passwords that reached it', () => {
    const s = reduce(initialState, planEvent, 0);
    expect(s.header?.name).toBe('chinook');
    expect(s.header?.mode).toBe('full_load');
    expect(s.header?.endpoints.map((e) => e.url)).toEqual(['mysql://root:***@127.0.0.1:3306/chinook', 'postgres://app:***@db.internal:5432/dw']);
    expect(JSON.stringify(s)).not.toContain('s3cret');
  });

  it('lists steps in plan order, pending, grouped by phase', () => {
    const s = reduce(initialState, planEvent, 0);
    expect(s.steps.map((x) => x.state)).toEqual(Array(8).fill('pending'));
    expect(phasesOf(s).map((p) => [p.phase, p.total])).toEqual([
      ['schema', 2],
      ['data', 2],
      ['constraints', 2],
      ['validation', 2],
    ]);
  });

  it('moves steps through running, done, skipped and failed, and never out of a final state', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, { type: 'step_start', id: 'create_table:dw.chinook.album', kind: 'create_table', table: ALBUM }, 10);
    expect(s.steps[0]!.state).toBe('running');
    expect(phasesOf(s)[0]!.running.map((x) => x.id)).toEqual(['create_table:dw.chinook.album']);
    s = reduce(s, { type: 'step_finish', id: 'create_table:dw.chinook.album', seconds: 0.1 }, 20);
    expect(s.steps[0]).toMatchObject({ state: 'done', seconds: 0.1 });
    s = reduce(s, { type: 'step_skip', id: 'create_table:dw.chinook.track', reason: 'done in an earlier run' }, 30);
    expect(s.steps[1]!.state).toBe('skipped');
    s = reduce(s, { type: 'step_start', id: 'create_table:dw.chinook.album', kind: 'create_table', table: ALBUM }, 40);
    expect(s.steps[0]!.state).toBe('done');
    const error = { message: 'boom', kind: 'data', dbCode: undefined };
    s = reduce(s, { type: 'step_fail', id: 'add_primary_key:dw.chinook.album', table: ALBUM, chunk: undefined, error }, 50);
    expect(s.steps[4]).toMatchObject({ state: 'failed', error });
    expect(s.feed.at(-1)).toMatchObject({ kind: 'step_failed' });
    const phases = phasesOf(s);
    expect(phases[0]).toMatchObject({ done: 1, skipped: 1 });
    expect(phases[2]).toMatchObject({ failed: 1 });
  });

  it('maps every step kind to a phase', () => {
    const kinds: StepKind[] = ['create_schema', 'create_types', 'drop_table', 'truncate_table', 'create_table', 'copy', 'add_primary_key', 'add_unique_key', 'create_index', 'add_foreign_key', 'reset_identity', 'validate'];
    expect(kinds.map(phaseOf)).toEqual(['schema', 'schema', 'schema', 'schema', 'schema', 'data', 'constraints', 'constraints', 'constraints', 'constraints', 'constraints', 'validation']);
  });
});

describe('reduce: copies', () => {
  it('tracks rows of the estimate, bytes, a rate over the window and an ETA', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, { type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK }, 1000);
    s = reduce(s, progress(TRACK, 1000, 3503, 0, 100), 2000);
    s = reduce(s, progress(TRACK, 2000, 3503, 0, 200), 3000);
    const t = s.tables[TRACK]!;
    expect(t).toMatchObject({ state: 'copying', rowsRead: 2000, rowsWritten: 2000, bytes: 200, estimate: 3503 });
    expect(t.rowsPerSecond).toBeCloseTo(1000);
    expect(t.etaSeconds).toBeCloseTo(1.503);
    expect(runningTables(s).map((x) => x.id)).toEqual([TRACK]);
  });

  it('smooths the rate over the last window only', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, { type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK }, 0);
    // 10 s at 100 rows/s, then 10 s at 1000 rows/s: the rate must follow the recent speed.
    let rows = 0;
    for (let at = 500; at <= 10_000; at += 500) s = reduce(s, progress(TRACK, (rows += 50), 1e9), at);
    expect(s.tables[TRACK]!.rowsPerSecond).toBeCloseTo(100);
    for (let at = 10_500; at <= 20_000; at += 500) s = reduce(s, progress(TRACK, (rows += 500), 1e9), at);
    expect(s.tables[TRACK]!.rowsPerSecond).toBeCloseTo(1000);
    expect(s.tables[TRACK]!.samples.length).toBeLessThanOrEqual(RATE_WINDOW_MS / 100 + 2);
  });

  it('keeps the sample window small however fast events come', () => {
    let s = reduce(initialState, planEvent, 0);
    for (let i = 1; i <= 5000; i++) s = reduce(s, progress(TRACK, i * 10, 3503), i);
    expect(s.tables[TRACK]!.samples.length).toBeLessThan(60);
    expect(s.tables[TRACK]!.rowsPerSecond).toBeCloseTo(10_000);
  });

  it('never shows counts going back when a retried chunk re-reads rows', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, progress(TRACK, 2000, 3503, 3), 100);
    s = reduce(s, progress(TRACK, 500, 3503, 0), 200);
    expect(s.tables[TRACK]).toMatchObject({ rowsRead: 2000, rowsRejected: 3 });
  });

  it('shows a finished copy with the rows it committed, below the live count when a refused attempt was counted', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, { type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK }, 50);
    s = reduce(s, progress(TRACK, 3503, 3503, 0), 100);
    s = reduce(s, { type: 'step_finish', id: 'copy:dw.chinook.track', seconds: 1, rows: { read: 3503, written: 3501, rejected: 2 } }, 200);
    expect(s.tables[TRACK]).toMatchObject({ state: 'done', rowsRead: 3503, rowsWritten: 3501, rowsRejected: 2 });
    const done = s.feed.find((f) => f.kind === 'table_done');
    expect(done?.kind === 'table_done' ? done.table.rowsWritten : undefined).toBe(3501);
  });

  it('counts rejects, keeps the last few, and freezes finished tables in the feed', () => {
    let s = reduceAll(runningEvents(), 0, 100);
    expect(s.rejectedRows).toBe(1);
    expect(s.recentRejects).toEqual([{ table: TRACK, target: 'chinook.track', key: 'track_id=1234', column: 'milliseconds', value: '-5', reason: 'value out of range for uint32' }]);
    for (let i = 0; i < 10; i++) s = reduce(s, { type: 'reject', table: TRACK, key: `k${i}`, column: undefined, value: undefined, reason: 'r' }, 5000);
    expect(s.recentRejects).toHaveLength(RECENT_REJECTS);
    expect(s.recentRejects.at(-1)!.key).toBe('k9');
    expect(s.rejectedRows).toBe(11);
    expect(s.feed.filter((f) => f.kind === 'table_done').map((f) => (f.kind === 'table_done' ? f.table.target : ''))).toEqual(['chinook.album']);
  });

  it('treats a skipped copy as complete in the overall progress', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, { type: 'step_skip', id: 'copy:dw.chinook.album', reason: 'done in an earlier run' }, 10);
    expect(s.tables[ALBUM]!.state).toBe('skipped');
    expect(overallOf(s)).toMatchObject({ rowsDone: 347, rowsTotal: 347 + 3503 });
  });

  it('computes overall progress over the sum of estimates, capped at 100%', () => {
    let s = reduceAll(runningEvents(), 0, 100);
    const o = overallOf(s);
    expect(o.rowsDone).toBe(347 + 2000);
    expect(o.rowsTotal).toBe(347 + 3503);
    expect(o.fraction).toBeCloseTo((347 + 2000) / (347 + 3503));
    s = reduce(s, progress(TRACK, 9000, 3503), 10_000);
    expect(overallOf(s).fraction).toBe(1);
  });
});

describe('reduce: validation, time, summary', () => {
  it('records validation results per table, and a failed one in the feed', () => {
    let s = reduce(initialState, planEvent, 0);
    s = reduce(s, { type: 'validation', table: ALBUM, level: 'counts', ok: true, sourceRows: 1, targetRows: 1, rejectedRows: 0, detail: 'ok' }, 1);
    s = reduce(s, { type: 'validation', table: TRACK, level: 'counts', ok: false, sourceRows: 2, targetRows: 1, rejectedRows: 0, detail: '1 row missing' }, 2);
    expect(s.tables[ALBUM]!.validation?.ok).toBe(true);
    expect(s.tables[TRACK]!.validation?.ok).toBe(false);
    expect(s.feed.map((f) => f.kind)).toEqual(['validation_failed']);
  });

  it('measures elapsed time from the first event, never backwards, and uses the summary at the end', () => {
    let s = reduce(initialState, planEvent, 10_000);
    s = tick(s, 13_000);
    expect(elapsedSeconds(s)).toBe(3);
    s = tick(s, 12_000);
    expect(elapsedSeconds(s)).toBe(3);
    s = reduceAll(completeEvents(), 0, 10);
    expect(elapsedSeconds(s)).toBe(3.2);
  });

  it('keeps the final summary and settles every table', () => {
    const s = reduceAll(completeEvents(), 0, 10);
    expect(s.summary?.status).toBe('ok');
    expect(s.steps.every((x) => x.state === 'done')).toBe(true);
    expect(runningTables(s)).toEqual([]);
    expect(overallOf(s).fraction).toBe(1);
  });

  it('stops showing an interrupted copy as running', () => {
    const s = reduceAll(interruptedEvents(), 0, 10);
    expect(s.summary?.status).toBe('interrupted');
    expect(runningTables(s)).toEqual([]);
    expect(s.tables[TRACK]!.state).toBe('stopped');
    expect(s.steps.some((x) => x.state === 'running')).toBe(false);
  });

  it('marks the failed copy and records its error', () => {
    const s = reduceAll(failedEvents(), 0, 10);
    expect(s.tables[TRACK]!.state).toBe('failed');
    expect(s.steps.find((x) => x.id === 'copy:dw.chinook.track')?.error?.dbCode).toBe('42P01');
  });

  it('ignores events about tables and steps it does not know rather than throwing', () => {
    let s = reduce(initialState, progress('nope', 5, 5), 0);
    s = reduce(s, { type: 'step_finish', id: 'nope', seconds: 1 }, 1);
    s = reduce(s, { type: 'chunk_finish', table: 'nope', chunk: 0, chunks: 1, rows: 1, rejected: 0 }, 2);
    expect(s.tables).toEqual({});
    expect(s.steps).toEqual([]);
  });
});

// ── Properties ──────────────────────────────────────────────────────────────────────────────

const tableIds = [ALBUM, TRACK, 'unknown table'];
const stepIds = [...planEvent.steps.map((x) => x.id), 'unknown step'];
const stepKinds: StepKind[] = ['create_table', 'copy', 'add_primary_key', 'validate', 'create_index'];
const count = fc.nat({ max: 1_000_000 });

const eventArb: fc.Arbitrary<ExecEvent> = fc.oneof(
  fc.constant<ExecEvent>(planEvent),
  fc.record({ type: fc.constant('run_start' as const), runId: fc.string(), resumed: fc.boolean(), at: fc.constant('2025-01-01T00:00:00Z') }),
  fc.record({ type: fc.constant('step_start' as const), id: fc.constantFrom(...stepIds), kind: fc.constantFrom(...stepKinds), table: fc.option(fc.constantFrom(...tableIds), { nil: undefined }) }),
  fc.record({ type: fc.constant('step_skip' as const), id: fc.constantFrom(...stepIds), reason: fc.string() }),
  fc.record({ type: fc.constant('step_finish' as const), id: fc.constantFrom(...stepIds), seconds: fc.double({ min: 0, max: 1e4, noNaN: true }) }),
  fc.record({
    type: fc.constant('step_fail' as const),
    id: fc.constantFrom(...stepIds),
    table: fc.option(fc.constantFrom(...tableIds), { nil: undefined }),
    chunk: fc.option(fc.nat(), { nil: undefined }),
    error: fc.record({ message: fc.string(), kind: fc.string(), dbCode: fc.option(fc.string(), { nil: undefined }) }),
  }),
  fc.record({ type: fc.constant('table_progress' as const), table: fc.constantFrom(...tableIds), rowsRead: count, rowsWritten: count, rowsRejected: count, bytes: count, estimate: count }),
  fc.record({ type: fc.constant('chunk_finish' as const), table: fc.constantFrom(...tableIds), chunk: fc.nat({ max: 100 }), chunks: fc.nat({ max: 100 }), rows: count, rejected: count }),
  fc.record({
    type: fc.constant('reject' as const),
    table: fc.constantFrom(...tableIds),
    key: fc.string(),
    column: fc.option(fc.string(), { nil: undefined }),
    value: fc.option(fc.string(), { nil: undefined }),
    reason: fc.string(),
  }),
  fc.record({
    type: fc.constant('validation' as const),
    table: fc.constantFrom(...tableIds),
    level: fc.constantFrom('counts' as const, 'checksums' as const),
    ok: fc.boolean(),
    sourceRows: count,
    targetRows: count,
    rejectedRows: count,
    detail: fc.string(),
  }),
  fc.record({ type: fc.constant('log' as const), level: fc.constantFrom('info' as const, 'warn' as const, 'error' as const), message: fc.string() }),
  fc.record({
    type: fc.constant('summary' as const),
    status: fc.constantFrom('ok' as const, 'failed' as const, 'interrupted' as const),
    seconds: fc.double({ min: 0, max: 1e5, noNaN: true }),
    tables: fc.array(
      fc.record({
        table: fc.constantFrom(...tableIds),
        target: fc.string(),
        rowsRead: count,
        rowsWritten: count,
        rowsRejected: count,
        seconds: fc.double({ min: 0, max: 1e4, noNaN: true }),
        validation: fc.constantFrom('ok' as const, 'mismatch' as const, 'skipped' as const, undefined),
      }),
      { maxLength: 3 },
    ),
    stepsDone: fc.nat(),
    stepsFailed: fc.nat(),
    stepsNotRun: fc.nat(),
    message: fc.string(),
  }),
);

/** Times that mostly move forward but sometimes jump back, as wall clocks do. */
const timedEvents = fc.array(fc.tuple(eventArb, fc.integer({ min: -1000, max: 5000 })), { maxLength: 80 });

const finished = (s: UiState) => s.steps.filter((x) => x.state === 'done' || x.state === 'skipped' || x.state === 'failed').length;

describe('reduce: properties', () => {
  it('never throws and only ever moves counts forward', () => {
    fc.assert(
      fc.property(timedEvents, (events) => {
        let s = reduce(initialState, planEvent, 0);
        let at = 0;
        for (const [event, dt] of events) {
          at += dt;
          const next = reduce(s, event, at);
          for (const id of Object.keys(s.tables)) {
            const a = s.tables[id]!;
            const b = next.tables[id]!;
            expect(b.rowsRead).toBeGreaterThanOrEqual(a.rowsRead);
            expect(b.rowsWritten).toBeGreaterThanOrEqual(a.rowsWritten);
            expect(b.rowsRejected).toBeGreaterThanOrEqual(a.rowsRejected);
            expect(b.chunksDone).toBeGreaterThanOrEqual(a.chunksDone);
          }
          expect(next.rejectedRows).toBeGreaterThanOrEqual(s.rejectedRows);
          expect(finished(next)).toBeGreaterThanOrEqual(finished(s));
          expect(next.now!).toBeGreaterThanOrEqual(s.now!);
          // <Static> prints each feed item once: the feed may only grow at its end.
          expect(next.feed.slice(0, s.feed.length)).toEqual(s.feed);
          const o = overallOf(next);
          expect(o.rowsDone).toBeGreaterThanOrEqual(overallOf(s).rowsDone);
          expect(o.fraction).toBeGreaterThanOrEqual(0);
          expect(o.fraction).toBeLessThanOrEqual(1);
          if (!next.summary) expect(elapsedSeconds(next)).toBeGreaterThanOrEqual(elapsedSeconds(s));
          expect(next.recentRejects.length).toBeLessThanOrEqual(RECENT_REJECTS);
          for (const t of Object.values(next.tables)) {
            if (t.rowsPerSecond !== undefined) expect(Number.isFinite(t.rowsPerSecond)).toBe(true);
            if (t.etaSeconds !== undefined) expect(t.etaSeconds).toBeGreaterThanOrEqual(0);
          }
          s = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not change the state it is given', () => {
    fc.assert(
      fc.property(timedEvents, (events) => {
        let s = reduce(initialState, planEvent, 0);
        for (const [event, dt] of events) {
          const frozen = JSON.stringify(s);
          const next = reduce(s, event, (s.now ?? 0) + dt);
          expect(JSON.stringify(s)).toBe(frozen);
          s = next;
        }
      }),
      { numRuns: 100 },
    );
  });
});
