// The example service of README.md ("Running a service"): keep the two in step.
import { createRuntime, shutdownOnSignals, startOpsServer } from 'eventwire/runtime';
import * as hello from '../generated/hello/index.ts';
import { createHandlers } from '../generated/hello/handlers.ts';

// Transport, idempotency store, logger and metrics from the contract's defaults; REDIS_URL or redisUrl.
const runtime = await createRuntime({ contract: hello, version: process.env.SERVICE_VERSION ?? '1.0.0' });
const publisher = hello.createHelloPublisher(runtime);

// Consume: the handlers are a factory over the service's dependencies (a publisher, a database pool...).
const consumer = await hello.startHelloConsumer(runtime, createHandlers({ publisher }));

// GET /healthz (brokers and stores answer) and GET /metrics (Prometheus) on OPS_PORT (default 9464).
const ops = await startOpsServer({ runtime, port: Number(process.env.OPS_PORT ?? 9464) });
runtime.logger.info({ ops: ops.url }, 'hello service started');

// Publish.
await publisher.publishGreetingSent({ greeting_id: 'g-1', name: 'Ada', sent_at: new Date().toISOString() });

// SIGTERM or Ctrl-C: stop consuming (in-flight events finish), close the connections, stop the ops server.
await shutdownOnSignals([consumer, runtime, ops], { logger: runtime.logger });
