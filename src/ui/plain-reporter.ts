/** Plain line reporter for logs and CI: steps as they finish, periodic progress, a summary table. */
import type { CliIO } from '../cli/io.js';
import type { ExecEvent, TableTotals } from '../exec/events.js';
import type { Reporter } from './reporter.js';

const PROGRESS_EVERY_MS = 5000;

export function createPlainReporter(io: CliIO, options: { color: boolean }): Reporter {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const err = (line: string) => io.stderr.write(`${line}\n`);
  const paint = (code: string, s: string) => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  let lastProgress = 0;
  const latest = new Map<string, Extract<ExecEvent, { type: 'table_progress' }>>();
  return {
    sink(e) {
      switch (e.type) {
        case 'version':
          return;
        case 'plan':
          out(`Applying ${e.name} (${e.mode}): ${e.steps.length} steps`);
          for (const ep of e.endpoints) out(`  ${ep.role} ${ep.name} ${ep.engine} ${ep.url}`);
          return;
        case 'run_start':
          if (e.resumed) out('Resuming: steps finished by an earlier run are skipped.');
          return;
        case 'step_start':
          return;
        case 'step_skip':
          out(paint('2', `  = ${e.id} (${e.reason})`));
          return;
        case 'step_finish':
          out(`  ${paint('32', '✓')} ${e.id} ${paint('2', `${e.seconds.toFixed(1)}s`)}`);
          return;
        case 'step_fail':
          err(`  ${paint('31', '✗')} ${e.id}: ${e.error.message}`);
          return;
        case 'table_progress': {
          latest.set(e.table, e);
          const now = Date.now();
          if (now - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now;
            for (const p of latest.values()) out(`    … ${p.table}: ${p.rowsWritten.toLocaleString('en-US')} of ~${p.estimate.toLocaleString('en-US')} rows`);
            latest.clear();
          }
          return;
        }
        case 'chunk_finish':
          return;
        case 'reject':
          err(paint('33', `  ! rejected ${e.table} key (${e.key})${e.column ? ` column ${e.column}` : ''}: ${e.reason}`));
          return;
        case 'validation':
          (e.ok ? out : err)(`  ${e.ok ? paint('32', '✓') : paint('31', '✗')} validate ${e.table}: ${e.detail}`);
          return;
        case 'log':
          (e.level === 'info' ? out : err)(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
          return;
        case 'summary':
          if (e.tables.length) out(renderSummaryTable(e.tables));
          (e.status === 'ok' ? out : err)(`${e.message} (${e.seconds.toFixed(1)}s)`);
          return;
        default: {
          const never: never = e;
          return never;
        }
      }
    },
    async close() {},
  };
}

export function renderSummaryTable(tables: readonly TableTotals[]): string {
  const header = ['table', 'read', 'written', 'rejected', 'seconds', 'rows/s', 'validation'];
  const rows = tables.map((t) => [
    t.target,
    String(t.rowsRead),
    String(t.rowsWritten),
    String(t.rowsRejected),
    t.seconds.toFixed(1),
    t.seconds > 0 ? String(Math.round(t.rowsWritten / t.seconds)) : '-',
    t.validation ?? '-',
  ]);
  const total = tables.reduce((a, t) => ({ r: a.r + t.rowsRead, w: a.w + t.rowsWritten, x: a.x + t.rowsRejected }), { r: 0, w: 0, x: 0 });
  rows.push(['total', String(total.r), String(total.w), String(total.x), '', '', '']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 || i === 6 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
