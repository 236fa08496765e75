/**
 * A bare AMQP 0-9-1 publisher over a socket, for tests that need bytes no client library will encode: a header
 * table nested thousands of levels deep (amqplib's recursive encoder overflows the stack first). It speaks just
 * enough of the protocol: handshake, one channel in confirm mode, one publish with a raw properties table,
 * wait for the broker's ack, close.
 */
import { connect, type Socket } from 'node:net';

const FRAME_METHOD = 1;
const FRAME_HEADER = 2;
const FRAME_BODY = 3;
const FRAME_END = 0xce;

function frame(type: number, channel: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head.writeUInt8(type, 0);
  head.writeUInt16BE(channel, 1);
  head.writeUInt32BE(payload.length, 3);
  return Buffer.concat([head, payload, Buffer.from([FRAME_END])]);
}

function shortString(value: string): Buffer {
  const bytes = Buffer.from(value);
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function longString(value: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([length, value]);
}

function uint16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}

function method(classId: number, methodId: number, ...args: Buffer[]): Buffer {
  return Buffer.concat([uint16(classId), uint16(methodId), ...args]);
}

/** A field table `{n: {n: ... {leaf: 'x'} ...}}` `depth` levels deep, with its length prefix, built without recursion. */
export function nestedTable(depth: number): Buffer {
  const leaf = Buffer.concat([shortString('leaf'), Buffer.from('S'), longString(Buffer.from('x'))]);
  const level = 4 + 2 + 1; // length, short string 'n', tag 'F'
  const table = Buffer.alloc(depth * level + 4 + leaf.length);
  let offset = 0;
  for (let i = 0; i < depth; i++) {
    table.writeUInt32BE(table.length - offset - 4, offset);
    table.write('\u0001nF', offset + 4, 'latin1');
    offset += level;
  }
  table.writeUInt32BE(leaf.length, offset);
  leaf.copy(table, offset + 4);
  return table;
}

/** Frames read off the socket, one method or content frame at a time. */
class FrameReader {
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** The next method frame that is `classId.methodId`; other frames are skipped. */
  async expect(classId: number, methodId: number): Promise<Buffer> {
    for (;;) {
      while (this.#buffer.length >= 7 && this.#buffer.length >= this.#buffer.readUInt32BE(3) + 8) {
        const size = this.#buffer.readUInt32BE(3);
        const type = this.#buffer[0];
        const payload = this.#buffer.subarray(7, 7 + size);
        this.#buffer = this.#buffer.subarray(size + 8);
        if (
          type === FRAME_METHOD &&
          payload.readUInt16BE(0) === classId &&
          payload.readUInt16BE(2) === methodId
        ) {
          return payload.subarray(4);
        }
        if (type === FRAME_METHOD && payload.readUInt16BE(0) === 10 && payload.readUInt16BE(2) === 50) {
          throw new Error(`broker closed the connection: ${payload.subarray(7, 7 + payload[6]!).toString()}`);
        }
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

export interface RawMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly body: Buffer;
  /** The encoded headers table, length prefix included (e.g. `nestedTable(9000)`). */
  readonly headersTable: Buffer;
  readonly messageId: string;
  readonly type: string;
}

/** Publishes one message with a raw header table and resolves once the broker confirmed it. */
export async function publishRaw(url: string, message: RawMessage): Promise<void> {
  const target = new URL(url);
  const socket = connect({ host: target.hostname, port: Number(target.port || 5672) });
  const reader = new FrameReader(socket);
  const send = (type: number, channel: number, payload: Buffer) =>
    socket.write(frame(type, channel, payload));
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1]));
    await reader.expect(10, 10);
    const user = decodeURIComponent(target.username || 'guest');
    const password = decodeURIComponent(target.password || 'guest');
    const credentials = Buffer.from(`\u0000${user}\u0000${password}`);
    send(
      FRAME_METHOD,
      0,
      method(
        10,
        11,
        longString(Buffer.alloc(0)),
        shortString('PLAIN'),
        longString(credentials),
        shortString('en_US'),
      ),
    );
    const tune = await reader.expect(10, 30);
    send(FRAME_METHOD, 0, method(10, 31, tune.subarray(0, 2), tune.subarray(2, 6), uint16(0)));
    const vhost = decodeURIComponent(target.pathname.slice(1)) || '/';
    send(FRAME_METHOD, 0, method(10, 40, shortString(vhost), shortString(''), Buffer.from([0])));
    await reader.expect(10, 41);
    send(FRAME_METHOD, 1, method(20, 10, shortString('')));
    await reader.expect(20, 11);
    send(FRAME_METHOD, 1, method(85, 10, Buffer.from([0])));
    await reader.expect(85, 11);
    send(
      FRAME_METHOD,
      1,
      method(
        60,
        40,
        uint16(0),
        shortString(message.exchange),
        shortString(message.routingKey),
        Buffer.from([0]),
      ),
    );
    // Properties present: content-type, headers, delivery-mode, message-id, type (AMQP 0-9-1 flag order).
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(message.body.length));
    const properties = Buffer.concat([
      uint16(60),
      uint16(0),
      size,
      uint16(0x8000 | 0x2000 | 0x1000 | 0x0080 | 0x0020),
      shortString('application/json'),
      message.headersTable,
      Buffer.from([2]),
      shortString(message.messageId),
      shortString(message.type),
    ]);
    send(FRAME_HEADER, 1, properties);
    send(FRAME_BODY, 1, message.body);
    await reader.expect(60, 80);
    send(FRAME_METHOD, 0, method(10, 50, uint16(200), shortString('bye'), uint16(0), uint16(0)));
    await reader.expect(10, 51);
  } finally {
    socket.destroy();
  }
}
