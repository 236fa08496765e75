/**
 * How each pub/sub component parses the metadata eventwire writes, read from components-contrib c23900d and
 * dapr/kit 6e5616a. Emitters format values through `formatMetadata` and the tests check every generated value
 * with `parsesAs`, so a value Dapr would silently ignore (e.g. `redeliverInterval: 15s`) cannot be generated.
 */

export type MetadataParse =
  /** strconv.ParseUint only, read as milliseconds; anything else is ignored and the default stays. */
  | 'milliseconds-only'
  /** dapr/kit config.Decode for time.Duration: an integer is milliseconds, else time.ParseDuration. */
  | 'duration-ms-or-go'
  | 'uint'
  | 'uint8'
  | 'int64'
  /** strconv.ParseBool: 1 t T TRUE true True 0 f F FALSE false False; anything else fails. */
  | 'bool'
  /** dapr/kit strings.IsTruthy: y yes true t on 1 (any case) are true, anything else is silently false. */
  | 'truthy'
  | 'string';

export interface MetadataKey {
  readonly parse: MetadataParse;
  /** Where the component parses it. */
  readonly source: string;
}

const REDIS_SETTINGS = 'common/component/redis/settings.go Settings (dapr/kit config.Decode)';
const REDIS_LEGACY = 'common/component/redis/redis.go ParseClientFromProperties';
const RABBIT = 'pubsub/rabbitmq/metadata.go rabbitmqMetadata (dapr/kit metadata.DecodeMetadata)';
const SCOPES = 'dapr pkg/scopes/scopes.go GetScopedTopics, GetAllowedTopics';

const SCOPING: Record<string, MetadataKey> = {
  publishingScopes: { parse: 'string', source: SCOPES },
  subscriptionScopes: { parse: 'string', source: SCOPES },
  allowedTopics: { parse: 'string', source: SCOPES },
  protectedTopics: { parse: 'string', source: SCOPES },
};

export const METADATA_PARSING: Record<'pubsub.redis' | 'pubsub.rabbitmq', Record<string, MetadataKey>> = {
  'pubsub.redis': {
    redisHost: { parse: 'string', source: REDIS_SETTINGS },
    redisPassword: { parse: 'string', source: REDIS_SETTINGS },
    consumerID: { parse: 'string', source: REDIS_SETTINGS },
    enableTLS: { parse: 'bool', source: REDIS_SETTINGS },
    // `mapstructure:"-"`: only the ParseUint branch of ParseClientFromProperties reads it.
    redeliverInterval: {
      parse: 'milliseconds-only',
      source: `${REDIS_LEGACY} (RedeliverInterval mapstructure:"-")`,
    },
    processingTimeout: { parse: 'duration-ms-or-go', source: `${REDIS_SETTINGS}; ${REDIS_LEGACY}` },
    queueDepth: { parse: 'uint', source: REDIS_SETTINGS },
    concurrency: { parse: 'uint', source: REDIS_SETTINGS },
    maxLenApprox: { parse: 'int64', source: REDIS_SETTINGS },
    streamTTL: { parse: 'duration-ms-or-go', source: REDIS_SETTINGS },
    ...SCOPING,
  },
  'pubsub.rabbitmq': {
    protocol: { parse: 'string', source: RABBIT },
    hostname: { parse: 'string', source: RABBIT },
    username: { parse: 'string', source: RABBIT },
    password: { parse: 'string', source: RABBIT },
    consumerID: { parse: 'string', source: RABBIT },
    exchangeKind: { parse: 'string', source: RABBIT },
    durable: { parse: 'truthy', source: RABBIT },
    deletedWhenUnused: { parse: 'truthy', source: RABBIT },
    deliveryMode: { parse: 'uint8', source: RABBIT },
    publisherConfirm: { parse: 'truthy', source: RABBIT },
    enableDeadLetter: { parse: 'truthy', source: RABBIT },
    requeueInFailure: { parse: 'truthy', source: RABBIT },
    prefetchCount: { parse: 'uint8', source: RABBIT },
    ...SCOPING,
  },
};

/** The text a component parses back to `value` (durations in milliseconds). */
export function formatMetadata(parse: MetadataParse, value: number | boolean | string): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`metadata value ${value} is not a whole number`);
    return String(value);
  }
  if (parse !== 'string')
    throw new Error(`metadata value '${value}' must be written from a number or boolean`);
  return value;
}

const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;

/** Whether the component reads `text` as a value (and not as "ignored, keep the default" or an error). */
export function parsesAs(parse: MetadataParse, text: string): boolean {
  switch (parse) {
    case 'milliseconds-only':
    case 'uint':
      return /^\d+$/.test(text) && BigInt(text) <= 18446744073709551615n;
    case 'uint8':
      return /^\d+$/.test(text) && Number(text) <= 255;
    case 'int64':
      return (
        /^[-+]?\d+$/.test(text) &&
        BigInt(text) <= 9223372036854775807n &&
        BigInt(text) >= -9223372036854775808n
      );
    case 'duration-ms-or-go':
      return /^-?\d+$/.test(text) || text === '0' || GO_DURATION.test(text);
    case 'bool':
      return ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text);
    case 'truthy':
      // Anything parses, but only these mean true; eventwire writes exactly 'true' or 'false'.
      return text === 'true' || text === 'false';
    case 'string':
      return true;
  }
}
