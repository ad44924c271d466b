/**
 * `none`: the value keeps its canonical form; only the target's domain is checked. Applies where
 * both kinds share one representation: same kind, int → decimal, year → int/decimal, enum ⇄ text.
 */
import type { LogicalType } from '../logical.js';
import { identity, type ConversionDefinition, type Reshape } from './definition.js';

export function sameRepresentation(source: LogicalType, target: LogicalType): boolean {
  if (source.kind === 'array' && target.kind === 'array') return sameRepresentation(source.element, target.element);
  if (source.kind === target.kind) return true;
  switch (source.kind) {
    case 'int':
      return target.kind === 'decimal';
    case 'year':
      return target.kind === 'int' || target.kind === 'decimal';
    case 'enum':
      return target.kind === 'text';
    case 'text':
      return target.kind === 'enum';
    default:
      return false;
  }
}

/**
 * The value as the target kind spells it. The one place the representations differ: the zero year
 * '0000' is the number 0 (an integer's canonical text has no leading zeros, and the target reads it
 * back as '0').
 */
export function compileSameRepresentation(source: LogicalType, target: LogicalType): Reshape {
  if (source.kind === 'year' && target.kind !== 'year') return (v) => (v === '0000' ? '0' : v);
  return identity;
}

export const none: ConversionDefinition = {
  name: 'none',
  summary: 'The value is written as it is; the target column must hold every value of the source type.',
  domain: 'same kind of type on both sides (or int → decimal, year → int, enum ⇄ text)',
  applies: sameRepresentation,
  compile: compileSameRepresentation,
};
