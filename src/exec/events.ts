/**
 * Everything `apply` reports, as data. One stream feeds the Ink view, the plain line reporter and
 * `--json` (newline-delimited); tests read it too. URLs in events are always redacted.
 */
import type { CopyPath } from '../check/copy-path.js';
import type { StepKind } from '../plan/graph.js';

export interface TableTotals {
  readonly table: string;
  readonly target: string;
  /** Where the rows came from, `endpoint.schema.table`: a merge loads one target from several. */
  readonly source?: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly seconds: number;
  readonly validation: 'ok' | 'mismatch' | 'skipped' | undefined;
}

export interface EventError {
  readonly message: string;
  readonly kind: string;
  readonly dbCode: string | undefined;
}

export type ExecEvent =
  | { readonly type: 'version'; readonly tool: 'dmsplan'; readonly version: string; readonly eventsFormat: 1 }
  | {
      readonly type: 'plan';
      readonly name: string;
      readonly mode: string;
      readonly fingerprint: string;
      readonly endpoints: readonly { readonly name: string; readonly role: 'source' | 'target'; readonly engine: string; readonly url: string }[];
      readonly steps: readonly { readonly id: string; readonly kind: StepKind; readonly table: string | undefined; readonly summary: string }[];
      readonly tables: readonly { readonly id: string; readonly target: string; readonly rowEstimate: number; readonly copyPath?: CopyPath }[];
    }
  | { readonly type: 'run_start'; readonly runId: string; readonly resumed: boolean; readonly at: string }
  | { readonly type: 'step_start'; readonly id: string; readonly kind: StepKind; readonly table: string | undefined }
  | { readonly type: 'step_skip'; readonly id: string; readonly reason: string }
  | {
      readonly type: 'step_finish';
      readonly id: string;
      readonly seconds: number;
      /** A copy's rows as committed (the live counts may still hold a refused attempt's). */
      readonly rows?: { readonly read: number; readonly written: number; readonly rejected: number };
    }
  | { readonly type: 'step_fail'; readonly id: string; readonly table: string | undefined; readonly chunk: number | undefined; readonly error: EventError }
  | {
      readonly type: 'table_progress';
      readonly table: string;
      readonly rowsRead: number;
      readonly rowsWritten: number;
      readonly rowsRejected: number;
      readonly bytes: number;
      readonly estimate: number;
      /** Rows of chunks still streaming, estimated from their bytes, not in `rowsRead` yet (binary passthrough only). */
      readonly rowsStreaming?: number;
    }
  | { readonly type: 'chunk_finish'; readonly table: string; readonly chunk: number; readonly chunks: number; readonly rows: number; readonly rejected: number }
  | { readonly type: 'reject'; readonly table: string; readonly key: string; readonly column: string | undefined; readonly value: string | undefined; readonly reason: string }
  | {
      readonly type: 'validation';
      readonly table: string;
      readonly level: 'counts' | 'checksums';
      readonly ok: boolean;
      readonly sourceRows: number;
      readonly targetRows: number;
      readonly rejectedRows: number;
      readonly detail: string;
    }
  /** Change data capture: a source's stream starts (after the full load, if any). */
  | { readonly type: 'cdc_start'; readonly source: string; readonly position: string; readonly resumed: boolean; readonly tables: number }
  /** Change data capture: a batch applied, or a periodic report while idle. Totals count since this run started. */
  | {
      readonly type: 'cdc_progress';
      readonly source: string;
      /** Source position of the last change applied (and stored with it). */
      readonly position: string;
      readonly transactions: number;
      readonly changes: number;
      readonly rejected: number;
      /** Seconds between the source commit of the last transaction applied and now; 0 when caught up. */
      readonly lagSeconds: number;
      /** Source transactions received and not yet applied. */
      readonly eventsBehind: number;
      /** Rows changed per second over the last report interval. */
      readonly changesPerSecond: number;
      readonly caughtUp: boolean;
    }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  | {
      readonly type: 'summary';
      readonly status: 'ok' | 'failed' | 'interrupted';
      readonly seconds: number;
      readonly tables: readonly TableTotals[];
      readonly stepsDone: number;
      readonly stepsFailed: number;
      readonly stepsNotRun: number;
      readonly message: string;
    };

export type EventSink = (event: ExecEvent) => void;
