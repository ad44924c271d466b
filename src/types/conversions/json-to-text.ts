/** `json_to_text`: a JSON document kept as its text. */
import { identity, type ConversionDefinition } from './definition.js';

export const jsonToText: ConversionDefinition = {
  name: 'json_to_text',
  summary: 'Keeps a JSON document as its text.',
  domain: 'json → text',
  applies: (source, target) => source.kind === 'json' && target.kind === 'text',
  compile: () => identity,
};
