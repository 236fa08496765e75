/**
 * topology/payload-mismatch on real documents: a subscriber that writes its own view of an event (instead of
 * referencing the publisher's message) is checked against what the publisher may send.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../commands/check.ts';

const fixture = resolve(import.meta.dirname, '../../../generators/model/__fixtures__/consumer-view');

describe("a subscriber's own schema against the publisher's", () => {
  it('reports the field whose type the subscriber would reject, at the subscriber', async () => {
    const result = await checkCommand({ paths: [fixture], format: 'json', cwd: fixture });
    const { findings } = JSON.parse(result.output) as {
      findings: Array<{ rule: string; file: string; pointer: string; message: string }>;
    };
    const mismatch = findings.filter((f) => f.rule === 'topology/payload-mismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]?.file).toBe('billing.yaml');
    expect(mismatch[0]?.pointer).toBe(
      '/channels/placed/messages/OrderPlaced/payload/properties/order_id/type',
    );
    expect(mismatch[0]?.message).toMatch(/allows strings, which subscriber billing does not/);
    expect(result.exitCode).toBe(1);
  });
});
