import { describe, expect, it } from 'vitest';
import { formatDuration, parseK6Duration } from '../lib/duration.ts';
import { k6Scenario, k6Thresholds } from '../lib/k6-options.ts';
import { type OperationTarget, planScenarios, planThresholds } from '../lib/plan.ts';
import { readSettings } from '../lib/settings.ts';

const order: OperationTarget = {
  operation: 'publishOrdersOrderCreated',
  exec: 'publishOrdersOrderCreated',
  sla: { eventsPerHour: 5000, publishP95: 10, deliverySuccessRate: 0.999 },
  subscribers: [
    {
      service: 'payment',
      subscription: 'order-created',
      metricsTopic: 'orders.order.created',
      processingP95: 100,
    },
  ],
};
const identity: OperationTarget = {
  operation: 'publishIdentityProjectCreated',
  exec: 'publishIdentityProjectCreated',
  sla: { publishP99: 50 },
  subscribers: [],
};

describe('k6 durations', () => {
  it.each([
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['500ms', 500],
    ['2d3h', 51 * 3_600_000],
    ['250', 250],
    ['0', 0],
    ['5 minutes', undefined],
    ['1x', undefined],
    ['', undefined],
  ])('%s -> %s ms', (text, ms) => {
    expect(parseK6Duration(text)).toBe(ms);
  });

  it('prints whole seconds as k6 does', () => {
    expect([formatDuration(720_000), formatDuration(5000), formatDuration(3_601_000)]).toEqual([
      '12m0s',
      '5s',
      '1h0m1s',
    ]);
  });
});

describe('readSettings', () => {
  it('defaults to the steady profile, a local sidecar and broker, and no processing side', () => {
    expect(readSettings({})).toEqual({
      daprUrl: 'http://127.0.0.1:3500',
      amqpPublishUrl: 'http://127.0.0.1:15672',
      amqpUser: 'guest',
      amqpPassword: 'guest',
      profile: 'steady',
      rateScale: 1,
      orderingKeys: 100,
      consumerMetrics: [],
      drainMs: 30_000,
    });
  });

  it('takes the profile, duration, rate scale and the consumers to read', () => {
    expect(
      readSettings({
        PROFILE: 'soak',
        DURATION: '2h',
        RATE_SCALE: '12',
        CONSUMER_METRICS: 'http://a/metrics, http://b/metrics',
      }),
    ).toMatchObject({
      profile: 'soak',
      durationMs: 7_200_000,
      rateScale: 12,
      consumerMetrics: ['http://a/metrics', 'http://b/metrics'],
    });
  });

  it.each([
    [{ DURATION: '500ms' }, /DURATION=500ms is not a duration of at least 1s/],
    [{ DURATION: '0s' }, /DURATION=0s is not a duration of at least 1s/],
    [{ DURATION: '5 minutes' }, /DURATION=5 minutes is not a duration/],
    [{ PROFILE: 'stress' }, /PROFILE=stress must be one of smoke, steady, peak, soak/],
    [{ RATE_SCALE: '0' }, /RATE_SCALE=0 must be a positive number/],
    [{ ORDERING_KEYS: '2.5' }, /ORDERING_KEYS=2.5 must be a positive integer/],
  ])('refuses %j', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});

describe('the load plan', () => {
  it('runs steady at the contract rate and stretches it until 1000 events judge delivery >= 99.9 %', () => {
    const [steady] = planScenarios([order], { profile: 'steady', rateScale: 1 });
    // Five minutes at 5000/h would be 417 events: p95 is then fine, but one loss would fail 99.9 %.
    expect(steady).toMatchObject({ rate: 5000, timeUnit: '1h', duration: '12m0s', events: 1000, vus: 2 });
    expect(steady!.notes).toEqual(['runs 12m0s instead of 5m0s to collect 1000 events at the contract rate']);
  });

  it('says what an hour at a low rate still cannot judge', () => {
    const [steady] = planScenarios([{ ...order, sla: { ...order.sla, eventsPerHour: 60 } }], {
      profile: 'steady',
      rateScale: 1,
    });
    expect(steady).toMatchObject({ duration: '1h0m0s', events: 60 });
    expect(steady!.notes).toContain(
      '60 events are too few to judge publish p95 < 10 ms, payment/order-created processing p95 < 100 ms fairly (needs 100); judged anyway',
    );
  });

  it('sends a smoke run the samples its percentiles need, evenly over the duration', () => {
    const [smoke, bare] = planScenarios([order, identity], {
      profile: 'smoke',
      rateScale: 1,
      durationMs: 10_000,
    });
    expect(smoke).toMatchObject({ rate: 100, timeUnit: '10s', duration: '10s', events: 100 });
    expect(bare).toMatchObject({ rate: 500, timeUnit: '10s', events: 500, vus: 50 });
  });

  it('refuses a peak profile when no operation declares a peak, and durations k6 refuses', () => {
    expect(() => planScenarios([order], { profile: 'peak', rateScale: 1 })).toThrow(
      /no operation declares x-eventwire-sla.peakPerSecond/,
    );
    expect(() => planScenarios([order], { profile: 'smoke', rateScale: 1, durationMs: 500 })).toThrow(
      /at least 1s/,
    );
  });

  it('pre-allocates every VU a peak needs and thresholds drops in every phase', () => {
    const peaked = { ...order, sla: { ...order.sla, peakPerSecond: 200 } };
    const [peak] = planScenarios([peaked], { profile: 'peak', rateScale: 1 });
    expect(k6Scenario(peak!)).toMatchObject({
      rate: 200,
      timeUnit: '1s',
      duration: '1m0s',
      preAllocatedVUs: 200,
      maxVUs: 200,
    });
    for (const profile of ['smoke', 'steady'] as const) {
      const scenarios = planScenarios([order], { profile, rateScale: 1 });
      expect(k6Thresholds(planThresholds([order], scenarios), { processing: true })).toEqual({
        [`http_req_duration{scenario:publishOrdersOrderCreated_${profile}}`]: ['p(95)<10'],
        [`http_req_failed{scenario:publishOrdersOrderCreated_${profile}}`]: ['rate<=0.001'],
        [`checks{scenario:publishOrdersOrderCreated_${profile}}`]: ['rate>=0.999'],
        [`dropped_iterations{scenario:publishOrdersOrderCreated_${profile}}`]: ['count==0'],
        'eventwire_processed_in_target{subscription:payment/order-created}': ['rate>=0.95'],
        'eventwire_delivered{subscription:payment/order-created}': ['rate>=0.999'],
      });
    }
  });
});
