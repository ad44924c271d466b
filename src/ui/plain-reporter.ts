/**
 * Plain line reporter for logs, pipes and CI: one line per thing that happened, a progress line
 * per running copy every PROGRESS_EVERY_MS, and at the end the same summary table as the live
 * view. No escape codes at all unless `color` (a TTY without NO_COLOR).
 */
import type { CliIO } from '../cli/io.js';
import type { ExecEvent } from '../exec/events.js';
import { formatCount, formatDuration, formatRate, formatSeconds, percent, rowsOfEstimate } from './format.js';
import type { Reporter } from './reporter.js';
import { initialState, reduce, rowsShown, type CdcView, type TableView, type UiState } from './state.js';
import { outcomeHeadline, summaryTableLines } from './summary-table.js';

export const PROGRESS_EVERY_MS = 5000;

export interface PlainReporterOptions {
  readonly color: boolean;
  /** Milliseconds; tests pass their own clock. */
  readonly now?: () => number;
}

export function createPlainReporter(io: CliIO, options: PlainReporterOptions): Reporter {
  const now = options.now ?? Date.now;
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const green = (s: string) => paint('32', s);
  const red = (s: string) => paint('31', s);
  const yellow = (s: string) => paint('33', s);
  const dim = (s: string) => paint('2', s);
  let state: UiState = initialState;
  /** Per table: when its last progress line (or its start) was printed. */
  const lastProgressLine = new Map<string, number>();

  const show = (e: ExecEvent, before: UiState, at: number): void => {
    switch (e.type) {
      case 'version':
        return;
      case 'plan':
        out(`Applying ${e.name} (${e.mode}): ${e.steps.length} steps, plan ${e.fingerprint.slice(0, 12)}`);
        for (const ep of state.header?.endpoints ?? []) out(`  ${ep.role.padEnd(6)} ${ep.name} ${ep.engine} ${ep.url}`);
        return;
      case 'run_start':
        if (e.resumed) out('Resuming: steps and chunks finished by an earlier run are skipped.');
        return;
      case 'step_start': {
        if (e.kind !== 'copy' || e.table === undefined) return;
        const t = state.tables[e.table];
        lastProgressLine.set(e.table, at);
        out(`  ▸ copy ${t?.target ?? e.table}${t ? dim(` (~${formatCount(t.estimate)} rows)`) : ''}`);
        return;
      }
      case 'step_skip':
        out(dim(`  = ${e.id} (${e.reason})`));
        return;
      case 'step_finish': {
        const step = state.steps.find((s) => s.id === e.id);
        const t = step?.kind === 'copy' && step.table !== undefined ? state.tables[step.table] : undefined;
        if (t) {
          lastProgressLine.delete(t.id);
          const rejected = t.rowsRejected ? `, ${formatCount(t.rowsRejected)} rejected` : '';
          out(`  ${green('✓')} ${t.target}: ${formatCount(t.rowsWritten)} rows${rejected} in ${formatSeconds(e.seconds)} ${dim(`(${formatRate(t.rowsPerSecond)})`)}`);
        } else out(`  ${green('✓')} ${e.id} ${dim(formatSeconds(e.seconds))}`);
        return;
      }
      case 'step_fail':
        if (e.table !== undefined) lastProgressLine.delete(e.table);
        err(`  ${red('✗')} ${e.id}: ${e.error.message}`);
        return;
      case 'table_progress': {
        const t = state.tables[e.table];
        if (!t || t.state !== 'copying') return;
        const last = lastProgressLine.get(e.table) ?? before.tables[e.table]?.startedAt ?? at;
        if (!lastProgressLine.has(e.table)) lastProgressLine.set(e.table, last);
        if (at - last < PROGRESS_EVERY_MS) return;
        lastProgressLine.set(e.table, at);
        out(dim(`    … ${progressLine(t)}`));
        return;
      }
      case 'chunk_finish':
        return;
      case 'reject':
        err(yellow(`  ! rejected ${state.tables[e.table]?.target ?? e.table} (${e.key})${e.column ? ` column ${e.column}` : ''}${e.value !== undefined ? ` = ${e.value}` : ''}: ${e.reason}`));
        return;
      case 'validation': {
        const target = state.tables[e.table]?.target ?? e.table;
        if (e.ok) out(`  ${green('✓')} validate ${target} (${e.level}): ${e.detail}`);
        else err(`  ${red('✗')} validate ${target} (${e.level}): ${e.detail}`);
        return;
      }
      case 'cdc_start':
        out(`Following changes of ${e.source} (${e.tables} table${e.tables === 1 ? '' : 's'}) ${e.resumed ? 'from' : 'starting at'} ${e.position}`);
        return;
      case 'cdc_progress': {
        // A line when the follower catches up or falls behind, else at most every PROGRESS_EVERY_MS.
        const key = `cdc:${e.source}`;
        const wasCaughtUp = before.cdc[e.source]?.caughtUp;
        const last = lastProgressLine.get(key) ?? -Infinity;
        if (wasCaughtUp === e.caughtUp && at - last < PROGRESS_EVERY_MS) return;
        lastProgressLine.set(key, at);
        out(dim(`    ⟳ ${cdcLine(e)}`));
        return;
      }
      case 'log':
        if (e.level === 'info') out(e.message);
        else err(`${e.level === 'warn' ? yellow('warning') : red('error')}: ${e.message}`);
        return;
      case 'summary': {
        out('');
        if (e.tables.length) for (const line of summaryTableLines(e)) out(line);
        const headline = outcomeHeadline(e.status);
        const write = e.status === 'ok' ? out : err;
        if (e.tables.length) out('');
        write(e.status === 'ok' ? green(headline) : e.status === 'failed' ? red(headline) : yellow(headline));
        write(`${e.message} (${formatSeconds(e.seconds)})`);
        return;
      }
      default: {
        const never: never = e;
        return never;
      }
    }
  };

  return {
    sink(e) {
      const at = now();
      const before = state;
      state = reduce(state, e, at);
      show(e, before, at);
    },
    async close() {},
  };
}

/** `dw.chinook.track: 1,234 / ~3,503 rows (35%) · 2,345 rows/s · ETA 0:01`. */
export function progressLine(t: TableView): string {
  const rows = rowsShown(t);
  const total = Math.max(t.estimate, rows);
  const facts = [`${rowsOfEstimate(rows, t.estimate, t.rowsStreaming > 0)} (${percent(total > 0 ? rows / total : 0)})`, formatRate(t.rowsPerSecond), `ETA ${formatDuration(t.etaSeconds)}`];
  if (t.rowsRejected) facts.push(`${formatCount(t.rowsRejected)} rejected`);
  return `${t.target}: ${facts.join(' · ')}`;
}

/** `shop: caught up · lag 0.4 s · 3 behind · 120 changes/s · 1,234 changes in 56 transactions`. */
export function cdcLine(c: Pick<CdcView, 'source' | 'transactions' | 'changes' | 'rejected' | 'lagSeconds' | 'eventsBehind' | 'changesPerSecond' | 'caughtUp'>): string {
  const facts = [
    c.caughtUp ? 'caught up' : 'catching up',
    `lag ${c.lagSeconds < 10 ? c.lagSeconds.toFixed(1) : Math.round(c.lagSeconds)} s`,
    `${formatCount(c.eventsBehind)} behind`,
    `${formatCount(Math.round(c.changesPerSecond))} changes/s`,
    `${formatCount(c.changes)} changes in ${formatCount(c.transactions)} transactions`,
  ];
  if (c.rejected) facts.push(`${formatCount(c.rejected)} rejected`);
  return `${c.source}: ${facts.join(' · ')}`;
}
