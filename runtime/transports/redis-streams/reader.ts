/**
 * Blocking reads on a dedicated connection (a blocked connection cannot serve other commands). Stopping does
 * not wait out the BLOCK timeout: CLIENT UNBLOCK, sent on the command connection, ends the read at once as if
 * it timed out, so entries already handed to this consumer are never stranded in a closed socket.
 */
import type { Redis } from 'ioredis';
import { type RawEntry, readGroupEntries } from './replies.ts';
import type { StreamRef } from './stream-ref.ts';

export class BlockingReader {
  readonly #ref: StreamRef;
  readonly #connection: Redis;
  #clientId: number | undefined;

  constructor(ref: StreamRef, connection: Redis) {
    this.#ref = ref;
    this.#connection = connection;
  }

  /**
   * Learns the connection's client id (again after every reconnect) for CLIENT UNBLOCK; `onReconnect` runs on
   * every reconnect. The id is asked for on 'connect', which ioredis writes at once: asked on 'ready', it would
   * queue behind the read ioredis sends again after a reconnect, and until that read's BLOCK ran out the id
   * would be the old connection's, so a stop could not unblock the read and waited for it.
   */
  async init(onReconnect: () => void = () => undefined): Promise<void> {
    this.#clientId = Number(await this.#connection.call('CLIENT', 'ID'));
    this.#connection.on('connect', () => {
      onReconnect();
      this.#connection.call('CLIENT', 'ID').then(
        (id) => (this.#clientId = Number(id)),
        () => undefined,
      );
    });
  }

  /** New entries (`>`), at most `count`, waiting up to `blockMs`; none on timeout. */
  async read(count: number, blockMs: number): Promise<RawEntry[]> {
    const { group, consumer, stream } = this.#ref;
    const reply = await this.#connection.callBuffer(
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      '>',
    );
    return readGroupEntries(reply);
  }

  /**
   * Unblocks the read until `loop` (the read loop, already told to stop) ends. An UNBLOCK can race a read that
   * is still on its way to the server, hence the repetition; after `maxWaitMs` the connection is dropped.
   */
  async interrupt(loop: Promise<void>, maxWaitMs: number): Promise<void> {
    let done = false;
    const finished = loop.then(() => {
      done = true;
    });
    const deadline = Date.now() + maxWaitMs;
    while (!done && Date.now() < deadline) {
      // Not awaited: a CLIENT command written while the connection shakes hands, which it does again and again
      // while a restarted broker is coming back, is lost with that connection without ever settling.
      if (this.#clientId !== undefined) {
        this.#ref.commands.call('CLIENT', 'UNBLOCK', this.#clientId).catch(() => undefined);
      }
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 50))]);
    }
    if (!done) {
      this.#connection.disconnect();
      await finished;
    }
  }

  async close(): Promise<void> {
    await this.#connection.quit().catch(() => this.#connection.disconnect());
  }
}
