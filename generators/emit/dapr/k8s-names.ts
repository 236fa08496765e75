/**
 * Kubernetes object names. Every Dapr resource is a Kubernetes object, and the API server rejects a name that is
 * not an RFC 1123 subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters, starting and ending
 * with an alphanumeric). Subscriptions of every service land in one namespace, so names must also be unique.
 */
import { createHash } from 'node:crypto';

export const K8S_NAME_MAX = 253;
export const K8S_NAME_PATTERN = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';
const NAME = new RegExp(K8S_NAME_PATTERN);

export function isK8sName(name: string): boolean {
  return name.length > 0 && name.length <= K8S_NAME_MAX && NAME.test(name);
}

/** Lower-cases and replaces every character Kubernetes does not allow with `-` (`orders.order_created` -> `orders-order-created`). */
export function toK8sName(input: string): string {
  const cleaned = input
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = cleaned === '' ? 'unnamed' : cleaned;
  return name.length <= K8S_NAME_MAX ? name : withHash(name.slice(0, K8S_NAME_MAX - 9), input);
}

function withHash(prefix: string, seed: string): string {
  const hash = createHash('sha256').update(seed).digest('hex').slice(0, 8);
  return `${prefix.replace(/-+$/, '')}-${hash}`;
}

/**
 * Gives every key a distinct valid name. Candidates are first made valid; a candidate shared by several keys gets
 * a short hash of its key appended, so the result does not depend on input order.
 */
export function uniqueK8sNames(candidates: ReadonlyMap<string, string>): Map<string, string> {
  const byName = new Map<string, string[]>();
  for (const [key, candidate] of candidates) {
    const name = toK8sName(candidate);
    byName.set(name, [...(byName.get(name) ?? []), key]);
  }
  const result = new Map<string, string>();
  for (const [name, keys] of byName) {
    for (const key of keys)
      result.set(key, keys.length === 1 ? name : withHash(name.slice(0, K8S_NAME_MAX - 9), key));
  }
  return result;
}
