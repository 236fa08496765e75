import { describe, expect, it } from 'vitest';
import { peakScenario, smokeScenario, steadyScenario } from '../lib/scenarios.ts';
import { readSettings } from '../lib/settings.ts';

describe('readSettings', () => {
  it('defaults to a local sidecar and broker and a five-minute steady phase', () => {
    expect(readSettings({})).toEqual({
      daprUrl: 'http://127.0.0.1:3500',
      amqpPublishUrl: 'http://127.0.0.1:15672',
      amqpUser: 'guest',
      amqpPassword: 'guest',
      steadyDuration: '5m',
      peakDuration: '1m',
      rateScale: 1,
      smokeIterations: 20,
      orderingKeys: 100,
    });
  });

  it('takes DAPR_HTTP_PORT, or a full DAPR_URL, and the other variables', () => {
    const env = {
      DAPR_HTTP_PORT: '3601',
      AMQP_PUBLISH_URL: 'http://mq:15672/',
      RATE_SCALE: '60',
      STEADY_DURATION: '1h30m',
    };
    expect(readSettings(env)).toMatchObject({
      daprUrl: 'http://127.0.0.1:3601',
      amqpPublishUrl: 'http://mq:15672',
      rateScale: 60,
      steadyDuration: '1h30m',
    });
    expect(readSettings({ DAPR_URL: 'http://dapr:3500', DAPR_HTTP_PORT: '1' }).daprUrl).toBe(
      'http://dapr:3500',
    );
  });

  it.each([
    [{ STEADY_DURATION: '5 minutes' }, /STEADY_DURATION=5 minutes is not a k6 duration/],
    [{ RATE_SCALE: '0' }, /RATE_SCALE=0 must be a positive number/],
    [{ RATE_SCALE: 'fast' }, /RATE_SCALE=fast must be a positive number/],
    [{ ORDERING_KEYS: '2.5' }, /ORDERING_KEYS=2.5 must be a positive integer/],
  ])('refuses %j', (env, message) => {
    expect(() => readSettings(env)).toThrow(message);
  });
});

describe('scenarios', () => {
  const settings = readSettings({});

  it.each([
    [10, 1, 1, 2],
    [5000, 1, 1, 2],
    [50_000, 1, 2, 14],
    [5000, 60, 9, 84],
  ])('steady at %d/h (scale %d) keeps the hourly rate and sizes VUs for it', (perHour, scale, pre, max) => {
    const scenario = steadyScenario({ ...settings, rateScale: scale }, 'op', perHour);
    expect(scenario).toEqual({
      executor: 'constant-arrival-rate',
      exec: 'op',
      rate: perHour * scale,
      timeUnit: '1h',
      duration: '5m',
      preAllocatedVUs: pre,
      maxVUs: max,
    });
  });

  it('starts the peak after the steady phase only when there is one', () => {
    expect(peakScenario(settings, 'op', 50, { afterSteady: true })).toMatchObject({
      rate: 50,
      timeUnit: '1s',
      startTime: '5m',
      duration: '1m',
      maxVUs: 50,
    });
    expect(peakScenario(settings, 'op', 50, { afterSteady: false }).startTime).toBe('0s');
  });

  it('runs a smoke scenario of SMOKE_ITERATIONS single-VU iterations', () => {
    expect(smokeScenario({ ...settings, smokeIterations: 7 }, 'op')).toEqual({
      executor: 'shared-iterations',
      exec: 'op',
      vus: 1,
      iterations: 7,
      maxDuration: '1m',
    });
  });
});
