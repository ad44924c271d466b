/** Opening SQL Server endpoints without a server: what is refused before connecting, and what a failed connection says. */
import { describe, expect, it } from 'vitest';
import type { EndpointPlan } from '../../../src/check/checked-plan.js';
import { connectAll } from '../../../src/exec/endpoints.js';

const span = { file: 'shop.dmsplan', startOffset: 40, endOffset: 53, startLine: 4, startColumn: 29, endLine: 4, endColumn: 42 };

function plan(role: 'source' | 'target'): EndpointPlan {
  return { name: role === 'source' ? 'src' : 'dst', role, engine: 'sqlserver', url: { kind: 'env', variable: 'X', fallback: undefined, span }, prepare: 'do_nothing', session: [], tls: undefined };
}

describe('connecting to SQL Server', () => {
  it('refuses SQL Server as a target before connecting (DMS3531): it is a source only in this build', async () => {
    const { diagnostics, connections } = await connectAll([{ plan: plan('target'), url: 'sqlserver://sa:Sup3rSecret@127.0.0.1:1/shop' }], 1, { X: 'set' });
    expect(connections.size).toBe(0);
    expect(diagnostics.map((d) => [d.code, d.span, d.message])).toEqual([['DMS3531', span, 'target dst: sqlserver cannot be a target in this build yet']]);
  });

  it('reports a server that does not answer as DMS5003, without the password', async () => {
    const { diagnostics } = await connectAll([{ plan: plan('source'), url: 'sqlserver://sa:Sup3rSecret@127.0.0.1:1/shop?encrypt=false' }], 1, { X: 'set' });
    expect(diagnostics.map((d) => d.code)).toEqual(['DMS5003']);
    expect(diagnostics[0]!.message).toContain('sqlserver://sa:***@127.0.0.1:1/shop');
    expect(JSON.stringify(diagnostics)).not.toContain('Sup3rSecret');
  }, 30_000);
});
