/**
 * `int_to_boolean`: 0 → false, any other number → true (MySQL's reading of TINYINT(1) as BOOLEAN).
 * Lossy for every integer type: 2 and 1 both become true — the rule must say `lossy`.
 */
import { reject } from '../rejection.js';
import { scanDecimal } from '../values/numeric-text.js';
import type { ConversionDefinition } from './definition.js';

export const intToBoolean: ConversionDefinition = {
  name: 'int_to_boolean',
  summary: '0 becomes false and every other number true, as MySQL reads TINYINT(1) as BOOLEAN.',
  domain: 'int → bool',
  applies: (source, target) => (source.kind === 'int' || source.kind === 'bool') && target.kind === 'bool',
  compile: (source) => {
    if (source.kind === 'bool') return (v) => v;
    return (v) => {
      if (typeof v !== 'string' || !scanDecimal(v)) return reject(`${String(v)} is not an integer`);
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c >= 49 && c <= 57) return true;
      }
      return false;
    };
  },
};
