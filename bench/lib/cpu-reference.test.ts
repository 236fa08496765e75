import { describe, expect, it } from 'vitest';
import { cpuReferenceMicros } from './cpu-reference.ts';

describe('CPU reference', () => {
  it('reports a positive, finite time per iteration rounded to hundredths', () => {
    const micros = cpuReferenceMicros(3);
    expect(Number.isFinite(micros)).toBe(true);
    expect(micros).toBeGreaterThan(0);
    expect(Math.round(micros * 100) / 100).toBe(micros);
  });
});
