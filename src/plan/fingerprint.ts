/** Content fingerprints: stable hashes of plan parts and catalogs (deterministic, no clock). */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, so equal content always serialises equal whatever the order its
 * keys were set in. `skip` names keys left out (spans move when a file is edited). Written by hand:
 * a JSON.stringify replacer that re-sorts every object was the planner's hottest path.
 */
export function canonicalJson(value: unknown, skip?: ReadonlySet<string>): string {
  const parts: string[] = [];
  write(value, skip, parts);
  return parts.join('');
}

function write(value: unknown, skip: ReadonlySet<string> | undefined, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(`"${value}"`);
      return;
    case 'object':
      break;
    default:
      out.push('null'); // undefined, functions, symbols: as JSON.stringify does inside arrays
      return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], skip, out);
    }
    out.push(']');
    return;
  }
  if (Buffer.isBuffer(value)) {
    out.push(JSON.stringify(value.toString('hex')));
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || typeof v === 'function' || (skip !== undefined && skip.has(key))) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(v, skip, out);
  }
  out.push('}');
}

export function fingerprint(value: unknown, skip?: ReadonlySet<string>): string {
  return createHash('sha256').update(canonicalJson(value, skip)).digest('hex').slice(0, 16);
}

/**
 * The fingerprint of a whole execution graph (without its own `fingerprint`, tool version and file
 * name): native JSON, whose key order is the order the planner built the objects in and survives a
 * JSON round trip, so a saved plan read back hashes the same — and any edit to it does not.
 */
export function graphFingerprint(body: object): string {
  const { toolVersion: _v, planFile: _f, fingerprint: _self, ...content } = body as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}
