/**
 * docs/diagnostics.md, generated from the catalogue (src/diagnostics/codes/*.ts). Regenerate with
 *   npm run build && node dist/src/diagnostics/catalogue-markdown.js
 * A test fails when the committed file is out of date.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_CODES, type CodeInfo } from './codes.js';

const RANGES: readonly { readonly prefix: string; readonly title: string }[] = [
  { prefix: 'DMS1', title: 'Syntax (DMS1xxx)' },
  { prefix: 'DMS2', title: 'Language (DMS2xxx)' },
  { prefix: 'DMS3', title: 'Checks against the databases (DMS3xxx)' },
  { prefix: 'DMS4', title: 'Plans and saved plans (DMS4xxx)' },
  { prefix: 'DMS5', title: 'Execution and connections (DMS5xxx)' },
  { prefix: 'DMS6', title: 'Command line (DMS6xxx)' },
];

export function renderCatalogueMarkdown(codes: readonly CodeInfo[] = ALL_CODES): string {
  const out: string[] = [
    '# Diagnostics',
    '',
    '<!-- Generated from src/diagnostics/codes/*.ts by src/diagnostics/catalogue-markdown.ts. Do not edit. -->',
    '',
    'Every problem dmsplan reports has a stable code. `dmsplan explain CODE` prints the entry below.',
    'Diagnostics are printed as `file:line:col: error[CODE]: message`, followed by the line with the',
    'problem underlined and, where one helps, a hint.',
    '',
  ];
  for (const range of RANGES) {
    const inRange = codes.filter((c) => c.code.startsWith(range.prefix)).sort((a, b) => a.code.localeCompare(b.code));
    if (inRange.length === 0) continue;
    out.push(`## ${range.title}`, '');
    for (const info of inRange) out.push(`- [${info.code}](#${info.code.toLowerCase()}) ${info.title}`);
    out.push('');
    for (const info of inRange) out.push(`### ${info.code}`, '', `**${info.title}**`, '', info.explanation.trim(), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // dist/src/diagnostics/catalogue-markdown.js → <repo>/docs/diagnostics.md
  const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'diagnostics.md');
  fs.writeFileSync(target, renderCatalogueMarkdown());
  process.stdout.write(`wrote ${target}\n`);
}
