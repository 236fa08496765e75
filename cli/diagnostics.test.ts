/**
 * One diagnostic, one text: the same bad contract reads the same from `generate`, `check` and `diff`, run as real
 * processes. Problems that make a document unreadable stop every command (exit 2); problems the model builder
 * finds in a readable contract stop `generate` (exit 2) and are findings for `check` (exit 1), printed alike.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './test-process.ts';

let work: string;

beforeAll(async () => {
  await mkdir(join(REPO, '.tmp'), { recursive: true });
  work = await mkdtemp(join(REPO, '.tmp/diagnostics-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const contract = (extra: { service?: string; payloadType?: string }) => `asyncapi: 3.0.0
info:
  title: Shop
  version: 1.0.0
  x-eventwire-service:
    name: shop
${extra.service ?? ''}channels:
  orders:
    address: shop.order.created
    messages:
      created:
        payload:
          type: ${extra.payloadType ?? 'object'}
operations:
  publishCreated:
    action: send
    channel:
      $ref: '#/channels/orders'
  onCreated:
    action: receive
    channel:
      $ref: '#/channels/orders'
    x-eventwire-retry: { maxRetries: 3, backoff: exponential, initialInterval: 1s }
    x-eventwire-dead-letter: { address: dlq.shop-order-created }
`;

async function project(name: string, text: string): Promise<string> {
  const folder = join(work, name);
  await mkdir(join(folder, 'asyncapi'), { recursive: true });
  await writeFile(join(folder, 'asyncapi/shop.yaml'), text);
  return folder;
}

/**
 * The diagnostic blocks of a command's output: a place line, the indented `severity: message [rule]` line
 * under it, and the indented `expected:`/`fix:` lines after. Summary lines are not diagnostics.
 */
function blocks(output: string): string[] {
  const lines = output.split('\n');
  const found: string[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    if (!/^ {2}(error|warning|info): /.test(lines[i + 1] ?? '')) continue;
    let end = i + 2;
    while (lines[end]?.startsWith('    ')) end++;
    found.push(lines.slice(i, end).join('\n'));
    i = end - 1;
  }
  return found;
}

describe('the same bad contract, the same text from every command', () => {
  it('a document that cannot be read: generate, check and diff exit 2 with the very same diagnostics', async () => {
    const cwd = await project('unreadable', contract({ payloadType: 'objekt' }));
    const [generate, check, diff] = await Promise.all([
      runCli(['generate', '--out', 'generated'], cwd),
      runCli(['check'], cwd),
      runCli(['diff', 'asyncapi/shop.yaml', 'asyncapi/shop.yaml'], cwd),
    ]);
    for (const result of [generate, check, diff]) expect(result.code, result.stderr).toBe(2);
    const printed = blocks(generate.stderr);
    expect(printed).toContain(
      [
        'asyncapi/shop.yaml:13:11 /channels/orders/messages/created/payload/type',
        '  error: "type" must be one of "array", "boolean", "integer", "null", "number", "object", "string"  [parse/invalid-schema]',
        '    fix: payload and header schemas are JSON Schema (draft-07) objects',
      ].join('\n'),
    );
    expect(blocks(check.stderr)).toEqual(printed);
    expect(blocks(diff.stderr)).toEqual(printed);
  });

  it('a readable contract that breaks an extension rule: generate refuses it, check reports it, in one layout', async () => {
    const cwd = await project('extension', contract({ service: '    bogus: 1\n' }));
    const [generate, check] = await Promise.all([
      runCli(['generate', '--out', 'generated'], cwd),
      runCli(['check'], cwd),
    ]);
    expect(generate.code, generate.stderr).toBe(2);
    expect(check.code, check.stderr).toBe(1);
    const printed = blocks(generate.stderr);
    expect(printed).toEqual([
      [
        'asyncapi/shop.yaml:7:5 /info/x-eventwire-service/bogus',
        '  error: x-eventwire-service: property "bogus" is not allowed here  [lint/invalid-extension]',
        '    fix: see asyncapi/extensions.schema.json for the allowed fields and values',
      ].join('\n'),
    ]);
    // The contract satisfies check's own rules: what check prints is what generate printed.
    expect(blocks(check.stdout)).toEqual(printed);
  });

  it('a warning reads the same from both, and neither stops on it', async () => {
    const cwd = await project(
      'warning',
      contract({}).replace(
        '  publishCreated:\n    action: send\n',
        '  publishCreated:\n    action: send\n    x-eventwire-retry:\n      maxRetries: 3\n',
      ),
    );
    const [generate, check] = await Promise.all([
      runCli(['generate', '--out', 'generated'], cwd),
      runCli(['check'], cwd),
    ]);
    expect(generate.code, generate.stderr).toBe(0);
    expect(check.code, check.stdout).toBe(0);
    const printed = blocks(generate.stderr);
    expect(printed.join('\n')).toContain('[model/misplaced-extension]');
    expect(blocks(check.stdout)).toEqual(expect.arrayContaining(printed));
  });
});
