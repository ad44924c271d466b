/** Number, time and bar formatting shared by every apply view (plain text, no colour). */
import { groupThousands } from '../number-text.js';

export function formatCount(n: number): string {
  return groupThousands(n);
}

export function formatRate(rowsPerSecond: number | undefined): string {
  if (rowsPerSecond === undefined || !Number.isFinite(rowsPerSecond)) return '-';
  return `${formatCount(rowsPerSecond)} rows/s`;
}

/** `0:07`, `12:34`, `1:02:03`: elapsed times and ETAs. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '-';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds with one decimal below a minute (`4.2s`), else m:ss: table times in the summary. */
export function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)}s` : formatDuration(seconds);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? String(Math.round(value)) : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A progress bar of `width` cells; the fraction is clamped to [0, 1]. */
export function bar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function percent(fraction: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return `${Math.floor(f * 100)}%`;
}

/** Rows of an estimate: `1,234 / ~3,503 rows`; estimates are the planner's, hence the tilde. */
export function rowsOfEstimate(rows: number, estimate: number, approximate = false): string {
  return `${approximate ? '~' : ''}${formatCount(rows)} / ~${formatCount(Math.max(estimate, rows))} rows`;
}
