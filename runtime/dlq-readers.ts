/**
 * Reading a dead letter's depth from the broker, for the dead-letter metrics (dlq-metrics.ts).
 *
 * - Redis Streams: the dead letter is a stream: XLEN (events), MEMORY USAGE (bytes) and the time in the id of
 *   its first entry (the oldest: stream ids start with their creation time in milliseconds).
 * - RabbitMQ: the dead letter is a queue: its message count from a passive declare. AMQP tells nothing about
 *   bytes or ages without consuming; RabbitMQ's own Prometheus plugin has those (rabbitmq_queue_messages_bytes).
 */
import amqplib, { type ChannelModel } from 'amqplib';
import type { Redis } from 'ioredis';
import type { DeadLetterDepth, DeadLetterReader } from './dlq-metrics.ts';
import type { SubscriptionSpec } from './spec.ts';
import { subscriptionPlan } from './transports/rabbitmq/plan.ts';

export function redisDeadLetters(redis: Redis, streamFor: (address: string) => string): DeadLetterReader {
  return {
    async read(spec: SubscriptionSpec): Promise<DeadLetterDepth> {
      const key = streamFor(spec.deadLetter.address);
      const [events, bytes, first] = await Promise.all([
        redis.xlen(key),
        redis.call('MEMORY', 'USAGE', key) as Promise<number | null>,
        redis.xrange(key, '-', '+', 'COUNT', 1),
      ]);
      const oldestMs = Number(first[0]?.[0]?.split('-')[0]);
      return {
        events,
        bytes: bytes ?? 0,
        oldestAgeSeconds: Number.isFinite(oldestMs) ? Math.max(0, (Date.now() - oldestMs) / 1000) : 0,
      };
    },
    async close() {},
  };
}

export function rabbitMqDeadLetters(url: string): DeadLetterReader {
  let connecting: Promise<ChannelModel> | undefined;
  const connection = () => {
    connecting ??= amqplib.connect(url).then((opened) => {
      // A dropped connection is opened again on the next scrape.
      opened.on('error', () => {});
      opened.on('close', () => {
        connecting = undefined;
      });
      return opened;
    });
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    async read(spec: SubscriptionSpec): Promise<DeadLetterDepth> {
      const channel = await (await connection()).createChannel();
      channel.on('error', () => {});
      try {
        const queue = await channel.checkQueue(subscriptionPlan(spec).deadLetterQueue);
        return { events: queue.messageCount };
      } catch (error) {
        // 404 NOT_FOUND: the subscription has not declared its dead letter yet, so it holds nothing.
        if ((error as { code?: number }).code === 404) return { events: 0 };
        throw error;
      } finally {
        await channel.close().catch(() => undefined);
      }
    },
    async close() {
      const opened = await connecting?.catch(() => undefined);
      connecting = undefined;
      await opened?.close().catch(() => undefined);
    },
  };
}
