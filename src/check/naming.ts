/** Naming policies applied to target schema, table, column, index and constraint names. */
import type { EngineModule } from '../engines/contract.js';
import type { MapIR, NamingPolicy } from '../ir/ir.js';

export function applyNaming(policy: NamingPolicy, name: string): string {
  switch (policy) {
    case 'keep':
      return name;
    case 'lower':
      return name.toLowerCase();
    case 'snake_case':
      return toSnakeCase(name);
    case 'fold':
      // A name without a lower-case letter is what an unquoted name became on an upper-folding
      // source (Oracle's CUSTOMER); one with lower-case letters was quoted to keep its case.
      return /\p{Ll}/u.test(name) ? name : name.toLowerCase();
    default: {
      const never: never = policy;
      return never;
    }
  }
}

/**
 * `InvoiceLineId` → `invoice_line_id`, `HTTPServer` → `http_server`, `Order Items` → `order_items`,
 * `already_snake` unchanged. Digits stay with the word before them (`Address2` → `address2`).
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1_$2')
    .replace(/[\s\-.]+/g, '_')
    .replace(/_+/g, '_')
    .toLowerCase();
}

/**
 * Fits `name` into `maxBytes` (UTF-8): unchanged when it fits, else cut and suffixed with a short
 * hash of the whole name so that two long names sharing a prefix stay distinct.
 */
export function fitIdentifier(name: string, maxBytes: number | undefined): string {
  if (maxBytes === undefined || Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const suffix = `_${shortHash(name)}`;
  let cut = name;
  while (Buffer.byteLength(cut, 'utf8') + suffix.length > maxBytes) cut = Array.from(cut).slice(0, -1).join('');
  return cut + suffix;
}

function shortHash(text: string): string {
  // FNV-1a, 32 bit: stable across runs and machines, good enough to separate a few names.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0').slice(0, 7);
}

/**
 * The map with the naming policy it has in effect: its own `names`, or — not set — `fold` from a
 * source that stores unquoted names in upper case (Oracle) into an engine that does not, so that
 * `CUSTOMER` arrives as `customer` where names are conventionally lower case; `names = keep` keeps
 * `CUSTOMER`. Otherwise `keep`.
 */
export function effectiveNaming(map: MapIR, source: EngineModule | undefined, target: EngineModule | undefined): MapIR {
  if (!map.namingDefaulted || !source || !target) return map;
  const folds = source.capabilities.unquotedNamesFold === 'upper' && target.capabilities.unquotedNamesFold !== 'upper';
  return folds ? { ...map, naming: 'fold' } : map;
}
