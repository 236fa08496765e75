/**
 * A TCP proxy between a client and its broker that injects network faults with Toxiproxy's vocabulary, so suites
 * written against Toxiproxy run unchanged on a machine without its image:
 *
 * - `down`: the proxy is disabled (Toxiproxy: `enabled: false`): every open connection is closed and new ones
 *   are refused until it is enabled again;
 * - `latency`: data is delayed by `latencyMs` (± `jitterMs`), in order;
 * - `timeout`: data stops flowing (held, not dropped); the connection is closed after `timeoutMs`, or never
 *   when it is 0, in which case the held data flows again once the toxic is removed;
 * - `reset_peer`: connections are reset (TCP RST, the client sees ECONNRESET) after `timeoutMs`.
 *
 * Toxics apply to open connections and to every connection made while they are present, in both directions
 * unless `stream` names one (`upstream`: client to broker, `downstream`: broker to client). The proxy also keeps
 * a broker's address stable across container restarts: `setUpstream` points it at the new mapped port.
 */
import net from 'node:net';

export type Stream = 'upstream' | 'downstream';

export type Toxic =
  | {
      readonly type: 'latency';
      readonly latencyMs: number;
      readonly jitterMs?: number;
      readonly stream?: Stream;
    }
  | { readonly type: 'timeout'; readonly timeoutMs: number; readonly stream?: Stream }
  | { readonly type: 'reset_peer'; readonly timeoutMs?: number; readonly stream?: Stream };

export type ToxicType = Toxic['type'];

/** What happened, for tests that prove a fault reached the client rather than trusting that it did. */
export interface ProxyStats {
  accepted: number;
  /** Connections closed by `down` or a `timeout` toxic. */
  closed: number;
  /** Connections reset by `reset_peer` or because the upstream refused. */
  reset: number;
  upstreamRefused: number;
  bytesUpstream: number;
  bytesDownstream: number;
}

export interface Address {
  readonly host: string;
  readonly port: number;
}

interface Lane {
  readonly stream: Stream;
  readonly from: net.Socket;
  readonly to: net.Socket;
  readonly queue: { chunk: Buffer; dueAt: number }[];
  timer?: NodeJS.Timeout;
}

interface Connection {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  readonly lanes: readonly Lane[];
  closeTimer?: NodeJS.Timeout;
}

export class FaultProxy implements AsyncDisposable {
  readonly name: string;
  readonly stats: ProxyStats = {
    accepted: 0,
    closed: 0,
    reset: 0,
    upstreamRefused: 0,
    bytesUpstream: 0,
    bytesDownstream: 0,
  };
  #upstream: Address;
  #server: net.Server | undefined;
  #port = 0;
  readonly #host: string;
  readonly #connections = new Set<Connection>();
  readonly #toxics = new Map<string, Toxic>();
  #closed = false;

  private constructor(name: string, upstream: Address, host: string) {
    this.name = name;
    this.#upstream = upstream;
    this.#host = host;
  }

  /** Starts a proxy to `upstream` on `listen` (default 127.0.0.1 and a port the OS picks, kept for its life). */
  static async start(name: string, upstream: Address, listen: Partial<Address> = {}): Promise<FaultProxy> {
    const proxy = new FaultProxy(name, upstream, listen.host ?? '127.0.0.1');
    await proxy.#listen(listen.port ?? 0);
    return proxy;
  }

  /** Where clients connect: stable for the proxy's life, across `down`/`enable` and upstream changes. */
  get address(): Address {
    return { host: this.#host, port: this.#port };
  }

  get upstream(): Address {
    return this.#upstream;
  }

  get enabled(): boolean {
    return this.#server !== undefined;
  }

  get activeConnections(): number {
    return this.#connections.size;
  }

  /** Points new connections at another upstream (a restarted container's new port); open ones are untouched. */
  setUpstream(upstream: Address): void {
    this.#upstream = upstream;
  }

  /** `down`: closes every open connection and refuses new ones until `enable`. */
  async disable(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.#connections) this.#end(connection, 'closed');
    await closing;
  }

  async enable(): Promise<void> {
    if (this.#server || this.#closed) return;
    await this.#listen(this.#port);
  }

  /** Adds a toxic under `name` (replacing one of that name) and applies it to the open connections. */
  addToxic(name: string, toxic: Toxic): void {
    this.#toxics.set(name, toxic);
    for (const connection of this.#connections) this.#applyClosingToxics(connection);
  }

  /** Removes a toxic; data it held flows again. */
  removeToxic(name: string): void {
    const toxic = this.#toxics.get(name);
    this.#toxics.delete(name);
    if (toxic?.type === 'timeout' || toxic?.type === 'reset_peer') {
      for (const connection of this.#connections) {
        if (!this.#closingToxic()) {
          clearTimeout(connection.closeTimer);
          delete connection.closeTimer;
        }
      }
    }
    for (const connection of this.#connections) for (const lane of connection.lanes) this.#drain(lane);
  }

  clearToxics(): void {
    for (const name of [...this.#toxics.keys()]) this.removeToxic(name);
  }

  get toxics(): ReadonlyMap<string, Toxic> {
    return this.#toxics;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#toxics.clear();
    await this.disable();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #listen(port: number): Promise<void> {
    const server = net.createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.#host, port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  #accept(client: net.Socket): void {
    this.stats.accepted++;
    const upstream = net.connect({ host: this.#upstream.host, port: this.#upstream.port });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const lanes: Lane[] = [
      { stream: 'upstream', from: client, to: upstream, queue: [] },
      { stream: 'downstream', from: upstream, to: client, queue: [] },
    ];
    const connection: Connection = { client, upstream, lanes };
    this.#connections.add(connection);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      for (const lane of lanes) this.#drain(lane);
    });
    for (const lane of lanes) {
      lane.from.on('data', (chunk: Buffer) => {
        lane.queue.push({ chunk, dueAt: Date.now() + this.#delay(lane.stream) });
        if (connected) this.#drain(lane);
      });
    }
    const finish = (socket: net.Socket, peer: net.Socket) => {
      socket.once('end', () => peer.end());
      socket.on('error', (e: NodeJS.ErrnoException) => {
        if (socket === upstream && !connected) {
          this.stats.upstreamRefused++;
          this.#end(connection, 'reset');
        } else if (e.code === 'ECONNRESET') {
          peer.resetAndDestroy();
        } else {
          peer.destroy();
        }
      });
      socket.once('close', () => {
        if (!peer.destroyed && peer.writableEnded && socket.readableEnded) peer.destroy();
        if (client.destroyed && upstream.destroyed) this.#forget(connection);
      });
    };
    finish(client, upstream);
    finish(upstream, client);
    this.#applyClosingToxics(connection);
  }

  /** Writes every due chunk of a lane, in order, unless a `timeout` toxic holds the lane. */
  #drain(lane: Lane): void {
    clearTimeout(lane.timer);
    delete lane.timer;
    if (this.#holds(lane.stream)) return;
    const now = Date.now();
    while (lane.queue.length > 0) {
      const head = lane.queue[0] as { chunk: Buffer; dueAt: number };
      if (head.dueAt > now) {
        lane.timer = setTimeout(() => this.#drain(lane), head.dueAt - now);
        return;
      }
      lane.queue.shift();
      if (lane.to.destroyed) continue;
      lane.to.write(head.chunk);
      if (lane.stream === 'upstream') this.stats.bytesUpstream += head.chunk.length;
      else this.stats.bytesDownstream += head.chunk.length;
    }
  }

  #delay(stream: Stream): number {
    let delay = 0;
    for (const toxic of this.#toxics.values()) {
      if (toxic.type !== 'latency' || !applies(toxic, stream)) continue;
      const jitter = toxic.jitterMs ?? 0;
      delay += Math.max(0, toxic.latencyMs + (jitter > 0 ? (Math.random() * 2 - 1) * jitter : 0));
    }
    return delay;
  }

  #holds(stream: Stream): boolean {
    for (const toxic of this.#toxics.values())
      if (toxic.type === 'timeout' && applies(toxic, stream)) return true;
    return false;
  }

  /** The `timeout` or `reset_peer` toxic that ends a connection, the earliest first. */
  #closingToxic(): { toxic: Toxic; afterMs: number } | undefined {
    let found: { toxic: Toxic; afterMs: number } | undefined;
    for (const toxic of this.#toxics.values()) {
      const afterMs =
        toxic.type === 'reset_peer' ? (toxic.timeoutMs ?? 0) : toxic.type === 'timeout' ? toxic.timeoutMs : 0;
      if (toxic.type === 'latency' || (toxic.type === 'timeout' && afterMs === 0)) continue;
      if (!found || afterMs < found.afterMs) found = { toxic, afterMs };
    }
    return found;
  }

  #applyClosingToxics(connection: Connection): void {
    const closing = this.#closingToxic();
    if (!closing || connection.closeTimer) return;
    const how = closing.toxic.type === 'reset_peer' ? 'reset' : 'closed';
    // At once when the toxic says 0: a timer, however short, lets data already on its way pass first.
    if (closing.afterMs === 0) this.#end(connection, how);
    else connection.closeTimer = setTimeout(() => this.#end(connection, how), closing.afterMs);
  }

  #end(connection: Connection, how: 'closed' | 'reset'): void {
    if (!this.#connections.has(connection)) return;
    this.#forget(connection);
    this.stats[how]++;
    for (const socket of [connection.client, connection.upstream]) {
      if (socket.destroyed) continue;
      if (how === 'reset') socket.resetAndDestroy();
      else socket.destroy();
    }
  }

  #forget(connection: Connection): void {
    clearTimeout(connection.closeTimer);
    for (const lane of connection.lanes) clearTimeout(lane.timer);
    this.#connections.delete(connection);
  }
}

function applies(toxic: Toxic, stream: Stream): boolean {
  return toxic.stream === undefined || toxic.stream === stream;
}
