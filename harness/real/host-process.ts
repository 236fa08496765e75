/**
 * The parent's handle on one consumer host (host.ts): a child process with an IPC channel. Requests are sent one
 * at a time and answered in order; records, crashes and drop requests arrive whenever they happen and go to the
 * listener the current run sets. `kill()` is a real SIGKILL and resolves once the process is gone, so the broker
 * has seen its connections close.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SuiteTarget } from '../engine/types.ts';
import type { FromHost, ToHost } from './protocol.ts';

const HOST_SCRIPT = fileURLToPath(new URL('./host.ts', import.meta.url));

export type HostListener = (message: Extract<FromHost, { type: 'record' | 'crash' | 'drop' }>) => void;

type Reply = Extract<FromHost, { type: 'ready' | 'started' | 'ack' | 'stopped' | 'error' }>;

export class HostProcess {
  readonly #child: ChildProcess;
  readonly #waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] = [];
  readonly #exited: Promise<void>;
  #alive = true;
  #stderr = '';
  listener: HostListener | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
      if (process.env.EW_HOST_DEBUG) process.stderr.write(chunk);
    });
    child.on('message', (message: FromHost) => this.#onMessage(message));
    child.once('exit', (code, signal) => {
      this.#alive = false;
      const reason = new Error(
        `the consumer host exited (${signal ?? `code ${code}`})${this.#stderr ? `: ${this.#stderr.trim()}` : ''}`,
      );
      for (const waiter of this.#waiting.splice(0)) waiter.reject(reason);
    });
  }

  /** Forks a host and loads the suite's modules in it. */
  static async spawn(target: SuiteTarget): Promise<HostProcess> {
    const child = fork(HOST_SCRIPT, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    const host = new HostProcess(child);
    await host.request({ type: 'init', target });
    return host;
  }

  get alive(): boolean {
    return this.#alive;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends a request and waits for its answer; rejects with the host's error, or when it dies. */
  request(message: ToHost, timeoutMs = 30_000): Promise<Reply> {
    if (!this.#alive) return Promise.reject(new Error('the consumer host is not running'));
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the consumer host did not answer '${message.type}' within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.#waiting.push({
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.type === 'error') reject(new Error(reply.message));
          else resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.#child.send(message);
    });
  }

  /** A message that has no answer (the end of a connection drop). */
  tell(message: ToHost): void {
    if (this.#alive) this.#child.send(message);
  }

  async kill(): Promise<void> {
    if (this.#alive) this.#child.kill('SIGKILL');
    await this.#exited;
  }

  #onMessage(message: FromHost): void {
    if (message.type === 'record' || message.type === 'crash' || message.type === 'drop') {
      this.listener?.(message);
      return;
    }
    this.#waiting.shift()?.resolve(message);
  }
}
