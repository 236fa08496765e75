/** The catalogue of broken consumers, by name (see variants.ts). */
import type { RuntimeVariant } from '../engine/types.ts';

export const VARIANTS: Readonly<Record<string, RuntimeVariant>> = {};

export function variantNamed(name: string): RuntimeVariant {
  const variant = VARIANTS[name];
  if (!variant) {
    throw new Error(
      `unknown runtime variant '${name}' (known: ${Object.keys(VARIANTS).join(', ') || 'none'})`,
    );
  }
  return variant;
}
