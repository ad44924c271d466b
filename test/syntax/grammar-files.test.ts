import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiagramsHtml } from '../../grammar/diagrams.js';
import { KEYWORDS } from '../../grammar/tokens.js';

const grammarDir = path.join(import.meta.dirname, '..', '..', 'grammar');

describe('generated grammar files', () => {
  it('grammar/diagrams.html is up to date (regenerate: npm run build && node dist/grammar/build-diagrams.js)', () => {
    expect(fs.readFileSync(path.join(grammarDir, 'diagrams.html'), 'utf8')).toBe(renderDiagramsHtml());
  });

  it('grammar/diagrams.html loads nothing from the network', () => {
    const html = renderDiagramsHtml();
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/);
    expect(html).toContain('drawDiagramsFromSerializedGrammar');
  });

  it('the TextMate grammar is valid JSON and knows every keyword', () => {
    const tm = JSON.parse(fs.readFileSync(path.join(grammarDir, 'dmsplan.tmLanguage.json'), 'utf8')) as { scopeName: string };
    expect(tm.scopeName).toBe('source.dmsplan');
    const text = JSON.stringify(tm);
    for (const keyword of KEYWORDS) expect(text, String(keyword.name)).toContain(keyword.name.replace('Kw_', ''));
  });
});
