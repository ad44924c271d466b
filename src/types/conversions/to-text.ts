/** `to_text`: any value as text (binary as '\x…' hex, sets as 'a,b', arrays as JSON). */
import { compileToText } from '../values/render-text.js';
import type { ConversionDefinition } from './definition.js';

export const toText: ConversionDefinition = {
  name: 'to_text',
  summary: "Writes the value's text form: numbers and dates as printed, binary as \\x-hex, sets as 'a,b', arrays as JSON.",
  domain: 'any type → text',
  applies: (_source, target) => target.kind === 'text',
  compile: (source) => compileToText(source),
};
