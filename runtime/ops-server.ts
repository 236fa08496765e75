/**
 * A service's operations endpoints on one small HTTP server, apart from its business traffic:
 *
 *   GET /healthz   200 when every broker and store answers, 503 otherwise; the HealthReport as JSON
 *   GET /metrics   Prometheus text: eventwire's event metrics, the dead-letter metrics, whatever else is in the registry
 *
 * and the graceful shutdown on SIGTERM that Kubernetes (and Ctrl-C) asks for.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from './errors.ts';
import type { HealthReport } from './health.ts';
import type { EventLogger } from './logging.ts';
import type { EventMetrics } from './metrics.ts';

export interface OpsServerOptions {
  readonly runtime: { health(): Promise<HealthReport>; readonly metrics: EventMetrics };
  /** Default env OPS_PORT, then 9464 (0 picks a free port). */
  readonly port?: number;
  /** Default 0.0.0.0 (probes and Prometheus come from outside the pod). */
  readonly host?: string;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const { runtime } = options;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    const reply = async (): Promise<void> => {
      if (request.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
      if (path === '/healthz' || path === '/health') {
        const report = await runtime.health();
        return send(report.healthy ? 200 : 503, 'application/json', `${JSON.stringify(report)}\n`);
      }
      if (path === '/metrics') {
        const registry = runtime.metrics.registry;
        return send(200, registry.contentType, await registry.metrics());
      }
      return send(404, 'text/plain', 'not found: GET /healthz or /metrics\n');
    };
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    };
    reply().catch((error: unknown) => send(500, 'text/plain', `${errorMessage(error)}\n`));
  });
  const port = options.port ?? Number(process.env.OPS_PORT ?? 9464);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Something to end on shutdown: a consumer (`stop`), a runtime or server (`close`), or a function. */
export type Stoppable = { stop(): Promise<void> } | { close(): Promise<void> } | (() => Promise<void>);

export interface ShutdownOptions {
  readonly signals?: readonly NodeJS.Signals[];
  readonly logger?: EventLogger;
}

/**
 * On the first SIGTERM or SIGINT, ends `steps` one after another, in the order given: consumers first (they
 * finish their in-flight events), then the runtime, then the ops server. A second signal does not interrupt it.
 * Resolves when the shutdown is done; the process then exits on its own (nothing is left open).
 */
export function shutdownOnSignals(steps: readonly Stoppable[], options: ShutdownOptions = {}): Promise<void> {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  return new Promise((resolve) => {
    let started = false;
    const shutdown = async (signal: NodeJS.Signals) => {
      if (started) return;
      started = true;
      options.logger?.info({ signal }, 'shutting down');
      for (const step of steps) {
        try {
          if (typeof step === 'function') await step();
          else if ('stop' in step) await step.stop();
          else await step.close();
        } catch (error) {
          options.logger?.error({ error: errorMessage(error) }, 'shutdown step failed');
          process.exitCode = 1;
        }
      }
      for (const name of signals) process.removeListener(name, shutdown);
      options.logger?.info({ signal }, 'shut down');
      resolve();
    };
    for (const name of signals) process.on(name, shutdown);
  });
}
