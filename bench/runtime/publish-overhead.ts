/**
 * What the runtime's publish path costs per event by itself: the in-memory transport (no broker, no I/O), so the
 * figures are validation, envelope, encoding, metrics and the batching machinery only. The baseline is the floor
 * any producer pays for the same event: ajv validation plus JSON encoding of a hand-built envelope.
 *
 *   node bench/runtime/publish-overhead.ts [--rounds 3] [--seconds 1] [--batch 1000] [--json]
 *
 * CPU µs per event is the figure to compare across machines: 20 µs per event is the whole budget of one core
 * at 50,000 events/s.
 */
import type { Runtime } from '../../runtime/api.ts';
import { MemoryIdempotencyStore } from '../../runtime/idempotency/memory.ts';
import { createEventMetrics } from '../../runtime/metrics.ts';
import { createPublishBatcher } from '../../runtime/publish-batcher.ts';
import { publishMany } from '../../runtime/publish-many.ts';
import { publishEvent } from '../../runtime/publish.ts';
import type { OutgoingMessage } from '../../runtime/transport.ts';
import { MemoryTransport } from '../../runtime/transports/memory.ts';
import { concurrentLoop, timedLoop } from '../lib/drive.ts';
import { interleave, type RoundResult, roundSeconds, type Variant } from '../lib/rounds.ts';
import {
  ORDER_CREATED,
  type OrderCreated,
  orderCreatedPublication,
  orders,
  validateOrderCreated,
} from './order-created.ts';
import { rawMessage } from './raw-envelope.ts';
import {
  type BenchmarkReport,
  type CommonArgs,
  numberOption,
  parseCommon,
  row,
  runBenchmark,
} from './report.ts';

const spec = orderCreatedPublication({ kind: 'topic', pubsub: 'pubsub', topic: ORDER_CREATED });

/** Counts what reaches the transport, so a round that silently published nothing cannot pass as fast. */
class CountingTransport extends MemoryTransport {
  messages = 0;
  override publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.messages += messages.length;
    return super.publish(messages);
  }
}

function runtime(): Runtime & { transport: CountingTransport } {
  return {
    service: { name: 'order', version: '1.0.0' },
    transport: new CountingTransport({ recordPublished: false }),
    idempotency: new MemoryIdempotencyStore(),
    metrics: createEventMetrics(),
    env: {},
  };
}

function variant(
  name: string,
  run: (rt: Runtime, seconds: number) => Promise<RoundResult>,
  seconds: number,
): Variant {
  return {
    name,
    round: async (r) => {
      const rt = runtime();
      const result = await run(rt, roundSeconds(seconds, r));
      if (rt.transport.messages !== result.events) {
        throw new Error(
          `${name}: the transport received ${rt.transport.messages} messages, the round counted ${result.events}`,
        );
      }
      return result;
    },
  };
}

export async function publishOverheadBenchmark(args: CommonArgs): Promise<Omit<BenchmarkReport, 'load'>> {
  const batch = numberOption(args, 'batch');
  const payloads: readonly OrderCreated[] = orders(4096);
  const at = (i: number) => payloads[i % payloads.length]!;
  const chunk = (from: number) => Array.from({ length: batch }, (_, i) => at(from + i));
  let sink = 0;
  const [floor, single, many, batcher] = await interleave(args.rounds, [
    {
      name: 'floor: ajv validate + JSON-encode an envelope',
      round: async (r) => {
        let i = 0;
        return timedLoop(roundSeconds(args.seconds, r), async () => {
          for (let n = 0; n < batch; n++, i++) {
            if (!validateOrderCreated(at(i))) throw new Error('invalid fixture');
            sink += rawMessage(ORDER_CREATED, at(i)).body.length;
          }
          return batch;
        });
      },
    },
    variant(
      'publishEvent (one await per event)',
      (rt, seconds) => {
        let i = 0;
        return timedLoop(seconds, async () => {
          await publishEvent(rt, spec, validateOrderCreated, at(i++));
          return 1;
        });
      },
      args.seconds,
    ),
    variant(
      `publishMany (batch ${batch})`,
      (rt, seconds) => {
        let i = 0;
        return timedLoop(seconds, async () => {
          await publishMany(rt, spec, validateOrderCreated, chunk(i), { chunkSize: batch });
          i += batch;
          return batch;
        });
      },
      args.seconds,
    ),
    variant(
      `publish batcher (${batch * 2} callers, batch <= ${batch})`,
      (rt, seconds) => {
        const batcher = createPublishBatcher(rt, { maxBatchSize: batch });
        return concurrentLoop(seconds, batch * 2, (i) => batcher.publish(spec, validateOrderCreated, at(i)));
      },
      args.seconds,
    ),
  ]);
  if (sink === 0) throw new Error('the floor encoded nothing');
  return {
    name: 'publish-overhead',
    title: 'Runtime publish cost per event, in-memory transport (no broker)',
    settings: { batch, secondsPerRound: args.seconds, rounds: args.rounds },
    rows: [
      row(floor!, 'baseline'),
      row(single!, 'runtime', 'publish call', floor),
      row(many!, 'runtime', 'publish call', floor),
      row(batcher!, 'runtime', 'event', floor),
    ],
    targets: [],
  };
}

if (import.meta.main) {
  const args = parseCommon(1, { batch: '1000' });
  await runBenchmark(args, () => publishOverheadBenchmark(args));
}
