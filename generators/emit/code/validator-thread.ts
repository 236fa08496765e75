/**
 * Compiles payload validators on a second thread. ajv compiling every payload (and the meta-schema that checks
 * them) needs nothing of TypeScript, so a cold `generate` starts this worker first thing: ajv loads while the
 * main thread reads and checks the contracts, and the chunks compile while the main thread prints the types.
 *
 * Only a process that starts the thread uses it (`generate`; not the tests, which compile in their own thread).
 * It stays for the life of the process (a `--watch` edit that changes a payload sends it there too) and never
 * keeps the process alive when idle. A worker that cannot start or dies hands its requests back: they compile
 * on the main thread, as they would without it. EVENTWIRE_VALIDATOR_THREAD=0 keeps everything on the main thread.
 */
import { Worker } from 'node:worker_threads';
import { siblingModule } from '../../sibling-module.ts';
import type { ValidatorChunk } from './ajv-standalone.ts';
import { compileChunk, InvalidSchema, type ValidatorInput } from './validator-chunk.ts';

export interface CompileRequest {
  readonly id: number;
  readonly input: ValidatorInput;
}

export type CompileReply =
  | { readonly id: number; readonly chunk: ValidatorChunk }
  | { readonly id: number; readonly invalid: string }
  | { readonly id: number; readonly failure: string };

interface Pending {
  readonly input: ValidatorInput;
  resolve(chunk: ValidatorChunk): void;
  reject(error: Error): void;
}

/** The worker and the requests it has not answered. Exported for its tests; the process uses one (below). */
export class ValidatorThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #broken = false;

  constructor(script: URL) {
    this.#worker = new Worker(script);
    this.#worker.on('message', (reply: CompileReply) => this.#settle(reply));
    this.#worker.on('error', () => this.#fail());
    this.#worker.on('exit', () => this.#fail());
    // After the listeners: adding a 'message' listener references the worker again.
    this.#worker.unref();
  }

  get usable(): boolean {
    return !this.#broken;
  }

  compile(input: ValidatorInput): Promise<ValidatorChunk> {
    if (this.#broken) return compileHere(input);
    const id = this.#nextId++;
    const chunk = new Promise<ValidatorChunk>((resolve, reject) => {
      this.#pending.set(id, { input, resolve, reject });
    });
    // Referenced while an answer is awaited: an unreferenced worker would let the process exit meanwhile.
    if (this.#pending.size === 1) this.#worker.ref();
    this.#worker.postMessage({ id, input } satisfies CompileRequest);
    return chunk;
  }

  #settle(reply: CompileReply): void {
    const pending = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (!pending) return;
    if ('chunk' in reply) pending.resolve(reply.chunk);
    else if ('invalid' in reply) pending.reject(new InvalidSchema(reply.invalid));
    else pending.reject(new Error(reply.failure));
  }

  /** The worker is gone: what it was asked compiles here. */
  #fail(): void {
    this.#broken = true;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { input, resolve, reject } of pending) compileHere(input).then(resolve, reject);
  }

  terminate(): Promise<number> {
    this.#worker.removeAllListeners('exit');
    return this.#worker.terminate();
  }
}

const compileHere = async (input: ValidatorInput): Promise<ValidatorChunk> => compileChunk(input);

let thread: ValidatorThread | undefined;

/** Starts the worker (once per process), unless EVENTWIRE_VALIDATOR_THREAD=0; `script` is for tests. */
export function startValidatorThread(script = siblingModule('./validator-worker.ts', import.meta.url)): void {
  if (thread || process.env.EVENTWIRE_VALIDATOR_THREAD === '0') return;
  thread = new ValidatorThread(script);
}

/** The chunk compiled on the worker, or undefined when no worker runs (compile it in this thread). */
export function compileOffThread(input: ValidatorInput): Promise<ValidatorChunk> | undefined {
  return thread?.usable ? thread.compile(input) : undefined;
}
