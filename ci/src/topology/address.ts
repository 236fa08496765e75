/**
 * Channel addresses with parameters. `user.{id}.created` and `user.{userId}.created` are the same channel:
 * parameters match by position, whatever their names. A parameter also matches a literal segment
 * (`user.42.created`) unless its enum excludes that value.
 */
import type { ChannelParameter } from '../../../generators/model/types.ts';

const PARAM = /\{[^}]*\}/g;

/** The address with every parameter replaced by `{}`: equal for addresses that differ only in parameter names. */
export function addressShape(address: string): string {
  return address.replace(PARAM, '{}');
}

export function hasParameters(address: string): boolean {
  return address.includes('{');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex for the concrete addresses a template may produce; a parameter is one word unless its enum says. */
function templateRegex(address: string, parameters: readonly ChannelParameter[]): RegExp {
  let source = '';
  let last = 0;
  for (const match of address.matchAll(PARAM)) {
    source += escapeRegex(address.slice(last, match.index));
    const name = match[0].slice(1, -1);
    const values = parameters.find((p) => p.name === name)?.enum;
    source += values && values.length > 0 ? `(?:${values.map(escapeRegex).join('|')})` : '[^.]+';
    last = (match.index ?? 0) + match[0].length;
  }
  source += escapeRegex(address.slice(last));
  return new RegExp(`^${source}$`);
}

export interface Addressed {
  readonly address: string;
  readonly parameters: readonly ChannelParameter[];
}

/** Could a message sent to `a` be the one read from `b` (or the other way round)? */
export function addressesMatch(a: Addressed, b: Addressed): boolean {
  if (a.address === b.address) return true;
  const aParams = hasParameters(a.address);
  const bParams = hasParameters(b.address);
  if (aParams && bParams) return addressShape(a.address) === addressShape(b.address);
  if (aParams) return templateRegex(a.address, a.parameters).test(b.address);
  if (bParams) return templateRegex(b.address, b.parameters).test(a.address);
  return false;
}
