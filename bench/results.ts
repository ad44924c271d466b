/**
 * From run samples to the figures we publish (pure): best-of-N wall time per contestant, rows/s,
 * MB/s, the highest peak RSS seen, the ratios dmsplan / anchor, and the tables that print them.
 */
import type { ContestantId } from './contestants.js';

export interface RunSample {
  readonly contestant: ContestantId;
  readonly round: number;
  readonly wallSeconds: number;
  readonly peakRssKb: number | undefined;
  readonly exitCode: number;
  /** What the target lacks afterwards (rows, keys, FK) plus errors the tool printed; empty = complete. */
  readonly problems: readonly string[];
}

export interface ContestantInfo {
  readonly id: ContestantId;
  readonly label: string;
  readonly path: 'MySQL → PostgreSQL' | 'PostgreSQL → PostgreSQL';
}

export interface DataVolume {
  /** Rows of both tables together. */
  readonly rows: number;
  /** Source bytes (see servers.ts for how each engine counts them). */
  readonly bytes: number;
}

export interface ContestantSummary {
  readonly info: ContestantInfo;
  /** Exit 0 in at least one run. */
  readonly ran: boolean;
  readonly bestWallSeconds: number | undefined;
  readonly wallSeconds: readonly number[];
  readonly rowsPerSecond: number | undefined;
  readonly megabytesPerSecond: number | undefined;
  readonly peakRssMb: number | undefined;
  /** Distinct problems over all runs (failures first). */
  readonly notes: readonly string[];
}

export interface Ratio {
  readonly label: string;
  readonly wall: number | undefined;
  readonly memory: number | undefined;
}

export function summarise(info: ContestantInfo, samples: readonly RunSample[], volume: DataVolume): ContestantSummary {
  const mine = samples.filter((s) => s.contestant === info.id);
  const succeeded = mine.filter((s) => s.exitCode === 0);
  const best = succeeded.length ? Math.min(...succeeded.map((s) => s.wallSeconds)) : undefined;
  // A failed run's memory says nothing about the job: only successful runs count.
  const rss = succeeded.map((s) => s.peakRssKb).filter((k): k is number => k !== undefined);
  const failures = mine.filter((s) => s.exitCode !== 0).map((s) => `run ${s.round} exited ${s.exitCode}`);
  return {
    info,
    ran: succeeded.length > 0,
    bestWallSeconds: best,
    wallSeconds: mine.map((s) => s.wallSeconds),
    rowsPerSecond: best ? volume.rows / best : undefined,
    megabytesPerSecond: best ? volume.bytes / 1e6 / best : undefined,
    peakRssMb: rss.length ? Math.max(...rss) / 1024 : undefined,
    notes: [...new Set([...failures, ...mine.flatMap((s) => s.problems)])],
  };
}

export function ratio(label: string, ours: ContestantSummary | undefined, theirs: ContestantSummary | undefined): Ratio {
  const divide = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? a / b : undefined);
  if (!ours?.ran || !theirs?.ran) return { label, wall: undefined, memory: undefined };
  return { label, wall: divide(ours.bestWallSeconds, theirs.bestWallSeconds), memory: divide(ours.peakRssMb, theirs.peakRssMb) };
}

const dash = '—';

function fixed(n: number | undefined, digits: number): string {
  return n === undefined ? dash : n.toFixed(digits);
}

function grouped(n: number | undefined): string {
  return n === undefined ? dash : Math.round(n).toLocaleString('en-US');
}

/** A GitHub-flavoured Markdown table; also what the terminal shows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => escape(r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => escape(c).padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function renderContestantTable(summaries: readonly ContestantSummary[]): string {
  return markdownTable(
    ['path', 'contestant', 'best wall (s)', 'all runs (s)', 'rows/s', 'MB/s', 'peak RSS (MB)', 'notes'],
    summaries.map((s) => [
      s.info.path,
      s.info.label,
      fixed(s.bestWallSeconds, 2),
      s.wallSeconds.map((w) => w.toFixed(2)).join(', '),
      grouped(s.rowsPerSecond),
      fixed(s.megabytesPerSecond, 1),
      fixed(s.peakRssMb, 0),
      s.notes.length ? s.notes.join('; ') : 'complete',
    ]),
  );
}

export function renderRatioTable(ratios: readonly Ratio[]): string {
  return markdownTable(
    ['ratio', 'wall time', 'peak RSS'],
    ratios.map((r) => [r.label, r.wall === undefined ? dash : `${r.wall.toFixed(2)}×`, r.memory === undefined ? dash : `${r.memory.toFixed(2)}×`]),
  );
}

export interface CompilerTiming {
  readonly tables: number;
  readonly planBytes: number;
  /** Best of the repetitions, milliseconds per stage. */
  readonly parseMs: number;
  readonly checkMs: number;
  readonly planMs: number;
  readonly steps: number;
  readonly errors: number;
}

export function renderCompilerTable(t: CompilerTiming): string {
  return markdownTable(
    ['tables', 'plan text', 'parse + lower (ms)', 'check (ms)', 'plan graph (ms)', 'total (ms)', 'steps', 'errors'],
    [[String(t.tables), `${(t.planBytes / 1024).toFixed(0)} KB`, t.parseMs.toFixed(0), t.checkMs.toFixed(0), t.planMs.toFixed(0), (t.parseMs + t.checkMs + t.planMs).toFixed(0), String(t.steps), String(t.errors)]],
  );
}
