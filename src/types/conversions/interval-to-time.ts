/**
 * `interval_to_time`: a PostgreSQL interval becomes a duration 'H:MM:SS[.f]' (a day counts 24 hours);
 * intervals with years or months, which have no fixed length, are rejected; for a time-of-day
 * target, anything outside 00:00:00–23:59:59.999999 is rejected.
 */
import type { LogicalType } from '../logical.js';
import { reject } from '../rejection.js';
import { parseInterval, renderDuration } from '../values/datetime-text.js';
import type { ConversionDefinition } from './definition.js';

/** Beyond this many hours the microsecond arithmetic would leave the exact range of a double. */
const SAFE_HOURS = 2_000_000;

export const intervalToTime: ConversionDefinition = {
  name: 'interval_to_time',
  summary: 'An interval becomes a duration (days count 24 hours); intervals with years or months, or that do not fit the target TIME, are rejected.',
  domain: 'interval → time (or a bounded interval such as MySQL TIME)',
  applies: (source, target) => (source.kind === 'interval' || source.kind === 'time') && (target.kind === 'time' || target.kind === 'interval'),
  compile: (source, target: LogicalType) => {
    if (source.kind === 'time') return (v) => v;
    const timeOfDay = target.kind === 'time';
    const precision = target.kind === 'time' || target.kind === 'interval' ? target.precision : 6;
    return (v) => {
      if (typeof v !== 'string') return reject(`${String(v)} is not an interval`);
      const p = parseInterval(v);
      if (!p) return reject(`'${v}' is not an interval`);
      if (p.years !== 0 || p.months !== 0) return reject(`'${v}' has years or months, which have no fixed length in hours`);
      const hours = p.days * 24 + p.hours;
      if (Math.abs(hours) > SAFE_HOURS) return reject(`'${v}' is too long for a TIME`);
      const total = hours * 3_600_000_000 + p.micros;
      if (timeOfDay && (total < 0 || total >= 86_400_000_000)) return reject(`'${v}' is not within a day (00:00:00–23:59:59.999999)`);
      const text = renderDuration(hours, p.micros, precision);
      return timeOfDay && target.withTimeZone ? `${text}+00:00` : text;
    };
  },
};
