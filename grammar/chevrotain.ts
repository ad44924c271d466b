/**
 * Chevrotain, loaded from the single-file build its package ships (`lib/chevrotain.mjs`) rather
 * than from its entry (`lib/src/api.js`), which pulls in lodash-es as some 600 separate modules:
 * that cost every dmsplan command 0.6 s and 30 MB before it did anything. Same version, same API;
 * the types still come from 'chevrotain'. The package exports only its entry, so the file is found
 * next to it.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

const entry = createRequire(import.meta.url).resolve('chevrotain');
const bundle = path.join(path.dirname(entry), '..', 'chevrotain.mjs');
const chevrotain = (await import(pathToFileURL(bundle).href)) as Chevrotain;

export const { createToken, Lexer, CstParser, defaultParserErrorProvider } = chevrotain;
