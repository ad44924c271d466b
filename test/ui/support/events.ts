/** Canned ExecEvent sequences shaped like what the executor emits for a two-table plan. */
import type { ExecEvent, TableTotals } from '../../../src/exec/events.js';

export const ALBUM = 'shop.Chinook.Album -> dw.chinook.album';
export const TRACK = 'shop.Chinook.Track -> dw.chinook.track';

export const planEvent: Extract<ExecEvent, { type: 'plan' }> = {
  type: 'plan',
  name: 'chinook',
  mode: 'full_load',
  fingerprint: '0123456789abcdef0123',
  endpoints: [
    { name: 'shop', role: 'source', engine: 'mysql', url: 'mysql://root:***@127.0.0.1:3306/chinook' },
    // Not redacted on purpose: the view must redact whatever reaches it.
    { name: 'dw', role: 'target', engine: 'postgres', url: 'postgres://app:s3cret@db.internal:5432/dw?password=s3cret' },
  ],
  steps: [
    { id: 'create_table:dw.chinook.album', kind: 'create_table', table: ALBUM, summary: 'chinook.album' },
    { id: 'create_table:dw.chinook.track', kind: 'create_table', table: TRACK, summary: 'chinook.track' },
    { id: 'copy:dw.chinook.album', kind: 'copy', table: ALBUM, summary: 'chinook.album' },
    { id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK, summary: 'chinook.track' },
    { id: 'add_primary_key:dw.chinook.album', kind: 'add_primary_key', table: ALBUM, summary: 'album_pkey (album_id)' },
    { id: 'add_primary_key:dw.chinook.track', kind: 'add_primary_key', table: TRACK, summary: 'track_pkey (track_id)' },
    { id: 'validate:dw.chinook.album', kind: 'validate', table: ALBUM, summary: 'chinook.album' },
    { id: 'validate:dw.chinook.track', kind: 'validate', table: TRACK, summary: 'chinook.track' },
  ],
  tables: [
    { id: ALBUM, target: 'chinook.album', rowEstimate: 347 },
    { id: TRACK, target: 'chinook.track', rowEstimate: 3503 },
  ],
};

export const progress = (table: string, rowsRead: number, estimate: number, rowsRejected = 0, bytes = 0): ExecEvent => ({
  type: 'table_progress',
  table,
  rowsRead,
  rowsWritten: rowsRead - rowsRejected,
  rowsRejected,
  bytes,
  estimate,
});

/** Everything up to the middle of the track copy: album done, track half read, one reject. */
export function runningEvents(): ExecEvent[] {
  return [
    { type: 'version', tool: 'dmsplan', version: '0.1.0', eventsFormat: 1 },
    planEvent,
    { type: 'run_start', runId: 'run-1', resumed: false, at: '2025-01-01T00:00:00.000Z' },
    { type: 'step_start', id: 'create_table:dw.chinook.album', kind: 'create_table', table: ALBUM },
    { type: 'step_finish', id: 'create_table:dw.chinook.album', seconds: 0.02 },
    { type: 'step_start', id: 'create_table:dw.chinook.track', kind: 'create_table', table: TRACK },
    { type: 'step_finish', id: 'create_table:dw.chinook.track', seconds: 0.03 },
    { type: 'step_start', id: 'copy:dw.chinook.track', kind: 'copy', table: TRACK },
    { type: 'step_start', id: 'copy:dw.chinook.album', kind: 'copy', table: ALBUM },
    progress(ALBUM, 347, 347),
    { type: 'chunk_finish', table: ALBUM, chunk: 0, chunks: 1, rows: 347, rejected: 0 },
    { type: 'step_finish', id: 'copy:dw.chinook.album', seconds: 0.5 },
    progress(TRACK, 1000, 3503, 0, 120_000),
    progress(TRACK, 2000, 3503, 1, 240_000),
    { type: 'reject', table: TRACK, key: 'track_id=1234', column: 'milliseconds', value: '-5', reason: 'value out of range for uint32' },
  ];
}

export const trackTotals: TableTotals = { table: TRACK, target: 'chinook.track', rowsRead: 3503, rowsWritten: 3502, rowsRejected: 1, seconds: 2, validation: 'ok' };
export const albumTotals: TableTotals = { table: ALBUM, target: 'chinook.album', rowsRead: 347, rowsWritten: 347, rowsRejected: 0, seconds: 0.5, validation: 'ok' };

/** A whole successful run. */
export function completeEvents(): ExecEvent[] {
  return [
    ...runningEvents(),
    progress(TRACK, 3503, 3503, 1, 420_000),
    { type: 'chunk_finish', table: TRACK, chunk: 0, chunks: 1, rows: 3502, rejected: 1 },
    { type: 'step_finish', id: 'copy:dw.chinook.track', seconds: 2 },
    { type: 'step_start', id: 'add_primary_key:dw.chinook.album', kind: 'add_primary_key', table: ALBUM },
    { type: 'step_finish', id: 'add_primary_key:dw.chinook.album', seconds: 0.01 },
    { type: 'step_start', id: 'add_primary_key:dw.chinook.track', kind: 'add_primary_key', table: TRACK },
    { type: 'step_finish', id: 'add_primary_key:dw.chinook.track', seconds: 0.04 },
    { type: 'step_start', id: 'validate:dw.chinook.album', kind: 'validate', table: ALBUM },
    { type: 'validation', table: ALBUM, level: 'checksums', ok: true, sourceRows: 347, targetRows: 347, rejectedRows: 0, detail: '347 rows, checksums match' },
    { type: 'step_finish', id: 'validate:dw.chinook.album', seconds: 0.1 },
    { type: 'step_start', id: 'validate:dw.chinook.track', kind: 'validate', table: TRACK },
    { type: 'validation', table: TRACK, level: 'checksums', ok: true, sourceRows: 3503, targetRows: 3502, rejectedRows: 1, detail: '3502 rows + 1 rejected, checksums match' },
    { type: 'step_finish', id: 'validate:dw.chinook.track', seconds: 0.2 },
    {
      type: 'summary',
      status: 'ok',
      seconds: 3.2,
      tables: [albumTotals, trackTotals],
      stepsDone: 8,
      stepsFailed: 0,
      stepsNotRun: 0,
      message: 'Apply complete: 8 steps done. 1 row(s) rejected: see dw: _dmsplan.rejects.',
    },
  ];
}

/** Ctrl-C in the middle of the track copy. */
export function interruptedEvents(): ExecEvent[] {
  return [
    ...runningEvents(),
    {
      type: 'summary',
      status: 'interrupted',
      seconds: 1.4,
      tables: [albumTotals],
      stepsDone: 3,
      stepsFailed: 0,
      stepsNotRun: 5,
      message: 'Apply interrupted: 3 steps done, 5 not run. Run the same apply again to resume where it stopped.',
    },
  ];
}

/** The track copy fails on the target. */
export function failedEvents(): ExecEvent[] {
  return [
    ...runningEvents(),
    {
      type: 'step_fail',
      id: 'copy:dw.chinook.track',
      table: TRACK,
      chunk: undefined,
      error: { message: 'relation "chinook.track" does not exist', kind: 'query', dbCode: '42P01' },
    },
    {
      type: 'summary',
      status: 'failed',
      seconds: 1.6,
      tables: [albumTotals],
      stepsDone: 3,
      stepsFailed: 1,
      stepsNotRun: 4,
      message: 'Apply failed: 3 steps done, 1 failed, 4 not run. Fix the cause and run apply again: finished steps and chunks are kept.',
    },
  ];
}
