/**
 * lint/pii-key: a field marked `x-eventwire-pii` used as an idempotency key or an ordering key. The runtime
 * hashes such keys before they reach Redis, PostgreSQL or an error, but a key made of personal data still ties
 * every event of one person together in the stores, and lives as long as their TTL: key on an identifier that
 * is not personal (the envelope's event_id, an order id).
 */
import type { Message } from '../../../generators/model/types.ts';
import { allOperations, type CheckContext, type CheckRule, type RawFinding } from './context.ts';

const PAYLOAD = '$message.payload#';

/** Whether the key's pointer reaches personal data: the same field, a field inside it, or an object holding it. */
export function keyTouchesPii(key: string, piiField: string): boolean {
  const a = key.split('/').slice(1);
  const b = piiField.split('/').slice(1);
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    if (a[i] !== b[i] && a[i] !== '*' && b[i] !== '*') return false;
  return true;
}

/** The payload pointer of an idempotency key expression; undefined for header keys. */
function payloadPointer(expression: string): string | undefined {
  return expression.startsWith(PAYLOAD) ? expression.slice(PAYLOAD.length) : undefined;
}

const piiUnder = (message: Message, key: string): string[] =>
  message.piiFields.filter((field) => keyTouchesPii(key, field));

const SUGGESTION =
  'key on an identifier that is not personal data (the default `$message.header#/event_id`, an order or account id)';

function run(context: CheckContext): RawFinding[] {
  const findings: RawFinding[] = [];
  const seenMessages = new Set<Message>();
  for (const op of allOperations(context.model)) {
    const expression = op.delivery?.idempotency.key;
    const key = expression === undefined ? undefined : payloadPointer(expression);
    for (const message of op.messages) {
      if (key !== undefined) {
        const fields = piiUnder(message, key);
        if (fields.length > 0) {
          findings.push({
            code: 'lint/pii-key',
            file: op.source.file,
            pointer: op.source.pointer,
            address: op.channel.address,
            message: `${op.service}'s \`${op.id}\` takes its idempotency key \`${expression}\` from personal data of \`${message.name}\` (${fields.join(', ')} marked x-eventwire-pii)`,
            hint: SUGGESTION,
          });
        }
      }
      // A key declared on the message itself, reported once wherever the message is used.
      const own = message.idempotencyKey === undefined ? undefined : payloadPointer(message.idempotencyKey);
      if (own === undefined || seenMessages.has(message)) continue;
      seenMessages.add(message);
      const fields = piiUnder(message, own);
      if (fields.length === 0) continue;
      findings.push({
        code: 'lint/pii-key',
        file: message.source.file,
        pointer: message.source.pointer,
        address: op.channel.address,
        message: `\`${message.name}\` takes its idempotency key \`${message.idempotencyKey}\` from personal data (${fields.join(', ')} marked x-eventwire-pii)`,
        hint: SUGGESTION,
      });
    }
  }
  for (const channel of context.model.channels.values()) {
    if (!channel.ordering) continue;
    const key = channel.ordering.key;
    const fields = [...new Set(channel.messages.flatMap((message) => piiUnder(message, key)))].sort();
    if (fields.length === 0) continue;
    findings.push({
      code: 'lint/pii-key',
      file: channel.source.file,
      pointer: channel.source.pointer,
      address: channel.address,
      message: `\`${channel.address}\` is ordered by \`${key}\`, personal data (${fields.join(', ')} marked x-eventwire-pii)`,
      hint: 'order by an identifier that is not personal data (the order or account the events are about)',
    });
  }
  return findings;
}

export const piiKeyRule: CheckRule = { ids: ['lint/pii-key'], run };
