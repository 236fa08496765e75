/**
 * amqplib decodes a message's properties (its header table) recursively while reading frames off the socket.
 * A table nested some thousands of levels deep, which RabbitMQ accepts from any publisher, overflows the stack;
 * the error escapes as a frame error and amqplib drops the whole connection. The broker then redelivers the
 * message on the next connection, which drops again, and every message behind it waits forever.
 *
 * The guard wraps the connection's frame reader: a content-header frame that cannot be decoded is replaced by
 * one with empty properties marked with UNDECODABLE (a symbol, so no publisher can set it), and the rest of the
 * message (its method frame, its body) flows as usual. The subscription dead-letters it as `decode-error`.
 * Everything else amqplib refuses still closes the connection, as before.
 *
 * It relies on two things amqplib 2.x does: frames are read by `connection.recvFrame()`, called through the
 * instance, and the unread input is `connection.rest`. The broker test sending a 9,000-level table proves it.
 */

/** Set on `message.properties` of a message whose properties could not be decoded: the reason. */
export const UNDECODABLE = Symbol('eventwire.undecodable-properties');

/** AMQP frame type of a content header (its properties), and the basic class id. */
const FRAME_HEADER = 2;
const BASIC_CLASS = 60;
const FRAME_OVERHEAD = 8; // type (1), channel (2), size (4), frame-end (1)

interface FrameReader {
  rest: Buffer;
  recvFrame(): unknown;
}

/** Installs the guard on an amqplib connection (`ChannelModel.connection`); returns false when it cannot. */
export function guardPropertyDecoding(connection: unknown): boolean {
  const reader = connection as Partial<FrameReader> | null;
  if (!reader || typeof reader.recvFrame !== 'function' || !Buffer.isBuffer(reader.rest)) return false;
  const original = reader.recvFrame;
  (reader as FrameReader).recvFrame = function guardedRecvFrame(this: FrameReader) {
    // The frame amqplib is about to decode, when it is complete in the buffer. When it is not, amqplib reads
    // more and calls recvFrame again, through this guard.
    const next = peekFrame(this.rest);
    try {
      return original.call(this);
    } catch (error) {
      if (next?.type !== FRAME_HEADER || next.channel === 0) throw error;
      return substituteHeader(next.channel, next.payload, error);
    }
  };
  return true;
}

function peekFrame(buffer: Buffer): { type: number; channel: number; payload: Buffer } | undefined {
  if (buffer.length < FRAME_OVERHEAD - 1) return undefined;
  const size = buffer.readUInt32BE(3);
  if (buffer.length < size + FRAME_OVERHEAD) return undefined;
  return { type: buffer[0]!, channel: buffer.readUInt16BE(1), payload: buffer.subarray(7, 7 + size) };
}

/** What amqplib's decodeFrame returns for a content header, with the properties replaced by the marker. */
function substituteHeader(channel: number, payload: Buffer, error: unknown) {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    id: payload.length >= 2 ? payload.readUInt16BE(0) : BASIC_CLASS,
    channel,
    size: payload.length >= 12 ? Number(payload.readBigUInt64BE(4)) : 0,
    fields: { headers: {}, [UNDECODABLE]: reason },
  };
}
