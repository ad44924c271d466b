/**
 * `dmsplan teardown FILE`: drops what change data capture created for the plan on its sources
 * (PostgreSQL replication slot and publication — an idle slot keeps WAL forever) and forgets the
 * stored stream positions in its targets. Exit 0 done (also when there was nothing), 1 failed.
 */
import { toEndpointPlan } from '../../check/check-plan.js';
import { findEngine } from '../../engines/registry.js';
import { captureNameOf } from '../../exec/cdc/prepare.js';
import { ControlSchema } from '../../exec/control-schema.js';
import { closeAll, connectAll, connectConfigOf, describeError, resolveEndpoints } from '../../exec/endpoints.js';
import { useColor } from '../../ui/reporter.js';
import { parseArgs } from '../args.js';
import type { Command } from '../io.js';
import { loadPlanForCommand } from '../load-plan.js';
import { printDiagnostics } from '../print-diagnostics.js';

const USAGE = 'usage: dmsplan teardown FILE';

export const teardownCommand: Command = async (args, io) => {
  const parsed = parseArgs(args, []);
  if ('error' in parsed || parsed.positional.length !== 1) {
    io.stderr.write(`dmsplan teardown: ${'error' in parsed ? parsed.error : 'expects one plan file'}\n${USAGE}\n`);
    return 1;
  }
  const color = useColor(io);
  const ir = loadPlanForCommand(parsed.positional[0]!, io, color);
  if (!ir) return 1;
  const resolved = resolveEndpoints(ir.endpoints.map(toEndpointPlan), io.env);
  if (resolved.diagnostics.length) {
    printDiagnostics(io, resolved.diagnostics, color);
    return 1;
  }
  const urls = resolved.endpoints.map((e) => e.url);
  let failed = false;
  let dropped = 0;
  for (const source of resolved.endpoints.filter((e) => e.plan.role === 'source')) {
    const engine = findEngine(source.plan.engine);
    if (!engine?.cdc) continue;
    const name = captureNameOf(ir.migration.name, source.plan.name);
    try {
      const capture = await engine.cdc.open(connectConfigOf(source, 2, io.env));
      try {
        for (const line of await capture.teardown({ name })) {
          io.stdout.write(`- dropped ${line} on source ${source.plan.name}\n`);
          dropped++;
        }
      } finally {
        await capture.close();
      }
    } catch (err) {
      io.stderr.write(`dmsplan teardown: source ${source.plan.name}: ${describeError(err, urls)}\n`);
      failed = true;
    }
  }
  const targets = resolved.endpoints.filter((e) => e.plan.role === 'target');
  const { connections, diagnostics } = await connectAll(targets, 1, io.env);
  if (diagnostics.length) {
    printDiagnostics(io, diagnostics, color);
    return 1;
  }
  try {
    for (const [name, open] of connections) {
      const engine = findEngine(open.endpoint.plan.engine);
      if (!engine) continue;
      const control = new ControlSchema(engine.dialect);
      if (!(await control.exists(open.connection))) continue;
      let forgotten = 0;
      for (const source of resolved.endpoints.filter((e) => e.plan.role === 'source')) {
        forgotten += await control.forgetCdcPositions(open.connection, captureNameOf(ir.migration.name, source.plan.name)).catch(() => 0);
      }
      if (forgotten) io.stdout.write(`- forgot ${forgotten} stored stream position(s) in target ${name}\n`);
    }
  } finally {
    await closeAll(connections);
  }
  if (!failed) io.stdout.write(dropped ? `Teardown complete: ${dropped} object(s) dropped.\n` : 'Teardown complete: nothing to drop on the sources.\n');
  return failed ? 1 : 0;
};
