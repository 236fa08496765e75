/**
 * Run-time knobs of the load tests, read from the environment (`k6 run -e NAME=value` or exported variables).
 * Pure: `readSettings` takes the environment as an argument so it is tested under Node; k6 passes `__ENV`.
 */

export interface Settings {
  /** Base URL of the Dapr sidecar's HTTP API. */
  readonly daprUrl: string;
  readonly daprApiToken?: string;
  /** RabbitMQ management API base URL: AMQP channels are published through its publish endpoint. */
  readonly amqpPublishUrl: string;
  readonly amqpUser: string;
  readonly amqpPassword: string;
  readonly steadyDuration: string;
  readonly peakDuration: string;
  /** Multiplies every contract rate: 60 replays an hour of steady traffic in a minute. */
  readonly rateScale: number;
  /** Iterations of the smoke scenario run for operations whose contract gives no volume. */
  readonly smokeIterations: number;
  /** Ordered channels: how many partition keys the load is spread over. */
  readonly orderingKeys: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const DURATION = /^([0-9]+(ms|s|m|h))+$/;

function duration(env: Env, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!DURATION.test(value))
    throw new Error(`${name}=${value} is not a k6 duration; use values like 90s, 5m, 1h30m`);
  return value;
}

function positive(env: Env, name: string, fallback: number, integer: boolean): number {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name}=${raw} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

export function readSettings(env: Env): Settings {
  // Read through a name, not `env.X`: the environment is an index signature, whatever the compiler flags.
  const get = (name: string): string | undefined => env[name] || undefined;
  const token = get('DAPR_API_TOKEN');
  return {
    daprUrl: get('DAPR_URL') ?? `http://127.0.0.1:${get('DAPR_HTTP_PORT') ?? '3500'}`,
    ...(token ? { daprApiToken: token } : {}),
    amqpPublishUrl: (get('AMQP_PUBLISH_URL') ?? 'http://127.0.0.1:15672').replace(/\/+$/, ''),
    amqpUser: get('AMQP_USER') ?? 'guest',
    amqpPassword: get('AMQP_PASSWORD') ?? 'guest',
    steadyDuration: duration(env, 'STEADY_DURATION', '5m'),
    peakDuration: duration(env, 'PEAK_DURATION', '1m'),
    rateScale: positive(env, 'RATE_SCALE', 1, false),
    smokeIterations: positive(env, 'SMOKE_ITERATIONS', 20, true),
    orderingKeys: positive(env, 'ORDERING_KEYS', 100, true),
  };
}
