/**
 * Writes grammar/diagrams.html. Run after changing the grammar:
 *   npm run build && node dist/grammar/build-diagrams.js
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderDiagramsHtml } from './diagrams.js';

// dist/grammar/build-diagrams.js → <repo>/grammar/diagrams.html
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = path.join(repoRoot, 'grammar', 'diagrams.html');
fs.writeFileSync(target, renderDiagramsHtml());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
