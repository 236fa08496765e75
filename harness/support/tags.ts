import { randomBytes } from 'node:crypto';

/**
 * A short random tag for the ids inside payloads (`prod_<tag>`, `cart_<tag>`): lower-case base 16, which every
 * id pattern of the contracts accepts, so tests never collide on ids they did not mean to share.
 */
export function uniqueTag(bytes = 5): string {
  return randomBytes(bytes).toString('hex');
}
