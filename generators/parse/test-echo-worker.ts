/**
 * A stand-in validation worker for validation-pool.test.ts: answers every request at once with one diagnostic
 * whose message is the wall-clock time it handled the request, so a test can tell when the worker saw it.
 */
import { parentPort } from 'node:worker_threads';
import type { ValidationRequest, WorkerReady } from './validation-pool.ts';

const port = parentPort;
if (!port) throw new Error('test-echo-worker.ts runs as a worker thread');
const ready: WorkerReady = { kind: 'ready', schemaFormats: [] };
port.postMessage(ready);
port.on('message', (request: ValidationRequest) => {
  const handledAt = String(performance.timeOrigin + performance.now());
  port.postMessage({
    id: request.id,
    valid: true,
    diagnostics: [{ code: 'handled-at', message: handledAt, path: [], severity: 3, range: {} }],
  });
});
