/**
 * A broker in a throwaway container, reached only through its fault proxy, with the broker-level faults only a
 * container allows: restart (crash or clean stop, then start, the data directory kept), pause/unpause (a frozen
 * broker: connections stay open, nothing answers), and the proxy's network faults. The address clients use is
 * the proxy's and never changes, although Docker maps a new host port on every restart.
 *
 * Disposing (`await using`) removes the container and closes the proxy; so does Ctrl-C (engine.ts).
 */
import {
  BoundPorts,
  type ContainerRuntimeClient,
  type GenericContainer,
  PullPolicy,
  type StartedTestContainer,
  type WaitStrategy,
} from 'testcontainers';
import { dockerEngine, ownerLabels, requireLocalImage, trackContainer } from './engine.ts';

/** Docker's handle on one container, as the engine's client gives it. */
type DockerContainer = ReturnType<ContainerRuntimeClient['container']['getById']>;
import { type Address, FaultProxy } from './fault-proxy.ts';
import { type BrokerKind, resolveImages } from './settings.ts';
import { retryingFreezeTimeouts } from './freeze-retry.ts';

/** `crash`: SIGKILL, as a power cut of the broker process; `clean`: the broker's own shutdown (its stop signal). */
export type RestartKind = 'crash' | 'clean';

export interface RestartOptions {
  readonly kind?: RestartKind;
  /** Time the broker stays down before it is started again. */
  readonly downMs?: number;
}

/** What a broker kind tells the wrapper: its image, the port clients use inside the container, its URL form. */
export interface BrokerSpec {
  readonly kind: BrokerKind;
  readonly image: string;
  readonly port: number;
  readonly url: (address: Address) => string;
  /** The signal of the broker's own clean shutdown (the official image's STOPSIGNAL); default SIGTERM. */
  readonly stopSignal?: string;
  /**
   * What says the broker is ready: the container starts with it, and a restart waits for it again. A fresh
   * strategy each call (strategies keep state).
   */
  readonly ready: () => WaitStrategy;
}

/** How long a restarted broker may take to say it is ready (RabbitMQ recovering its queues is the slowest). */
const RESTART_READY_TIMEOUT_MS = 90_000;

export class ContainerBroker implements AsyncDisposable {
  readonly kind: BrokerKind;
  readonly image: string;
  readonly container: StartedTestContainer;
  readonly proxy: FaultProxy;
  readonly #containerPort: number;
  readonly #url: (address: Address) => string;
  readonly #stopSignal: string;
  readonly #ready: () => WaitStrategy;
  readonly #untrack: () => void;
  /** Host ports Docker mapped on the latest restart (a restart maps new ones); empty until the first restart. */
  #restartedPorts = new Map<number, number>();
  #paused = false;
  #removed = false;
  restarts = 0;

  private constructor(spec: BrokerSpec, container: StartedTestContainer, proxy: FaultProxy) {
    this.kind = spec.kind;
    this.image = spec.image;
    this.container = container;
    this.proxy = proxy;
    this.#containerPort = spec.port;
    this.#url = spec.url;
    this.#stopSignal = spec.stopSignal ?? 'SIGTERM';
    this.#ready = spec.ready;
    this.#untrack = trackContainer(container.getId(), () => this.#remove());
  }

  /** Wraps a started container: a proxy in front of `spec.port` becomes the broker's address. */
  static async wrap(spec: BrokerSpec, container: StartedTestContainer): Promise<ContainerBroker> {
    try {
      const upstream = loopback(container.getMappedPort(spec.port));
      const proxy = await FaultProxy.start(`${spec.kind}-${container.getId().slice(0, 12)}`, upstream);
      return new ContainerBroker(spec, container, proxy);
    } catch (e) {
      await container.stop({ remove: true, removeVolumes: true }).catch(() => undefined);
      throw e;
    }
  }

  /** Where clients connect (the proxy, on 127.0.0.1). */
  get address(): Address {
    return this.proxy.address;
  }

  /** The connection URL clients use: through the proxy, with the container's credentials. */
  get url(): string {
    return this.#url(this.address);
  }

  /** The container's own mapped port, around the proxy: for the harness's checks, not for the code under test. */
  get directAddress(): Address {
    return loopback(this.mappedPort(this.#containerPort));
  }

  /** The host port Docker maps to the container's `port` now (it changes on every restart). */
  mappedPort(port: number): number {
    return this.#restartedPorts.get(port) ?? this.container.getMappedPort(port);
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * Stops the broker (`crash`: SIGKILL; `clean`: its own shutdown) and starts it again with the same data
   * directory; resolves once the broker says it is ready (`spec.ready`), the proxy pointing at it.
   *
   * Not Testcontainers' `restart()`: it reads the readiness log from the container's StartedAt, which Docker
   * records after the process is running, so a broker as quick as Redis (ready 2 ms after StartedAt) can log
   * its ready line before that instant, and the wait misses it and times out (seen about once in ten restarts
   * under load). Here the logs are read from the moment the old process had exited, before the new one starts:
   * every line after that instant is the new process's.
   */
  async restart(options: RestartOptions = {}): Promise<void> {
    const { kind = 'crash', downMs = 0 } = options;
    if (this.#paused) await this.unpause();
    const docker = (await dockerEngine()).container.getById(this.container.getId());
    await docker.kill({ signal: kind === 'crash' ? 'SIGKILL' : this.#stopSignal });
    await docker.wait();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    const since = new Date();
    await docker.start();
    const ports = await publishedPorts(docker);
    const bound = new BoundPorts();
    for (const [port, hostPort] of ports) bound.setBinding(port, hostPort);
    await this.#ready().withStartupTimeout(RESTART_READY_TIMEOUT_MS).waitUntilReady(docker, bound, since);
    this.#restartedPorts = ports;
    this.proxy.setUpstream(this.directAddress);
    this.restarts++;
  }

  /** Freezes every process of the broker (cgroup freezer): connections stay open and nothing answers. */
  async pause(): Promise<void> {
    if (this.#paused) return;
    const container = (await dockerEngine()).container.getById(this.container.getId());
    await retryingFreezeTimeouts(() => container.pause());
    this.#paused = true;
  }

  async unpause(): Promise<void> {
    if (!this.#paused) return;
    await (await dockerEngine()).container.getById(this.container.getId()).unpause();
    this.#paused = false;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#untrack();
    await this.#remove();
  }

  async #remove(): Promise<void> {
    if (this.#removed) return;
    this.#removed = true;
    await this.proxy.close();
    // A paused container cannot be stopped; remove it by force in whatever state it is.
    await (await dockerEngine()).container
      .getById(this.container.getId())
      .remove({ force: true, v: true })
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e;
      });
  }
}

/** Where a port Docker published on the loopback interface is reached. */
function loopback(hostPort: number): Address {
  return { host: '127.0.0.1', port: hostPort };
}

/**
 * The host ports Docker published for a just-started container, by container port. Docker fills them in a
 * moment after `start` returns; an empty answer is asked again, for up to 10 s.
 */
async function publishedPorts(docker: DockerContainer): Promise<Map<number, number>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const published = (await docker.inspect()).NetworkSettings.Ports ?? {};
    const ports = new Map<number, number>();
    for (const [key, bindings] of Object.entries(published)) {
      const hostPort = bindings?.[0]?.HostPort;
      if (hostPort) ports.set(Number.parseInt(key, 10), Number.parseInt(hostPort, 10));
    }
    if (ports.size > 0) return ports;
    if (Date.now() > deadline)
      throw new Error(`Docker published no port for container ${docker.id} after a restart`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a broker container: the image from the settings (never pulled: a missing one is an error first),
 * labelled with its owner for the orphan sweep, then wrapped behind its fault proxy. `configure` builds the
 * Testcontainers module's container (a class made with `onLoopback`) for the resolved image.
 */
export async function startBroker(
  spec: Omit<BrokerSpec, 'image'>,
  configure: (image: string) => GenericContainer,
): Promise<ContainerBroker> {
  const setting = resolveImages()[spec.kind];
  await requireLocalImage(spec.kind, setting);
  const container = await configure(setting.image)
    .withWaitStrategy(spec.ready())
    .withLabels(ownerLabels)
    .withPullPolicy(PullPolicy.neverPull())
    .start();
  return ContainerBroker.wrap({ ...spec, image: setting.image }, container);
}

/**
 * A Testcontainers module class whose ports are published on 127.0.0.1 only (Docker's default is every
 * interface), whatever the engine's own `--ip` setting.
 */
// biome-ignore lint/suspicious/noExplicitAny: TypeScript requires a mixin's base constructor to take any[].
export function onLoopback<C extends new (...args: any[]) => GenericContainer>(Base: C): C {
  return class extends Base {
    override async start() {
      for (const bindings of Object.values(this.hostConfig.PortBindings ?? {}) as { HostIp?: string }[][]) {
        for (const binding of bindings) binding.HostIp = '127.0.0.1';
      }
      return super.start();
    }
  };
}
