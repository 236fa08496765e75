/**
 * A worker thread that validates documents with the AsyncAPI parser (see validation-pool.ts). It loads the
 * parser as soon as it starts, so the import overlaps the main thread reading the files, and answers with the
 * parser's diagnostics: plain data, turned into ContractErrors on the main thread, which knows the files.
 */
import { parentPort } from 'node:worker_threads';
import { asyncApiParser, forgetFiles } from './parser.ts';
import type { ValidationReply, ValidationRequest, WorkerReady } from './validation-pool.ts';

const port = parentPort;
if (!port) throw new Error('validation-worker.ts runs as a worker thread');

const handle = await asyncApiParser();
const ready: WorkerReady = { kind: 'ready', schemaFormats: [...handle.parser.parserRegistry.keys()] };
port.postMessage(ready);

/** Diagnostic severity 0 is an error. */
const ERROR = 0;

/**
 * Requests are posted all at once and validated one after another, in order: `forget` in a request applies to
 * it and every later one, and validations interleaved on one parser would share its `$ref` cache mid-flight.
 */
async function validate(request: ValidationRequest): Promise<ValidationReply> {
  try {
    forgetFiles(handle.parser, request.forget);
    // `validate` is `parse` without building the Document API, which nothing on this side needs: documents
    // whose payloads a schema parser converts are validated on the main thread. A document is valid exactly
    // when `parse` would return one: no error, or errors allowed.
    const diagnostics = await handle.parser.validate(request.input as string, {
      source: request.source,
      ...(request.lenient ? { allowedSeverity: { error: true } } : {}),
    });
    const valid = request.lenient || !diagnostics.some((diagnostic) => diagnostic.severity === ERROR);
    return { id: request.id, diagnostics, valid };
  } catch (error) {
    return { id: request.id, failure: error instanceof Error ? error.message : String(error) };
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: ValidationRequest) => {
  queue = queue.then(async () => port.postMessage(await validate(request)));
});
