/**
 * A worker thread compiling payload validators (see validator-thread.ts). It loads ajv and compiles the
 * draft-07 meta-schema checker as soon as it starts, while the main thread is still reading the contracts,
 * then compiles the chunks it is sent, in order, and answers with plain data.
 */
import { parentPort } from 'node:worker_threads';
import { schemaProblems } from './ajv-standalone.ts';
import { compileChunk, InvalidSchema } from './validator-chunk.ts';
import type { CompileReply, CompileRequest } from './validator-thread.ts';

const port = parentPort;
if (!port) throw new Error('validator-worker.ts runs as a worker thread');

// AsyncAPI's default schema format is draft-07: its checker is what nearly every run needs first.
schemaProblems('draft-07', {});

port.on('message', ({ id, input }: CompileRequest) => {
  let reply: CompileReply;
  try {
    reply = { id, chunk: compileChunk(input) };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    reply = error instanceof InvalidSchema ? { id, invalid: text } : { id, failure: text };
  }
  port.postMessage(reply);
});
