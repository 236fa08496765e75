/**
 * lint/naming: channel addresses and routing keys read `domain.entity.action`: lower snake-case segments
 * separated by dots (`warehouse.inventory.stock_changed`), parameters as `{name}`, and on AMQP channels the
 * binding wildcards `*` and `#`. The segment count is configurable (`minSegments`/`maxSegments`, default 3).
 * Dead-letter topics follow their own convention, `dlq.<subscription name>` (kebab-case), and are checked
 * against it: a channel is one when some receive operation dead-letters to its address, or it starts `dlq.`.
 * A channel on the AMQP default exchange (`is: queue`) is addressed by a queue's name, not an event's: it is not
 * checked.
 */
import { words } from '../../../generators/model/names.ts';
import type { Channel } from '../../../generators/model/types.ts';
import { topologyOf } from '../topology/topology.ts';
import { suggestedSender } from './topology-rules.ts';
import type { CheckContext, CheckRule, RawFinding } from './context.ts';

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const DEAD_LETTER = /^dlq\.[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PARAM = /^\{[A-Za-z_][A-Za-z0-9_]*\}$/;

export interface NamingOptions {
  readonly minSegments: number;
  readonly maxSegments: number;
}

export function namingProblems(value: string, wildcards: boolean, options: NamingOptions): string[] {
  const segments = value.split('.');
  const problems: string[] = [];
  const bad = segments.filter(
    (s) => !(SNAKE.test(s) || PARAM.test(s) || (wildcards && (s === '*' || s === '#'))),
  );
  if (bad.length > 0)
    problems.push(
      `${bad.map((s) => `\`${s}\``).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not lower snake-case`,
    );
  const fixed = segments.filter((s) => s !== '#').length;
  const hasHash = segments.includes('#');
  const { minSegments: min, maxSegments: max } = options;
  const countOk = hasHash ? fixed <= max : fixed >= min && fixed <= max;
  if (!countOk) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    problems.push(`${expected} dot-separated segments expected, found ${fixed}`);
  }
  return problems;
}

function snake(segment: string): string {
  if (segment === '*' || segment === '#' || PARAM.test(segment)) return segment;
  return words(segment)
    .map((w) => w.toLowerCase())
    .join('_');
}

function suggestion(value: string, owner: string | undefined, options: NamingOptions): string | undefined {
  let segments = value
    .split('.')
    .map(snake)
    .filter((s) => s !== '');
  if (segments.length < options.minSegments && owner && segments[0] !== snake(owner))
    segments = [snake(owner), ...segments];
  const fixed = segments.join('.');
  return fixed !== value && namingProblems(fixed, true, options).length === 0
    ? `rename it to \`${fixed}\``
    : undefined;
}

function intOption(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

function run(context: CheckContext): RawFinding[] {
  const raw = context.options('lint/naming');
  const minSegments = intOption(raw.minSegments, 3);
  const options: NamingOptions = {
    minSegments,
    maxSegments: Math.max(minSegments, intOption(raw.maxSegments, 3)),
  };
  const topology = topologyOf(context.model);
  // The service that publishes on a channel owns its name (its domain is the address's first segment). Dead
  // letters and dual publishes are sent by the runtime, not by a service that names the channel.
  const owners = new Map<string, string>();
  for (const s of topology.sends)
    if (s.origin === 'operation' && !owners.has(s.channel.key)) owners.set(s.channel.key, s.service);
  // A channel only received: the fix is the published address the topology check points at, if any, so the
  // two never give different advice.
  const meant = new Map<string, string>();
  for (const r of topology.receives) {
    if (owners.has(r.channel.key) || (topology.publishersOf.get(r) ?? []).length > 0) continue;
    const sender = suggestedSender(r, topology.sends);
    if (sender && !meant.has(r.channel.key)) meant.set(r.channel.key, sender.address);
  }
  const deadLetters = new Set<string>();
  for (const s of context.model.services)
    for (const op of s.operations) if (op.delivery) deadLetters.add(op.delivery.deadLetter.address);
  const findings: RawFinding[] = [];
  const channels = [...context.model.channels.values()].sort((a, b) => a.key.localeCompare(b.key));
  for (const channel of channels) {
    if (channel.binding.kind === 'amqp' && channel.binding.exchange.name === '') continue;
    if (
      channel.binding.kind === 'topic' &&
      (deadLetters.has(channel.address) || channel.address.startsWith('dlq.'))
    ) {
      if (!DEAD_LETTER.test(channel.address)) {
        findings.push({
          code: 'lint/naming',
          file: channel.source.file,
          pointer: channel.source.pointer,
          address: channel.address,
          message: `dead-letter topic \`${channel.address}\` does not follow \`dlq.<subscription-name>\` (kebab-case)`,
        });
      }
      continue;
    }
    for (const [what, value] of namesOf(channel)) {
      const problems = namingProblems(value, channel.binding.kind === 'amqp', options);
      if (problems.length === 0) continue;
      const published = what === 'address' ? meant.get(channel.key) : undefined;
      const fix = published
        ? `subscribe to the published \`${published}\` (see topology/unmatched-subscription)`
        : suggestion(value, owners.get(channel.key), options);
      findings.push({
        code: 'lint/naming',
        file: channel.source.file,
        pointer: channel.source.pointer,
        address: channel.address,
        message: `${what} \`${value}\` does not follow \`domain.entity.action\`: ${problems.join('; ')}`,
        ...(fix ? { hint: fix } : {}),
      });
    }
  }
  return findings;
}

function namesOf(channel: Channel): [string, string][] {
  const names: [string, string][] = [['address', channel.address]];
  if (channel.binding.kind === 'amqp' && channel.binding.routingKey !== channel.address) {
    names.push(['routing key', channel.binding.routingKey]);
  }
  return names;
}

export const namingRule: CheckRule = { ids: ['lint/naming'], run };
