/** `bit_to_boolean`: BIT(1) '1' → true, '0' → false; a longer bit string is true when any bit is set. */
import { reject } from '../rejection.js';
import type { ConversionDefinition } from './definition.js';

export const bitToBoolean: ConversionDefinition = {
  name: 'bit_to_boolean',
  summary: "BIT(1) '1' becomes true and '0' false; for longer bit strings, any set bit means true.",
  domain: 'bit → bool',
  applies: (source, target) => source.kind === 'bit' && target.kind === 'bool',
  compile: () => (v) => (typeof v === 'string' ? v.indexOf('1') !== -1 : reject(`${String(v)} is not a bit string`)),
};
