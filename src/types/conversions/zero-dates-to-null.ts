/**
 * `zero_dates_to_null`: MySQL's zero date '0000-00-00' and partial-zero dates ('2020-00-15',
 * '2020-05-00') — with or without a time — become NULL; other values are kept. A zero date is not a
 * date (no calendar has day 0), so it is MySQL's spelling of "no value": NULL says exactly that.
 * Between timestamp and timestamptz the zone rule is UTC, as for `timestamptz_to_utc`.
 */
import { isZeroDate } from '../values/datetime-text.js';
import type { ConversionDefinition } from './definition.js';
import { compileUtcRule } from './timestamptz-to-utc.js';

const DATES = new Set(['date', 'timestamp', 'timestamptz']);

export const zeroDatesToNull: ConversionDefinition = {
  name: 'zero_dates_to_null',
  summary: "Zero and partial-zero dates ('0000-00-00', '2020-00-15 10:00:00') become NULL; between timestamp and timestamptz the zone is UTC.",
  domain: 'date, timestamp or timestamptz → date, timestamp or timestamptz',
  applies: (source, target) => DATES.has(source.kind) && DATES.has(target.kind),
  compile: (source, target) => {
    const rest = compileUtcRule(source, target);
    return (v) => (typeof v === 'string' && isZeroDate(v) ? null : rest(v));
  },
};
