/**
 * topology/unmatched-subscription, topology/unconsumed-publication and topology/exchange-conflict: the
 * cross-service view no single document shows.
 */
import { addressesMatch } from '../topology/address.ts';
import { isWildcardPattern, topicMatches } from '../topology/amqp-pattern.ts';
import { closest, entityOf, isActionTypo } from '../topology/suggest.ts';
import { type Endpoint, topologyOf } from '../topology/topology.ts';
import type { CheckContext, CheckRule, RawFinding } from './context.ts';

function reaches(send: Endpoint, receive: Endpoint): boolean {
  if (receive.transport === 'amqp' && isWildcardPattern(receive.address))
    return topicMatches(receive.address, send.address);
  return addressesMatch(send, receive);
}

function uniqueByAddress(endpoints: readonly Endpoint[]): Endpoint[] {
  const seen = new Map<string, Endpoint>();
  for (const e of endpoints)
    if (!seen.has(`${e.meetingPoint}|${e.address}`)) seen.set(`${e.meetingPoint}|${e.address}`, e);
  return [...seen.values()].sort((a, b) => a.address.localeCompare(b.address));
}

function unmatchedSuggestion(r: Endpoint, sends: readonly Endpoint[]): string | undefined {
  const elsewhere = sends.find(
    (s) => s.meetingPoint !== r.meetingPoint && s.transport === r.transport && reaches(s, r),
  );
  if (elsewhere) {
    return `\`${elsewhere.address}\` is sent by ${elsewhere.label} on ${elsewhere.meetingPoint}: subscribe through that ${r.transport === 'topic' ? 'component' : 'exchange'}`;
  }
  const here = uniqueByAddress(sends.filter((s) => s.meetingPoint === r.meetingPoint));
  if (r.transport === 'amqp' && isWildcardPattern(r.address)) {
    if (here.length === 0) return undefined;
    return `routing keys published on ${r.meetingPoint}: ${here
      .slice(0, 8)
      .map((s) => `\`${s.address}\``)
      .join(', ')}`;
  }
  const best = suggestedSender(r, sends);
  if (!best) return undefined;
  const where = best.meetingPoint === r.meetingPoint ? '' : ` on ${best.meetingPoint}`;
  if (!isActionTypo(r.address, best.address)) {
    // Same entity, another action: a different event, not a typo. List the entity's events instead of
    // picking the one that happens to be spelled most alike.
    const entity = entityOf(best.address);
    const actions = uniqueByAddress(sends.filter((s) => s.meetingPoint === best.meetingPoint))
      .filter((s) => entityOf(s.address) === entity)
      .map((s) => `\`${s.address.slice(entity.length + 1)}\``);
    return `nothing sends \`${r.address}\`; the events sent for \`${entity}\`${where} are ${actions.join(', ')}: subscribe to the one you mean`;
  }
  return `did you mean \`${best.address}\` (sent by ${best.label}${where})?`;
}

/** The published address a receive with no publisher most likely meant (same rule as the message's hint). */
export function suggestedSender(r: Endpoint, sends: readonly Endpoint[]): Endpoint | undefined {
  if (r.transport === 'amqp' && isWildcardPattern(r.address)) return undefined;
  const here = uniqueByAddress(sends.filter((s) => s.meetingPoint === r.meetingPoint));
  return closest(r.address, here) ?? closest(r.address, uniqueByAddress(sends));
}

function unmatchedSubscriptions(context: CheckContext): RawFinding[] {
  const topology = topologyOf(context.model);
  const findings: RawFinding[] = [];
  for (const r of topology.receives) {
    if ((topology.publishersOf.get(r) ?? []).length > 0) continue;
    const what =
      r.transport === 'amqp' && isWildcardPattern(r.address)
        ? `binds \`${r.address}\``
        : `receives \`${r.address}\``;
    const suggestion = unmatchedSuggestion(r, topology.sends);
    findings.push({
      code: 'topology/unmatched-subscription',
      file: r.operation.source.file,
      pointer: r.operation.source.pointer,
      address: r.address,
      message: `${r.service}'s \`${r.operation.id}\` ${what} on ${r.meetingPoint}, but no contract sends a message there`,
      ...(suggestion ? { hint: suggestion } : {}),
    });
  }
  return findings;
}

function unconsumedPublications(context: CheckContext): RawFinding[] {
  const topology = topologyOf(context.model);
  const orphans = topology.receives.filter((r) => (topology.publishersOf.get(r) ?? []).length === 0);
  const findings: RawFinding[] = [];
  const reported = new Set<unknown>();
  for (const s of topology.sends) {
    if (s.origin !== 'operation' || reported.has(s.operation) || topology.subscribersOf.has(s.operation))
      continue;
    reported.add(s.operation);
    const near = closest(
      s.address,
      orphans.filter((r) => r.meetingPoint === s.meetingPoint),
    );
    findings.push({
      code: 'topology/unconsumed-publication',
      file: s.operation.source.file,
      pointer: s.operation.source.pointer,
      address: s.address,
      message: `${s.service}'s \`${s.operation.id}\` sends \`${s.address}\` on ${s.meetingPoint}, but no contract receives it`,
      hint: near
        ? `${near.service} receives \`${near.address}\`, which looks like this address: align the two`
        : 'add the consumer contract, or ignore this finding with a reason if the consumer lives outside these contracts',
    });
  }
  return findings;
}

/** The same exchange declared with different properties in different documents. */
function exchangeConflicts(context: CheckContext): RawFinding[] {
  const topology = topologyOf(context.model);
  const byExchange = new Map<string, Endpoint[]>();
  for (const e of [...topology.sends, ...topology.receives]) {
    if (e.transport !== 'amqp' || !e.exchange) continue;
    byExchange.set(e.meetingPoint, [...(byExchange.get(e.meetingPoint) ?? []), e]);
  }
  const findings: RawFinding[] = [];
  // Dual-publish endpoints only know the legacy exchange's type, so only the type is compared for them.
  const describe = (e: Endpoint) =>
    e.origin === 'dual-publish'
      ? `${e.exchange?.type}`
      : `${e.exchange?.type}${e.exchange?.durable ? ', durable' : ''}${e.exchange?.autoDelete ? ', auto-delete' : ''}`;
  const conflicts = (a: Endpoint, b: Endpoint) =>
    a.exchange?.type !== b.exchange?.type ||
    (a.origin !== 'dual-publish' &&
      b.origin !== 'dual-publish' &&
      (a.exchange?.durable !== b.exchange?.durable || a.exchange?.autoDelete !== b.exchange?.autoDelete));
  for (const [meetingPoint, endpoints] of byExchange) {
    const sorted = [...endpoints].sort(
      (a, b) =>
        Number(a.origin === 'dual-publish') - Number(b.origin === 'dual-publish') ||
        a.operation.source.file.localeCompare(b.operation.source.file),
    );
    const first = sorted[0] as Endpoint;
    const seen = new Set<string>();
    for (const e of sorted) {
      if (!conflicts(e, first)) continue;
      const source = e.origin === 'dual-publish' ? e.operation.source : e.channel.source;
      const key = `${source.file}|${source.pointer}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        code: 'topology/exchange-conflict',
        file: source.file,
        pointer: source.pointer,
        address: e.address,
        message: `${meetingPoint} is declared here as ${describe(e)}, but ${first.service} declares it as ${describe(first)} (${first.operation.source.file})`,
        hint: 'declare the exchange identically in every document, ideally through a shared $ref',
      });
    }
  }
  return findings;
}

export const topologyRules: CheckRule = {
  ids: ['topology/unmatched-subscription', 'topology/unconsumed-publication', 'topology/exchange-conflict'],
  run: (context) => [
    ...unmatchedSubscriptions(context),
    ...unconsumedPublications(context),
    ...exchangeConflicts(context),
  ],
};
