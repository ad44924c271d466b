/**
 * Endpoints whose engine this build supports, but not in the role the plan gives it (Oracle is a
 * source only, for now). Said before anything connects: `plan` would otherwise read a target it
 * can never write.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findEngine } from '../engines/registry.js';
import type { PlanIR } from '../ir/ir.js';

export function checkEngineRoles(ir: PlanIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const endpoint of ir.endpoints) {
    const engine = findEngine(endpoint.engine);
    if (!engine) continue; // DMS3411
    if (endpoint.role === 'target' && !engine.capabilities.canBeTarget) {
      out.push(
        error('DMS3551', `${endpoint.engine} cannot be a target yet (target ${endpoint.name}): dmsplan reads ${endpoint.engine} databases but does not write them`, endpoint.span, `migrate from ${endpoint.engine} into postgres, mysql, sqlite or pglite instead`),
      );
    }
    if (endpoint.role === 'source' && !engine.capabilities.canBeSource) {
      out.push(error('DMS3551', `${endpoint.engine} cannot be a source yet (source ${endpoint.name})`, endpoint.span));
    }
  }
  return out;
}
