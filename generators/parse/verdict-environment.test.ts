import { describe, expect, it } from 'vitest';
import { VerdictCache } from './cache.ts';

describe('VerdictCache.environment', () => {
  it('is computed once per process, not read again for every document of a run', () => {
    // Every verdict key asks for it; each computation reads the ~14 validation modules from disk.
    const first = VerdictCache.environment();
    expect(VerdictCache.environment()).toBe(first);
  });

  it('names the verdict format, the validator packages and a hash of the validation code', () => {
    const [format, ...rest] = VerdictCache.environment();
    expect(format).toMatch(/^verdict:\d+$/);
    expect(rest.slice(0, 3).map((entry) => entry.replace(/@[^@]*$/, ''))).toEqual([
      '@asyncapi/parser',
      '@asyncapi/converter',
      '@asyncapi/avro-schema-parser',
    ]);
    expect(rest[3]).toMatch(/^[0-9a-f]{32}$/);
  });
});
