import { describe, expect, it } from 'vitest';
import type { VariantSummary } from '../lib/rounds.ts';
import { cpuCeiling } from './rabbitmq-publish.ts';

function summary(brokerMicrosPerMessage: number[], clientMicros?: number): VariantSummary {
  return {
    name: 'raw',
    eventsPerSecond: 10_000,
    ...(clientMicros === undefined ? {} : { cpuMicrosPerEvent: clientMicros }),
    rounds: brokerMicrosPerMessage.map((perMessage) => ({
      events: 1_000,
      seconds: 0.1,
      extra: { brokerCpuMicros: perMessage * 1_000 },
    })),
  };
}

describe('RabbitMQ CPU ceiling', () => {
  it('divides all cores by the broker (median over rounds) plus client CPU per message', () => {
    // 2 cores, 80 µs broker + 20 µs client per message: 2,000,000 µs/s / 100 µs = 20,000 msg/s.
    expect(cpuCeiling(summary([70, 80, 95], 20), 2)).toBe(20_000);
    expect(cpuCeiling(summary([100], 25), 2)).toBe(16_000);
  });

  it('is unknown without the broker CPU time (a remote broker) or the client CPU time', () => {
    expect(
      cpuCeiling({ ...summary([80], 20), rounds: [{ events: 1_000, seconds: 0.1 }] }, 2),
    ).toBeUndefined();
    expect(cpuCeiling(summary([80]), 2)).toBeUndefined();
  });
});
