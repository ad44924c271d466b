/**
 * `timestamptz_to_utc`: the zone rule between timestamptz and timestamp is UTC. A timestamptz
 * (canonically UTC) is stored as its UTC wall-clock time; a timestamp without zone is read as UTC.
 */
import { reject } from '../rejection.js';
import { UTC_SUFFIX } from '../values/datetime-text.js';
import type { LogicalType } from '../logical.js';
import type { ConversionDefinition, Reshape } from './definition.js';

const TIMESTAMPS = new Set(['timestamp', 'timestamptz']);

/** timestamp ⇄ timestamptz under the UTC rule; identity otherwise. Shared with zero_dates_to_null. */
export function compileUtcRule(source: LogicalType, target: LogicalType): Reshape {
  const from = source.kind;
  const to = target.kind;
  if ((from === 'timestamptz' && to === 'timestamp') || (from === 'timestamptz' && to === 'date')) {
    return (v) => {
      if (typeof v !== 'string' || !v.endsWith(UTC_SUFFIX)) return reject(`${String(v)} is not a UTC timestamp`);
      const bare = v.slice(0, v.length - UTC_SUFFIX.length);
      return to === 'date' ? bare.slice(0, 10) : bare;
    };
  }
  if (from === 'timestamp' && to === 'timestamptz') return (v) => (typeof v === 'string' ? v + UTC_SUFFIX : v);
  if (from === 'date' && to === 'timestamptz') return (v) => (typeof v === 'string' ? `${v} 00:00:00${UTC_SUFFIX}` : v);
  if (from === 'date' && to === 'timestamp') return (v) => (typeof v === 'string' ? `${v} 00:00:00` : v);
  if (from === 'timestamp' && to === 'date') return (v) => (typeof v === 'string' ? v.slice(0, 10) : v);
  return (v) => v;
}

export const timestamptzToUtc: ConversionDefinition = {
  name: 'timestamptz_to_utc',
  summary: 'Between timestamp with and without time zone, the zone is UTC: a timestamptz is stored as its UTC time, a timestamp is read as UTC.',
  domain: 'timestamptz ⇄ timestamp',
  applies: (source, target) => TIMESTAMPS.has(source.kind) && TIMESTAMPS.has(target.kind),
  compile: compileUtcRule,
};
