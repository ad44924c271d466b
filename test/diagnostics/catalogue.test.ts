import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCatalogueMarkdown } from '../../src/diagnostics/catalogue-markdown.js';
import { ALL_CODES } from '../../src/diagnostics/codes.js';
import { LANGUAGE_CODES } from '../../src/diagnostics/codes/language.js';
import { SYNTAX_CODES } from '../../src/diagnostics/codes/syntax.js';

const root = path.join(import.meta.dirname, '..', '..');

describe('the catalogue', () => {
  it('has unique, well-formed codes with a title and an explanation', () => {
    const codes = ALL_CODES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const info of [...SYNTAX_CODES, ...LANGUAGE_CODES]) {
      expect(info.code).toMatch(/^DMS[12]\d{3}$/);
      expect(info.title.length).toBeGreaterThan(3);
      expect(info.explanation.length).toBeGreaterThan(40);
    }
  });

  it('docs/diagnostics.md is up to date (regenerate: npm run build && node dist/src/diagnostics/catalogue-markdown.js)', () => {
    expect(fs.readFileSync(path.join(root, 'docs', 'diagnostics.md'), 'utf8')).toBe(renderCatalogueMarkdown());
  });
});
