/** `array_to_json`: an array (or a SET's labels) becomes a JSON array; numbers keep every digit. */
import { reject } from '../rejection.js';
import { ARRAY_BOUNDS_REASON, isBoundedArrayLiteral } from '../values/array-bounds.js';
import { compileToJson } from '../values/render-text.js';
import { quoteForReason } from '../values/text-scan.js';
import type { ConversionDefinition } from './definition.js';

export const arrayToJson: ConversionDefinition = {
  name: 'array_to_json',
  summary: 'An array (or SET) becomes a JSON array; numbers keep all their digits, binary becomes \\x-hex strings.',
  domain: 'array or set → json',
  applies: (source, target) => (source.kind === 'array' || source.kind === 'set') && target.kind === 'json',
  compile: (source) => {
    const json = compileToJson(source);
    return (v) => (Array.isArray(v) ? json(v) : isBoundedArrayLiteral(v) ? reject(`${quoteForReason(v)} ${ARRAY_BOUNDS_REASON}`) : reject(`${String(v)} is not an array`));
  },
};
