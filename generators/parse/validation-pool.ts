/**
 * Runs the AsyncAPI parser's validation on worker threads. Validation is most of the cost of loading contracts
 * the first time (importing the parser alone takes half a second), and it needs nothing but the document
 * texts, so it runs beside the main thread, which meanwhile resolves documents, builds the model and renders.
 *
 * One worker starts when the first validation may be needed (before the files are even read, when no verdict
 * is cached); a second joins when there are enough documents to share. Workers are reused for the life of the
 * process (a `--watch` session keeps them warm) and never keep it alive when idle.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '@asyncapi/parser';
import { siblingModule } from '../sibling-module.ts';

export interface ValidationRequest {
  readonly id: number;
  /** The document's path: relative `$ref`s are resolved from its folder. */
  readonly source: string;
  readonly input: string | object;
  /** Errors do not stop the parser (converted 1.x/2.x documents). */
  readonly lenient: boolean;
  /** Files changed since this worker's previous request: its parser must read them again. */
  readonly forget: readonly string[];
}

export type ValidationReply =
  | { readonly id: number; readonly diagnostics: readonly Diagnostic[]; readonly valid: boolean }
  | { readonly id: number; readonly failure: string };

export interface WorkerReady {
  readonly kind: 'ready';
  /** Schema formats the worker's parser has a schema parser for. */
  readonly schemaFormats: readonly string[];
}

/** Documents per worker worth a second worker's start-up (importing the parser costs about as much as 8). */
const DOCUMENTS_PER_WORKER = 8;
/** At most one worker per core left over by the main thread, at least one; EVENTWIRE_VALIDATION_WORKERS overrides. */
const MAX_WORKERS =
  Number(process.env.EVENTWIRE_VALIDATION_WORKERS) || Math.max(1, Math.min(2, availableParallelism() - 1));

interface Pending {
  readonly request: ValidationRequest;
  resolve(reply: ValidationReply): void;
  reject(error: Error): void;
}

interface PoolHooks {
  /** The worker cannot validate (it failed to start or crashed): its requests are handed back. */
  failed(error: Error, requests: readonly Pending[]): void;
}

/**
 * One worker thread. Requests are posted to it as soon as they are made, not when it asks for more: the
 * worker queues them itself, so it never waits for this thread, whose event loop may be busy for seconds
 * rendering the provisional model while the worker validates.
 */
class PoolWorker {
  /** Files changed since this worker's last request. */
  readonly stale = new Set<string>();
  readonly #worker: Worker;
  readonly ready: Promise<WorkerReady>;
  readonly #inFlight = new Map<number, Pending>();

  constructor(script: URL, hooks: PoolHooks) {
    this.#worker = new Worker(script);
    this.ready = new Promise<WorkerReady>((resolve, reject) => {
      this.#worker.once('message', (message: WorkerReady) => {
        this.#worker.on('message', (reply: ValidationReply) => this.#settle(reply));
        resolve(message);
      });
      this.#worker.once('error', reject);
      this.#worker.once('exit', (code) => reject(new Error(`validation worker exited (${code})`)));
    });
    this.ready.catch(() => undefined);
    const fail = (error: Error) => {
      const requests = [...this.#inFlight.values()];
      this.#inFlight.clear();
      hooks.failed(error, requests);
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`validation worker exited (${code})`)));
  }

  /** Requests posted and not answered yet. */
  get load(): number {
    return this.#inFlight.size;
  }

  submit(pending: Pending): void {
    this.#inFlight.set(pending.request.id, pending);
    this.#worker.postMessage({ ...pending.request, forget: [...this.stale] });
    this.stale.clear();
  }

  /** A referenced worker keeps the process alive: only while answers are awaited. */
  keepProcessAlive(keep: boolean): void {
    if (keep) this.#worker.ref();
    else this.#worker.unref();
  }

  #settle(reply: ValidationReply): void {
    const pending = this.#inFlight.get(reply.id);
    this.#inFlight.delete(reply.id);
    pending?.resolve(reply);
  }

  terminate(): Promise<number> {
    this.#worker.removeAllListeners('exit');
    for (const pending of this.#inFlight.values())
      pending.reject(new Error('the validation pool was closed'));
    this.#inFlight.clear();
    return this.#worker.terminate();
  }
}

export class ValidationPool {
  readonly #script: URL;
  readonly #workers: PoolWorker[] = [];
  #nextId = 1;
  #outstanding = 0;
  #broken: Error | undefined;

  /** `script` is the worker's module (tests give another). */
  constructor(script = siblingModule('./validation-worker.ts', import.meta.url)) {
    this.#script = script;
  }

  /** Starts the first worker now, so the parser loads while the caller does other work. */
  warm(): void {
    if (this.#workers.length === 0 && !this.#broken) this.#addWorker();
  }

  /** Schema formats the workers' parser supports. */
  async schemaFormats(): Promise<ReadonlySet<string>> {
    this.warm();
    const [first] = this.#workers;
    if (!first) throw this.#broken ?? new Error('no validation worker');
    this.#track(1);
    try {
      return new Set((await first.ready).schemaFormats);
    } finally {
      this.#track(-1);
    }
  }

  /** Files that changed: workers' parsers read them again before their next validation. */
  forget(absPaths: readonly string[]): void {
    for (const worker of this.#workers) for (const file of absPaths) worker.stale.add(file);
  }

  parse(source: string, input: string | object, lenient: boolean): Promise<ValidationReply> {
    if (this.#broken) return Promise.reject(this.#broken);
    const request = { id: this.#nextId++, source, input, lenient, forget: [] };
    this.warm();
    const wanted = Math.min(MAX_WORKERS, Math.ceil((this.#outstanding + 1) / DOCUMENTS_PER_WORKER));
    while (this.#workers.length < wanted) this.#addWorker();
    const reply = new Promise<ValidationReply>((resolve, reject) => {
      const leastBusy = this.#workers.reduce((a, b) => (b.load < a.load ? b : a));
      leastBusy.submit({ request, resolve, reject });
    });
    this.#track(1);
    return reply.finally(() => this.#track(-1));
  }

  #track(delta: number): void {
    const before = this.#outstanding;
    this.#outstanding += delta;
    if ((before === 0) !== (this.#outstanding === 0)) {
      for (const worker of this.#workers) worker.keepProcessAlive(this.#outstanding > 0);
    }
  }

  #addWorker(): void {
    const worker = new PoolWorker(this.#script, {
      failed: (error, requests) => {
        // A pool that cannot run (no worker threads, a crash) hands everything back: callers validate in
        // this thread instead.
        this.#broken ??= error;
        for (const pending of requests) pending.reject(error);
      },
    });
    worker.keepProcessAlive(this.#outstanding > 0);
    this.#workers.push(worker);
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.splice(0).map((worker) => worker.terminate()));
  }
}

let shared: ValidationPool | undefined;

/** The process's pool. */
export function validationPool(): ValidationPool {
  shared ??= new ValidationPool();
  return shared;
}
