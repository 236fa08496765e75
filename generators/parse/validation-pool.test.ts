import { afterAll, describe, expect, it } from 'vitest';
import { asyncApiParser } from './parser.ts';
import { ValidationPool } from './validation-pool.ts';

const invalid = `asyncapi: 3.0.0
info:
  title: T
  version: "1"
  owner: team-a
channels: {}
`;

const pool = new ValidationPool();
afterAll(() => pool.close());

describe('the validation worker pool', () => {
  it('gives the diagnostics the parser gives in this thread', async () => {
    const reply = await pool.parse('/nowhere/doc.yaml', invalid, false);
    const local = await (await asyncApiParser()).parser.validate(invalid, { source: '/nowhere/doc.yaml' });
    if ('failure' in reply) throw new Error(reply.failure);
    expect(reply.valid).toBe(false);
    const summary = (d: { code: string | number; path: readonly (string | number)[]; message: string }) =>
      [d.code, d.path.join('/'), d.message].join(' ');
    expect(reply.diagnostics.map(summary).sort()).toEqual(local.map(summary).sort());
    expect(reply.diagnostics.map(summary)).toContain(
      'asyncapi-document-resolved info/owner property "owner" is not allowed here',
    );
  });

  it('lets errors through for lenient requests, as for converted documents', async () => {
    const reply = await pool.parse('/nowhere/doc.yaml', invalid, true);
    expect('valid' in reply && reply.valid).toBe(true);
  });

  it('hands every request to the worker at once, so it validates while this thread is busy', async () => {
    const echo = new ValidationPool(new URL('./test-echo-worker.ts', import.meta.url));
    try {
      await echo.schemaFormats(); // started
      const replies = [1, 2, 3].map((n) => echo.parse(`/nowhere/${n}.yaml`, invalid, false));
      // This thread's event loop is blocked (as while it renders): a worker that waited to be handed the next
      // request would see only the first one until the block ends.
      const blockedUntil = performance.timeOrigin + performance.now() + 1000;
      while (performance.timeOrigin + performance.now() < blockedUntil) {
        // busy
      }
      for (const reply of await Promise.all(replies)) {
        if ('failure' in reply) throw new Error(reply.failure);
        expect(Number(reply.diagnostics[0]?.message)).toBeLessThan(blockedUntil);
      }
    } finally {
      await echo.close();
    }
  });

  it('rejects every request when its worker cannot start, so callers validate in their own thread', async () => {
    const broken = new ValidationPool(new URL('./no-such-worker.ts', import.meta.url));
    await expect(broken.parse('/nowhere/doc.yaml', invalid, false)).rejects.toThrow();
    await expect(broken.parse('/nowhere/doc.yaml', invalid, false)).rejects.toThrow();
    await broken.close();
  });
});
