/** The catalogue of broken consumers, by name (see variants.ts). */
import type { RuntimeVariant } from '../engine/types.ts';
import { CATALOGUE } from './variants.ts';

export const VARIANTS: Readonly<Record<string, RuntimeVariant>> = Object.fromEntries(
  CATALOGUE.map((entry) => [entry.name, entry]),
);

export function variantNamed(name: string): RuntimeVariant {
  const variant = VARIANTS[name];
  if (!variant)
    throw new Error(`unknown runtime variant '${name}' (catalogue: ${Object.keys(VARIANTS).join(', ')})`);
  return variant;
}

export { CATALOGUE, type CatalogueEntry } from './variants.ts';
