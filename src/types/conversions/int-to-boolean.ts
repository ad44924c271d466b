/**
 * `int_to_boolean`: 0 → false, 1 → true. MySQL's BOOLEAN is TINYINT(1), which can still hold 2 or
 * -1; reading those as true would lose them silently, so they are rejected row by row instead (the
 * reason says how to keep them: map the column to an integer type). Lossless for what it accepts.
 */
import { reject } from '../rejection.js';
import { scanDecimal } from '../values/numeric-text.js';
import type { ConversionDefinition } from './definition.js';

export const intToBoolean: ConversionDefinition = {
  name: 'int_to_boolean',
  summary: '0 becomes false and 1 true; any other number is rejected row by row rather than read as true.',
  domain: 'int → bool',
  applies: (source, target) => (source.kind === 'int' || source.kind === 'bool') && target.kind === 'bool',
  compile: (source) => {
    if (source.kind === 'bool') return (v) => v;
    return (v) => {
      if (typeof v !== 'string' || !scanDecimal(v)) return reject(`${String(v)} is not an integer`);
      if (v === '0' || v === '-0') return false;
      if (v === '1') return true;
      return reject(`${v} is neither 0 nor 1, so it is not a boolean; to keep such values map the column to an integer type (e.g. \`column NAME smallint\`)`);
    };
  },
};
