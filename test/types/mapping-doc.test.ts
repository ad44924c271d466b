import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTypeMappingDoc, typeMappingDocPath, writeTypeMappingDoc } from '../../src/types/mapping-doc.js';

describe('docs/type-mapping.md', () => {
  it('is the rendering of the prelude files (UPDATE_TYPE_MAPPING=1 rewrites it)', () => {
    if (process.env['UPDATE_TYPE_MAPPING'] === '1') writeTypeMappingDoc();
    expect(fs.readFileSync(typeMappingDocPath(), 'utf8')).toBe(renderTypeMappingDoc());
  });

  it('has a table per engine pair and documents every conversion', () => {
    const doc = renderTypeMappingDoc();
    for (const heading of ['## mysql → postgres', '## postgres → mysql', '## sqlite → postgres', '## mysql → sqlite']) expect(doc).toContain(heading);
    expect(doc).toContain('| `bigint unsigned` | `numeric(20, 0)` | `none` | yes |');
    expect(doc).toContain('`zero_dates_to_null`');
  });
});
