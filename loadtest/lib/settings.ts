/**
 * Run-time knobs of the load tests, read from the environment (`k6 run -e NAME=value` or exported variables).
 * Pure: `readSettings` takes the environment as an argument so it is tested under Node; k6 passes `__ENV`.
 */
import { MIN_SCENARIO_MS, parseK6Duration } from './duration.ts';
import { PROFILES, type Profile } from './plan.ts';

export interface Settings {
  /** Base URL of the Dapr sidecar's HTTP API. */
  readonly daprUrl: string;
  readonly daprApiToken?: string;
  /** RabbitMQ management API base URL: AMQP channels are published through its publish endpoint. */
  readonly amqpPublishUrl: string;
  readonly amqpUser: string;
  readonly amqpPassword: string;
  /** smoke, steady, peak or soak (loadtest/lib/plan.ts). */
  readonly profile: Profile;
  /** Overrides the profile's scenario length, in milliseconds. */
  readonly durationMs?: number;
  /** Multiplies every contract rate: 12 replays an hour of steady traffic in five minutes. */
  readonly rateScale: number;
  /** Ordered channels: how many partition keys the load is spread over. */
  readonly orderingKeys: number;
  /** Prometheus endpoints of the consumers (their `/metrics`): the processing side is judged from them. */
  readonly consumerMetrics: readonly string[];
  /** How long teardown waits for the consumers to catch up before judging delivery. */
  readonly drainMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function duration(env: Env, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const ms = parseK6Duration(value);
  if (ms === undefined || ms < MIN_SCENARIO_MS) {
    throw new Error(
      `${name}=${value} is not a duration of at least 1s (k6 refuses shorter scenarios); use 90s, 5m, 1h30m`,
    );
  }
  return ms;
}

function positive(env: Env, name: string, fallback: number, integer: boolean): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

function profile(env: Env, name = 'PROFILE'): Profile {
  const value = env[name] || 'steady';
  if (!(PROFILES as readonly string[]).includes(value)) {
    throw new Error(`${name}=${value} must be one of ${PROFILES.join(', ')}`);
  }
  return value as Profile;
}

export function readSettings(env: Env): Settings {
  // Read through a name, not `env.X`: the environment is an index signature, whatever the compiler flags.
  const get = (name: string): string | undefined => env[name] || undefined;
  const token = get('DAPR_API_TOKEN');
  const durationMs = duration(env, 'DURATION');
  return {
    daprUrl: get('DAPR_URL') ?? `http://127.0.0.1:${get('DAPR_HTTP_PORT') ?? '3500'}`,
    ...(token ? { daprApiToken: token } : {}),
    amqpPublishUrl: (get('AMQP_PUBLISH_URL') ?? 'http://127.0.0.1:15672').replace(/\/+$/, ''),
    amqpUser: get('AMQP_USER') ?? 'guest',
    amqpPassword: get('AMQP_PASSWORD') ?? 'guest',
    profile: profile(env),
    ...(durationMs !== undefined ? { durationMs } : {}),
    rateScale: positive(env, 'RATE_SCALE', 1, false),
    orderingKeys: positive(env, 'ORDERING_KEYS', 100, true),
    consumerMetrics: (get('CONSUMER_METRICS') ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter((url) => url !== ''),
    drainMs: duration(env, 'DRAIN') ?? 30_000,
  };
}
