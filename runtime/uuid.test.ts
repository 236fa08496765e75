import { describe, expect, it } from 'vitest';
import { isUuidV7, uuidv7, uuidv7Time } from './uuid.ts';

describe('uuidv7', () => {
  it('has version 7 and the RFC 9562 variant, and embeds the millisecond', () => {
    const now = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
    const id = uuidv7(now);
    expect(isUuidV7(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(uuidv7Time(id)).toBe(now);
  });

  it('is strictly increasing within one millisecond (monotonic counter)', () => {
    const now = Date.UTC(2032, 0, 1);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(now));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays increasing when the clock goes backwards', () => {
    const later = uuidv7(Date.UTC(2033, 0, 1, 0, 0, 1));
    const earlier = uuidv7(Date.UTC(2033, 0, 1, 0, 0, 0));
    expect(earlier > later).toBe(true);
    expect(uuidv7Time(earlier)).toBe(Date.UTC(2033, 0, 1, 0, 0, 1));
  });

  it('orders ids from later milliseconds after earlier ones', () => {
    const a = uuidv7(Date.UTC(2034, 0, 1));
    const b = uuidv7(Date.UTC(2034, 0, 1) + 1);
    expect(b > a).toBe(true);
  });

  it('is unique over many ids at wall-clock time', () => {
    const ids = new Set(Array.from({ length: 50_000 }, () => uuidv7()));
    expect(ids.size).toBe(50_000);
  });
});
