/**
 * lint/missing-dead-letter and lint/missing-retry-policy: every receive operation states where failed
 * deliveries go and how often they are retried, instead of inheriting defaults nobody reviewed.
 */
import type { Operation } from '../../../generators/model/types.ts';
import { allOperations, type CheckContext, type CheckRule, type RawFinding } from './context.ts';

function deadLetterExample(op: Operation): string {
  const name = op.delivery?.subscription ?? op.id;
  const queue = op.delivery?.queue?.name;
  const address = op.channel.binding.kind === 'amqp' && queue ? `${queue}.errors` : `dlq.${name}`;
  return `x-eventwire-dead-letter: { address: ${address} }`;
}

function run(context: CheckContext): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const op of allOperations(context.model)) {
    if (op.action !== 'receive') continue;
    const declared = op.delivery?.declared ?? { retry: false, deadLetter: false };
    if (!declared.deadLetter) {
      findings.push({
        code: 'lint/missing-dead-letter',
        file: op.source.file,
        pointer: op.source.pointer,
        address: op.channel.address,
        message: `${op.service}'s \`${op.id}\` declares no dead letter: failed deliveries ${op.delivery ? `go to the default \`${op.delivery.deadLetter.address}\`` : 'are not kept'}`,
        hint: `add \`${deadLetterExample(op)}\` to the operation`,
      });
    }
    if (!declared.retry) {
      findings.push({
        code: 'lint/missing-retry-policy',
        file: op.source.file,
        pointer: op.source.pointer,
        address: op.channel.address,
        message: `${op.service}'s \`${op.id}\` declares no retry policy${op.delivery ? ` (the default of ${op.delivery.retry.maxRetries} retries applies)` : ''}`,
        hint: 'add `x-eventwire-retry: { maxRetries: 3, backoff: exponential, initialInterval: 1s }` to the operation',
      });
    }
  }
  return findings;
}

export const deliveryRules: CheckRule = {
  ids: ['lint/missing-dead-letter', 'lint/missing-retry-policy'],
  run,
};
