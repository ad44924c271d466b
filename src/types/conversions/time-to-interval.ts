/**
 * `time_to_interval`: a MySQL TIME (a signed duration up to ±838:59:59.999999) or a time of day
 * becomes a PostgreSQL interval. The canonical texts coincide ('-838:59:59' is both).
 */
import { identity, type ConversionDefinition } from './definition.js';

export const timeToInterval: ConversionDefinition = {
  name: 'time_to_interval',
  summary: "A TIME value (MySQL's signed duration, or a time of day) becomes an interval of the same length.",
  domain: 'time or interval (MySQL TIME) → interval',
  applies: (source, target) => ((source.kind === 'time' && !source.withTimeZone) || source.kind === 'interval') && target.kind === 'interval',
  compile: () => identity,
};
