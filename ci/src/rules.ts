/**
 * Every rule `check` and `diff` can report, with its default severity and documentation. The SARIF output
 * publishes this as rule metadata, the config loader rejects unknown rule ids with it, and ci/README.md
 * describes the same list.
 */
import type { IssueKind } from './schema/issues.ts';
import type { SeveritySetting } from './types.ts';

export interface RuleInfo {
  readonly id: string;
  readonly defaultSeverity: SeveritySetting;
  readonly summary: string;
  readonly help: string;
}

const rule = (id: string, defaultSeverity: SeveritySetting, summary: string, help: string): RuleInfo => ({
  id,
  defaultSeverity,
  summary,
  help,
});

export const CHECK_RULES: readonly RuleInfo[] = [
  rule(
    'topology/unmatched-subscription',
    'error',
    'A receive operation whose channel no document sends on.',
    'Addresses match exactly, with parameters matched by position; AMQP bindings match routing keys on the same exchange and vhost (`*` one word, `#` zero or more). Fix the address, or add the publisher contract.',
  ),
  rule(
    'topology/unconsumed-publication',
    'warning',
    'A send operation no document receives.',
    'Nothing in the contracts consumes this channel. Remove the operation, or add the consumer contract; ignore it with a reason when the consumer lives outside these contracts.',
  ),
  rule(
    'topology/payload-mismatch',
    'error',
    'A message a publisher may send that a subscriber rejects.',
    "The publisher's payload schema must be included in the subscriber's: every required field guaranteed, no type or enum the subscriber lacks, no property a closed subscriber schema forbids. Share one message definition with $ref.",
  ),
  rule(
    'topology/payload-undecidable',
    'warning',
    'Publisher and subscriber schemas that cannot be compared structurally.',
    'Different patterns, `not`, if/then/else or dependentSchemas make schema inclusion undecidable. Share one definition, or simplify the schema.',
  ),
  rule(
    'topology/unhandled-message',
    'warning',
    'A message published on a channel that a subscriber of that channel does not declare.',
    'The subscriber receives every message of the channel; one it does not declare has no handler. Add the message to the receive operation.',
  ),
  rule(
    'topology/exchange-conflict',
    'error',
    'Two documents declare the same AMQP exchange with different types or durability.',
    'RabbitMQ refuses to redeclare an exchange with other properties (PRECONDITION_FAILED). Declare the exchange identically everywhere, ideally from a shared file.',
  ),
  rule(
    'lint/naming',
    'error',
    'Addresses and routing keys follow `domain.entity.action`.',
    'Lower snake-case segments separated by dots (`warehouse.inventory.stock_changed`); parameters as `{name}`; AMQP binding patterns may use `*` and `#`.',
  ),
  rule(
    'lint/missing-dead-letter',
    'error',
    'A receive operation without `x-eventwire-dead-letter`.',
    'Declare where failed deliveries go (`x-eventwire-dead-letter: {address: dlq.<subscription>}`), so poison messages are kept and can be replayed.',
  ),
  rule(
    'lint/missing-retry-policy',
    'error',
    'A receive operation without `x-eventwire-retry`.',
    'Declare the retry policy (`x-eventwire-retry: {maxRetries: 3}`) instead of relying on defaults.',
  ),
  rule(
    'lint/invalid-example',
    'error',
    'A message example that does not validate against its payload schema.',
    'Fix the example or the schema: generated documentation and test fixtures use the examples.',
  ),
  rule(
    'lint/pii-key',
    'warning',
    'A field marked `x-eventwire-pii` used as an idempotency key or an ordering key.',
    'The runtime hashes such keys, but a key of personal data still links every event of one person in the stores for as long as they keep it. Key on an identifier that is not personal data (event_id, an order or account id).',
  ),
  rule(
    'lint/invalid-extension',
    'error',
    'An x-eventwire-* extension that does not match asyncapi/extensions.schema.json.',
    'See asyncapi/extensions.schema.json for the allowed fields and values.',
  ),
  rule(
    'config/ignore-without-reason',
    'error',
    'An ignore entry without a reason.',
    'Every suppressed finding needs a `reason` saying why it is acceptable; the entry is not applied until it has one.',
  ),
  rule(
    'config/unused-ignore',
    'warning',
    'An ignore entry that matched no finding.',
    'Remove stale ignore entries so they do not hide a future problem.',
  ),
];

/**
 * Rule ids of schema changes, by the kind of difference the subset engine found and its direction:
 * `widened` = the new schema accepts something the old rejected, `narrowed` = the reverse, `changed` = both at
 * the same place (a type or enum replaced).
 */
export const SCHEMA_CHANGE_RULES: Readonly<
  Record<
    Exclude<IssueKind, 'undecidable'>,
    { widened: string; narrowed: string; changed: string; summary: string }
  >
> = {
  type: {
    widened: 'schema/type-widened',
    narrowed: 'schema/type-narrowed',
    changed: 'schema/type-changed',
    summary: 'The JSON types a value may have changed.',
  },
  enum: {
    widened: 'schema/enum-value-added',
    narrowed: 'schema/enum-value-removed',
    changed: 'schema/enum-changed',
    summary: 'Enum or const values changed.',
  },
  required: {
    widened: 'schema/required-removed',
    narrowed: 'schema/required-added',
    changed: 'schema/required-changed',
    summary: 'A property became optional or required.',
  },
  'property-forbidden': {
    widened: 'schema/property-added',
    narrowed: 'schema/property-removed',
    changed: 'schema/property-changed',
    summary: 'A property was added to or removed from a closed object (additionalProperties: false).',
  },
  'property-undeclared': {
    widened: 'schema/property-removed',
    narrowed: 'schema/property-added',
    changed: 'schema/property-changed',
    summary: 'A property was removed from or added to an open object.',
  },
  'additional-properties': {
    widened: 'schema/additional-properties-widened',
    narrowed: 'schema/additional-properties-narrowed',
    changed: 'schema/additional-properties-changed',
    summary: 'What undeclared properties may hold changed.',
  },
  bound: {
    widened: 'schema/bound-loosened',
    narrowed: 'schema/bound-tightened',
    changed: 'schema/bound-changed',
    summary: 'A numeric, length, item-count, property-count or uniqueness bound changed.',
  },
  format: {
    widened: 'schema/format-removed',
    narrowed: 'schema/format-added',
    changed: 'schema/format-changed',
    summary: 'A string or number format changed.',
  },
  pattern: {
    widened: 'schema/pattern-removed',
    narrowed: 'schema/pattern-added',
    changed: 'schema/pattern-changed',
    summary: 'A string pattern changed.',
  },
  variant: {
    widened: 'schema/variant-added',
    narrowed: 'schema/variant-removed',
    changed: 'schema/variant-changed',
    summary: 'An anyOf/oneOf variant was added or removed.',
  },
};

export const DIFF_RULES: readonly RuleInfo[] = [
  rule(
    'diff/operation-removed',
    'error',
    'An operation was removed.',
    'Consumers or publishers on the other side lose their counterpart.',
  ),
  rule(
    'diff/operation-added',
    'info',
    'An operation was added.',
    'Adding an operation never breaks existing counterparts.',
  ),
  rule(
    'diff/operation-renamed',
    'info',
    'An operation id changed; the channel and messages did not.',
    'Generated function names change; the wire contract does not.',
  ),
  rule(
    'diff/service-renamed',
    'info',
    'A service kept its document but changed its name (no x-eventwire-service, and info.title edited).',
    'Publishing is unaffected; a receiving service whose app id follows the name moves to new consumer groups (undecidable).',
  ),
  rule(
    'diff/server-changed',
    'error',
    "A server's protocol, host or protocol version changed.",
    'Every operation on it now talks to another broker, or speaks to it another way: counterparts that did not move are cut off.',
  ),
  rule(
    'diff/server-removed',
    'error',
    'A server the operation was on was removed.',
    'The operation loses the broker it used.',
  ),
  rule(
    'diff/action-changed',
    'error',
    'An operation switched between send and receive.',
    'Every counterpart breaks.',
  ),
  rule(
    'diff/address-changed',
    'error',
    'The channel address (topic or routing key) changed.',
    'Messages go to, or are read from, a different place: counterparts on the old address are cut off.',
  ),
  rule(
    'diff/pubsub-changed',
    'error',
    'The Dapr pub/sub component changed.',
    'Publishers and subscribers must use the same component to meet.',
  ),
  rule(
    'diff/exchange-changed',
    'error',
    'The AMQP exchange name, type or vhost changed.',
    'Bindings on the old exchange no longer receive the messages.',
  ),
  rule(
    'diff/queue-changed',
    'error',
    'The AMQP queue name, type or durability changed.',
    'RabbitMQ refuses to redeclare a queue with other arguments, and messages left in the old queue are stranded.',
  ),
  rule(
    'diff/message-removed',
    'error',
    'A message was removed from an operation.',
    'Counterparts that send or expect it break.',
  ),
  rule(
    'diff/message-added',
    'info',
    'A message was added to an operation.',
    'Breaking on a send operation (subscribers receive a type they do not know); safe on a receive operation.',
  ),
  rule(
    'diff/content-type-changed',
    'error',
    'A message content type changed.',
    'Counterparts decode with the old content type.',
  ),
  rule(
    'diff/message-version-changed',
    'info',
    'A message version changed.',
    'Informational; a breaking schema change should come with a major version bump.',
  ),
  ...[
    ...new Map(
      Object.values(SCHEMA_CHANGE_RULES).flatMap((r) =>
        [r.widened, r.narrowed, r.changed].map((id) => [id, r.summary] as const),
      ),
    ),
  ].map(([id, summary]) =>
    rule(
      id,
      'info',
      summary,
      'Breaking when a send schema now accepts more, or a receive schema now accepts less.',
    ),
  ),
  rule(
    'schema/undecidable',
    'warning',
    'A schema change that cannot be classified structurally.',
    'Different patterns, `not`, if/then/else, dependentSchemas: review by hand.',
  ),
];

const CHECK_BY_ID = new Map(CHECK_RULES.map((r) => [r.id, r]));

export function checkRule(id: string): RuleInfo | undefined {
  return CHECK_BY_ID.get(id);
}

/** Rules of diagnostics found before the checks are named after their stage and code: `model/<code>`, `parse/<code>`. */
export function isKnownCheckRule(id: string): boolean {
  return CHECK_BY_ID.has(id) || id.startsWith('model/') || id.startsWith('parse/');
}
