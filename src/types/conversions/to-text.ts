/** `to_text`: any value as text (binary as '\x…' hex, sets as 'a,b', arrays as JSON). */
import { reject } from '../rejection.js';
import { ARRAY_BOUNDS_REASON, isBoundedArrayLiteral } from '../values/array-bounds.js';
import { compileToText } from '../values/render-text.js';
import { quoteForReason } from '../values/text-scan.js';
import type { ConversionDefinition } from './definition.js';

export const toText: ConversionDefinition = {
  name: 'to_text',
  summary: "Writes the value's text form: numbers and dates as printed, binary as \\x-hex, sets as 'a,b', arrays as JSON.",
  domain: 'any type → text',
  applies: (_source, target) => target.kind === 'text',
  compile: (source) => {
    const text = compileToText(source);
    if (source.kind !== 'array') return text;
    // An array's text is JSON, which has no place for PostgreSQL's lower bounds.
    return (v) => (isBoundedArrayLiteral(v) ? reject(`${quoteForReason(v)} ${ARRAY_BOUNDS_REASON}`) : text(v));
  },
};
