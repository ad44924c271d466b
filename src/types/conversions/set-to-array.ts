/** `set_to_array`: a MySQL SET value (its labels) becomes an array of text or of an enum type. */
import type { ConversionDefinition } from './definition.js';

export const setToArray: ConversionDefinition = {
  name: 'set_to_array',
  summary: 'A SET value becomes an array of its labels, in the order the SET declares them.',
  domain: 'set → array of text or enum',
  applies: (source, target) => source.kind === 'set' && target.kind === 'array' && (target.element.kind === 'text' || target.element.kind === 'enum'),
  compile: () => (v) => v,
};
