/** The execution graph as Graphviz DOT (`dmsplan graph`). */
import type { ExecutionGraph } from './graph.js';

export function renderDot(graph: ExecutionGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [`digraph ${q(graph.migration.name)} {`, '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const s of graph.steps) lines.push(`  ${q(s.id)} [label=${q(`${s.kind}\\n${s.id.slice(s.id.indexOf(':') + 1)}`)}];`);
  for (const s of graph.steps) for (const d of s.dependsOn) lines.push(`  ${q(d)} -> ${q(s.id)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
