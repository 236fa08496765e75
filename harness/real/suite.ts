/**
 * The real-broker backend of `eventwire test` (`--brokers local` and `--brokers containers`): one suite per
 * receive operation, a consumer host process per suite (reused across runs until a crash kills it; a spare is
 * kept warm once crashes happen, so a restart does not wait for module loading), a fault proxy between the
 * consumer and its transport broker (a dropped connection is cut there), and per-run names on the shared brokers
 * (a Redis key prefix, tagged RabbitMQ exchanges and queues or a vhost, a PostgreSQL schema), removed after the run.
 */
import amqp from 'amqplib';
import { FakeSidecar } from 'eventwire/testing';
import {
  createDaprTransport,
  createRedisStreamsTransport,
  type PublicationSpec,
  type SubscriptionSpec,
  type Transport,
} from 'eventwire/runtime';
import { createRabbitMqTransport } from 'eventwire/runtime/transports/rabbitmq/index';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pathToFileURL } from 'node:url';
import { FaultProxy } from '../containers/fault-proxy.ts';
import { BrokerUnavailableError, ModeUnavailableError } from '../engine/errors.ts';
import {
  ALL_FAULTS,
  BROKER_FAULTS,
  type BrokerFault,
  type BrokerFaults,
  type BrokerKind,
  type FaultKind,
  type HarnessBackend,
  type Isolation,
  type RunDriver,
  type RunPlan,
  type StartedBrokers,
  type SuiteOptions,
  type SuiteSession,
  type SuiteTarget,
} from '../engine/types.ts';
import { publicationOnAmqp, taggedObjects, taggedPublication } from './amqp-names.ts';
import { DaprReads } from './dapr-reads.ts';
import { HostProcess } from './host-process.ts';
import type { HostRunConfig } from './protocol.ts';
import { RealRun } from './run.ts';
import { horizonMs, idleWindowMs, redisProcessingTimeoutMs } from './scale.ts';

/**
 * What every real broker mode can do of the step vocabulary (containers mode adds the broker faults its brokers
 * can inject, brokerFaultsOf). Not here: `redelivery` (a broker cannot be told to deliver
 * one message twice; it redelivers after crashes and dropped connections, which are faults of their own) and
 * `slow-handler` (the runtime's Redis Streams and RabbitMQ transports renew a running handler's lease, so no
 * redelivery follows; on Dapr the app cannot renew daprd's processingTimeout, and `--transport dapr` adds it:
 * DAPR_FAULTS).
 */
export const REAL_FAULTS: ReadonlySet<FaultKind> = new Set(
  ALL_FAULTS.filter(
    (fault) =>
      fault !== 'redelivery' &&
      fault !== 'slow-handler' &&
      !(BROKER_FAULTS as readonly string[]).includes(fault),
  ),
);

/**
 * `--transport dapr`: the fake daprd is the broker, in this process. No `connection-drop` (there is no proxy
 * between the app and its sidecar to cut), no broker faults; `slow-handler` is the processingTimeout redelivery
 * of dapr/components-contrib#4599 (dapr-reads.ts).
 */
export const DAPR_FAULTS: ReadonlySet<FaultKind> = new Set([
  ...[...REAL_FAULTS].filter((fault) => fault !== 'connection-drop'),
  'slow-handler',
]);

/** The contract's durations on real brokers by default: 1/50 (a 1 s retry delay takes 20 ms). */
export const REAL_TIME_SCALE = 0.02;

export function realBackend(mode: 'local' | 'containers'): HarnessBackend {
  return {
    mode,
    openSuite: (target, brokers, options) => RealSuite.open(mode, target, brokers, options),
  };
}

/** The names one run lives under. */
export interface RunNames {
  readonly redisPrefix: string;
  /** Suffix of the run's RabbitMQ objects; absent when the run has a vhost of its own. */
  readonly amqpTag?: string;
  readonly amqpUrl?: string;
  /** The run's PostgreSQL schema (the PostgreSQL idempotency store, the handlers module's createHarnessDeps). */
  readonly pgSchema?: string;
  readonly publication: PublicationSpec;
  /** Dapr: the run's sidecar (the fake daprd, its pub/sub in memory: a fresh one per run). */
  readonly sidecar?: FakeSidecar;
  /** Dapr: what happens at the sidecar's component (slow reads held in its queue, reclaims seen). */
  readonly reads?: DaprReads;
}

/** The fake sidecar's inbound retry interval: generated/dapr/resiliency.yaml's 1 s, scaled. */
const daprRetryIntervalMs = (scale: number) => Math.max(10, Math.round(1000 * scale));
/** The fake sidecar's pubsub.redis processingTimeout (60 s, scaled) and redeliverInterval (15 s, scaled). */
const daprProcessingTimeoutMs = (scale: number) => Math.max(300, Math.round(60_000 * scale));
const daprRedeliverIntervalMs = (scale: number) => Math.max(100, Math.round(15_000 * scale));

/** The broker faults the started brokers can inject (containers: all of them; local: none). */
export function brokerFaultsOf(faults: BrokerFaults): BrokerFault[] {
  const can: Record<BrokerFault, boolean> = {
    'broker-restart': faults.restart !== undefined,
    'broker-pause': faults.pause !== undefined,
    'proxy-down': faults.cutConnections !== undefined && faults.restoreConnections !== undefined,
    'proxy-reset': faults.resetConnections !== undefined,
    'proxy-latency': faults.addLatency !== undefined && faults.clearNetworkFaults !== undefined,
  };
  return BROKER_FAULTS.filter((fault) => can[fault]);
}

/** How long a broker stays frozen, or its connections cut, in one broker fault step. */
const BROKER_OUTAGE_MS = 400;
/** The delay `proxy-latency` adds to every packet for the rest of the run. */
const PROXY_LATENCY_MS = 20;

export class RealSuite implements SuiteSession {
  readonly supports: ReadonlySet<FaultKind>;
  readonly idleWindowMs: number;
  /** Longest one settle may take: past it, something is stuck (retried forever, never acknowledged). */
  readonly horizonMs: number;
  readonly #mode: 'local' | 'containers';
  readonly #target: SuiteTarget;
  readonly #brokers: StartedBrokers;
  readonly #options: SuiteOptions;
  readonly #proxy: FaultProxy;
  readonly #specs: { subscriptions: SubscriptionSpec[]; publications: PublicationSpec[] };
  #idle: HostProcess | undefined;
  #spare: Promise<HostProcess> | undefined;
  #amqp: Promise<amqp.ChannelModel> | undefined;
  #names: RunNames | undefined;
  /** Every run's Redis prefix, swept once more when the suite ends (a write that raced a run's cleanup). */
  readonly #prefixes = new Set<string>();

  private constructor(
    mode: 'local' | 'containers',
    target: SuiteTarget,
    brokers: StartedBrokers,
    options: SuiteOptions,
    proxy: FaultProxy,
    specs: { subscriptions: SubscriptionSpec[]; publications: PublicationSpec[] },
    host: HostProcess,
  ) {
    this.#mode = mode;
    this.#target = target;
    this.#brokers = brokers;
    this.#options = options;
    this.#proxy = proxy;
    this.#specs = specs;
    this.#idle = host;
    // On Dapr the broker is the run's fake sidecar, in this process: no proxy between it and the app, no container.
    this.supports =
      target.transport === 'dapr'
        ? DAPR_FAULTS
        : new Set([...REAL_FAULTS, ...brokerFaultsOf(brokers.faults)]);
    this.horizonMs = horizonMs(target.spec, options.timeScale);
    // Nothing happens while the broker waits to reclaim an entry: a Redis Streams entry a dead consumer held, or
    // on Dapr a slow event's first read waiting in daprd's queue until its processingTimeout is nearly spent.
    const reclaim =
      target.transport === 'redis-streams'
        ? redisProcessingTimeoutMs(target.spec, options.timeScale) * 1.5
        : target.transport === 'dapr'
          ? daprProcessingTimeoutMs(options.timeScale) + daprRedeliverIntervalMs(options.timeScale)
          : 0;
    this.idleWindowMs = Math.max(idleWindowMs(target.spec, options.timeScale), reclaim + 400);
  }

  static async open(
    mode: 'local' | 'containers',
    target: SuiteTarget,
    brokers: StartedBrokers,
    options: SuiteOptions,
  ): Promise<RealSuite> {
    if (options.handlerDeps !== undefined) {
      throw new ModeUnavailableError(
        `handlerDeps are objects of this process, and on --brokers ${mode} the consumer runs in a process of its own: ` +
          'export createHarnessDeps(context) from the handlers module instead (it runs in the consumer process)',
      );
    }
    const url = target.transport === 'rabbitmq' ? brokers.endpoints.amqpUrl : brokers.endpoints.redisUrl;
    if (!url) {
      const [broker, variable] =
        target.transport === 'rabbitmq' ? ['RabbitMQ', 'AMQP_URL'] : ['Redis', 'REDIS_URL'];
      throw new BrokerUnavailableError(
        broker,
        '(none)',
        `${target.service} runs on ${target.transport}`,
        `Set ${variable}.`,
      );
    }
    const address = new URL(url);
    const proxy = await FaultProxy.start(`consumer-${target.service}`, {
      host: address.hostname,
      port: Number(address.port || (target.transport === 'rabbitmq' ? 5672 : 6379)),
    });
    try {
      const barrel = (await import(pathToFileURL(target.consumerModule).href)) as {
        subscriptions?: Record<string, SubscriptionSpec>;
        publications?: Record<string, PublicationSpec>;
      };
      const specs = {
        subscriptions: Object.values(barrel.subscriptions ?? {}),
        publications: [...Object.values(barrel.publications ?? {}), target.publication],
      };
      const host = await HostProcess.spawn(target);
      return new RealSuite(mode, target, brokers, options, proxy, specs, host);
    } catch (error) {
      await proxy.close();
      throw error;
    }
  }

  get publication(): PublicationSpec {
    return this.#names?.publication ?? this.#target.publication;
  }

  async startRun(plan: RunPlan): Promise<RunDriver> {
    const isolation = await this.#brokers.isolate(plan.runId);
    const tag = isolation.amqpVhost
      ? undefined
      : `${plan.runId.replace(/[^A-Za-z0-9]/g, '').slice(-12)}${randomBytes(3).toString('hex')}`;
    const reads =
      this.#target.transport === 'dapr'
        ? new DaprReads(
            daprProcessingTimeoutMs(plan.timeScale),
            this.#target.spec.handlerTimeoutMs * plan.timeScale,
          )
        : undefined;
    const sidecar = reads ? await this.#startSidecar(plan.timeScale, reads) : undefined;
    if (sidecar) reads?.attach(sidecar);
    const names: RunNames = {
      ...(sidecar ? { sidecar, reads } : {}),
      redisPrefix: isolation.redisPrefix ?? `ew-test-${plan.runId}-${randomBytes(3).toString('hex')}:`,
      ...(tag ? { amqpTag: tag } : {}),
      ...(isolation.amqpUrl ? { amqpUrl: isolation.amqpUrl } : {}),
      ...(isolation.pgSchema ? { pgSchema: isolation.pgSchema } : {}),
      publication: this.#publicationFor(tag),
    };
    this.#names = names;
    this.#prefixes.add(names.redisPrefix);
    const publisher = await this.#openPublisher(names);
    const run = new RealRun(this, plan, isolation, publisher);
    if (names.reads) names.reads.onRedelivery = (eventId) => run.brokerRedelivered(eventId);
    try {
      await run.start();
    } catch (error) {
      await run[Symbol.asyncDispose]();
      throw error;
    }
    return run;
  }

  /** What a consumer host needs to start the run's consumer. */
  runConfig(plan: RunPlan): Omit<HostRunConfig, 'consumer' | 'events'> {
    const names = this.#names!;
    const endpoints = this.#brokers.endpoints;
    const transportUrl = new URL(
      this.#target.transport === 'rabbitmq' ? (names.amqpUrl ?? endpoints.amqpUrl!) : endpoints.redisUrl!,
    );
    transportUrl.hostname = this.#proxy.address.host;
    transportUrl.port = String(this.#proxy.address.port);
    return {
      runId: plan.runId,
      transportUrl: transportUrl.toString(),
      ...(endpoints.redisUrl ? { redisUrl: endpoints.redisUrl } : {}),
      ...(endpoints.databaseUrl ? { databaseUrl: endpoints.databaseUrl } : {}),
      ...(names.pgSchema ? { pgSchema: names.pgSchema } : {}),
      redisPrefix: names.redisPrefix,
      ...(names.amqpTag ? { amqpTag: names.amqpTag } : {}),
      timeScale: plan.timeScale,
      ...(names.sidecar
        ? { daprHttpPort: names.sidecar.port, daprRetryIntervalMs: daprRetryIntervalMs(plan.timeScale) }
        : {}),
      ...(this.#options.variant !== undefined ? { variant: this.#options.variant } : {}),
      mode: this.#mode,
      endpoints: Object.fromEntries(
        Object.entries(endpoints).filter(([, value]) => typeof value === 'string'),
      ),
    };
  }

  /** A host ready to start a consumer: the idle one, the warm spare, or a new one. */
  async takeHost(): Promise<HostProcess> {
    const idle = this.#idle;
    this.#idle = undefined;
    if (idle?.alive) return idle;
    const spare = this.#spare;
    // Once a host has died, crashes happen in this suite: keep the next one warming up.
    this.#spare = HostProcess.spawn(this.#target);
    this.#spare.catch(() => undefined);
    return spare ?? HostProcess.spawn(this.#target);
  }

  /** The run is over: stop the host's consumer and keep the host for the next run (or kill it if stuck). */
  async returnHost(host: HostProcess): Promise<void> {
    if (!host.alive) return;
    try {
      await host.request({ type: 'stop' }, 10_000);
    } catch {
      await host.kill();
      return;
    }
    if (this.#idle?.alive) await host.kill();
    else this.#idle = host;
  }

  /** Applies a broker fault to the broker the subscription's transport runs on. */
  async brokerFault(fault: BrokerFault): Promise<void> {
    const faults = this.#brokers.faults;
    const kind: BrokerKind = this.#target.transport === 'rabbitmq' ? 'rabbitmq' : 'redis';
    const pause = () => new Promise((resolve) => setTimeout(resolve, BROKER_OUTAGE_MS));
    switch (fault) {
      case 'broker-restart':
        return faults.restart!(kind);
      case 'broker-pause':
        return faults.pause!(kind, BROKER_OUTAGE_MS);
      case 'proxy-down':
        await faults.cutConnections!(kind);
        await pause();
        return faults.restoreConnections!(kind);
      case 'proxy-reset':
        return faults.resetConnections!(kind);
      case 'proxy-latency':
        return faults.addLatency!(kind, PROXY_LATENCY_MS);
    }
  }

  async dropConsumerConnections(): Promise<void> {
    await this.#proxy.disable();
    await this.#proxy.enable();
  }

  /**
   * The schedule says `slow <event>`: on Dapr its first read waits in daprd's queue, so that the component
   * redelivers it while its handler runs (dapr-reads.ts). Other transports never schedule it.
   */
  slowFirstRead(eventId: string): void {
    this.#names?.reads?.slow(eventId);
  }

  /** Dapr: the sidecar reads the new app's subscriptions and delivers to it from now on. */
  async connectApp(appUrl: string): Promise<void> {
    await this.#names?.sidecar?.connectApp(appUrl);
  }

  async cleanUp(isolation: Isolation, publisher: Transport): Promise<void> {
    await publisher.close().catch(() => undefined);
    this.#names?.reads?.close();
    await this.#names?.sidecar?.close().catch(() => undefined);
    // A slowed network does not carry over into the next run.
    const kind: BrokerKind = this.#target.transport === 'rabbitmq' ? 'rabbitmq' : 'redis';
    await this.#brokers.faults.clearNetworkFaults?.(kind);
    const tag = this.#names?.amqpTag;
    if (tag && this.#target.transport === 'rabbitmq') await this.#deleteTagged(tag);
    await isolation[Symbol.asyncDispose]();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#idle?.kill();
    const spare = await this.#spare?.catch(() => undefined);
    await spare?.kill();
    await this.#proxy.close();
    const connection = await this.#amqp?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await this.#sweep().catch(() => undefined);
  }

  /** Deletes what is left under any prefix this suite's runs used: one SCAN for the whole suite. */
  async #sweep(): Promise<void> {
    const url = this.#brokers.endpoints.redisUrl;
    if (!url || this.#prefixes.size === 0) return;
    const redis = new Redis(url, { maxRetriesPerRequest: 2 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
        const ours = keys.filter((key) => this.#prefixes.has(`${key.slice(0, key.indexOf(':'))}:`));
        if (ours.length > 0) await redis.del(...ours);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  /** The harness's publication on the run's broker: on RabbitMQ a topic is a fanout exchange, tagged per run. */
  #publicationFor(tag: string | undefined): PublicationSpec {
    const publication = this.#target.publication;
    if (this.#target.transport !== 'rabbitmq') return publication;
    const onBroker = publicationOnAmqp(publication);
    return tag ? taggedPublication(onBroker, tag) : onBroker;
  }

  /**
   * A fake daprd for one run, as generated/dapr/ configures the real one (inbound retry without a count limit,
   * the app applying the contract's limit and backoff), its intervals scaled with the contract.
   */
  #startSidecar(scale: number, reads: DaprReads): Promise<FakeSidecar> {
    return FakeSidecar.start({
      appId: this.#target.service,
      retry: { maxRetries: -1, durationMs: daprRetryIntervalMs(scale) },
      component: {
        processingTimeoutMs: daprProcessingTimeoutMs(scale),
        redeliverIntervalMs: daprRedeliverIntervalMs(scale),
      },
      holdInQueue: reads.holdInQueue,
    });
  }

  async #openPublisher(names: RunNames): Promise<Transport> {
    const endpoints = this.#brokers.endpoints;
    if (names.sidecar)
      return createDaprTransport({ httpPort: names.sidecar.port, appPort: 0, listen: 'manual' });
    if (this.#target.transport === 'rabbitmq') {
      return createRabbitMqTransport({
        url: names.amqpUrl ?? endpoints.amqpUrl!,
        connectionName: 'eventwire-test-publisher',
        publishTimeoutMs: 10_000,
      });
    }
    return createRedisStreamsTransport({
      url: endpoints.redisUrl!,
      streamPrefix: `${names.redisPrefix}s:`,
      logger: { warn: () => {}, error: () => {} },
    });
  }

  /** Deletes every queue and exchange the run's tag can have named, on one channel per object. */
  async #deleteTagged(tag: string): Promise<void> {
    this.#amqp ??= amqp.connect(this.#brokers.endpoints.amqpUrl!);
    const connection = await this.#amqp;
    const { queues, exchanges } = taggedObjects(this.#specs.subscriptions, this.#specs.publications, tag);
    let channel = await connection.createChannel();
    channel.on('error', () => {});
    const attempt = async (work: (ch: amqp.Channel) => Promise<unknown>) => {
      try {
        await work(channel);
      } catch {
        // The object was never declared in this run: the channel is closed by the broker, open another.
        channel = await connection.createChannel();
        channel.on('error', () => {});
      }
    };
    for (const queue of queues) await attempt((ch) => ch.deleteQueue(queue));
    for (const exchange of exchanges) await attempt((ch) => ch.deleteExchange(exchange));
    await channel.close().catch(() => undefined);
  }
}
