/** `uuid_to_text`: a UUID as its 36-character 8-4-4-4-12 text. */
import { identity, type ConversionDefinition } from './definition.js';

export const uuidToText: ConversionDefinition = {
  name: 'uuid_to_text',
  summary: 'Writes a UUID as its 36-character lower-case text (8-4-4-4-12).',
  domain: 'uuid → text',
  applies: (source, target) => source.kind === 'uuid' && target.kind === 'text',
  compile: () => identity,
};
