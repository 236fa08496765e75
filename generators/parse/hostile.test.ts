/**
 * Reading contracts from files nobody vouches for (a pull request's): `$ref`s confined to the refs root,
 * symbolic links followed before the check, non-regular files refused without blocking, sizes capped, and
 * `$ref` fan-out measured before the parser expands it. In-process; cli/hostile.test.ts runs the same as a
 * capped process.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandedSize, expansionProblem, MAX_EXPANDED_DEPTH } from './budget.ts';
import { isInside, RefsRoots, realTarget } from './confine.ts';
import { ContractFiles } from './files.ts';
import { MAX_CONTRACT_FILE_BYTES, readBoundedFile, readContractFile } from './read.ts';
import { crawlRefs } from './refs.ts';

let work: string;
beforeEach(async () => {
  work = await realTarget(await mkdtemp(path.join(tmpdir(), 'eventwire-hostile-')));
  await mkdir(path.join(work, 'contracts'));
});
afterEach(() => rm(work, { recursive: true, force: true }));

const contracts = (...parts: string[]) => path.join(work, 'contracts', ...parts);

async function crawl(document: string, roots = [contracts()]) {
  const files = new ContractFiles(work, undefined, new RefsRoots(roots));
  await files.read(document);
  return crawlRefs(files, document);
}

describe('reading one file', () => {
  it('refuses a FIFO without waiting for a writer', async () => {
    execFileSync('mkfifo', [contracts('pipe.yaml')]);
    expect(await readContractFile(contracts('pipe.yaml'))).toMatchObject({ ok: false, code: 'not-a-file' });
  });

  it('refuses devices and folders', async () => {
    expect(await readBoundedFile('/dev/zero')).toMatchObject({
      ok: false,
      message: 'not a regular file (a device)',
    });
    expect(await readBoundedFile(contracts())).toMatchObject({
      ok: false,
      message: 'not a regular file (a folder)',
    });
  });

  it('reads a file of exactly the limit and refuses one byte more', async () => {
    await writeFile(contracts('limit.yaml'), Buffer.alloc(MAX_CONTRACT_FILE_BYTES, 0x20));
    expect(Buffer.isBuffer(await readBoundedFile(contracts('limit.yaml')))).toBe(true);
    await writeFile(contracts('over.yaml'), Buffer.alloc(MAX_CONTRACT_FILE_BYTES + 1, 0x20));
    expect(await readBoundedFile(contracts('over.yaml'))).toMatchObject({
      ok: false,
      code: 'file-too-large',
    });
  });
});

describe('the refs root', () => {
  it('is the folder given, with symbolic links followed', async () => {
    await symlink(contracts(), path.join(work, 'alias'));
    const roots = new RefsRoots([path.join(work, 'alias')]);
    expect(await roots.contains(contracts('a.yaml'))).toBe(true);
    expect(await roots.contains(path.join(work, 'b.yaml'))).toBe(false);
    expect(isInside(`${contracts()}-other/x`, contracts())).toBe(false);
  });

  it('defaults to the folders given and the folder of each file given', async () => {
    await writeFile(contracts('a.yaml'), 'asyncapi: 3.0.0\n');
    await mkdir(path.join(work, 'more'));
    const roots = await RefsRoots.of([contracts('a.yaml'), path.join(work, 'more'), path.join(work, 'gone')]);
    expect(roots.folders).toEqual([contracts(), path.join(work, 'more')]);
  });

  it('refuses a $ref that climbs out, or leaves through a symbolic link, at the $ref, without reading the file', async () => {
    await writeFile(path.join(work, 'creds.yaml'), 'type: object\n');
    await mkdir(path.join(work, 'outside'));
    await writeFile(path.join(work, 'outside/creds.yaml'), 'type: object\n');
    await symlink(path.join(work, 'outside'), contracts('linked'));
    await writeFile(
      contracts('doc.yaml'),
      [
        'asyncapi: 3.0.0',
        'components:',
        '  schemas:',
        "    up: { $ref: '../creds.yaml' }",
        "    linked: { $ref: './linked/creds.yaml' }",
        `    absolute: { $ref: 'file://${path.join(work, 'creds.yaml')}' }`,
        '',
      ].join('\n'),
    );
    const closure = await crawl(contracts('doc.yaml'));
    expect(closure.errors.map((e) => [e.code, e.pointer])).toEqual([
      ['ref-outside-root', '/components/schemas/up/$ref'],
      ['ref-outside-root', '/components/schemas/linked/$ref'],
      ['ref-outside-root', '/components/schemas/absolute/$ref'],
    ]);
    expect(closure.errors[0]?.message).toContain('outside the refs root (contracts/)');
    expect(closure.errors[0]?.hint).toContain('--refs-root');
    expect(closure.files).toEqual([contracts('doc.yaml')]);
  });

  it('accepts the same $ref when the root is widened', async () => {
    await writeFile(path.join(work, 'shared.yaml'), 'type: object\n');
    await writeFile(contracts('doc.yaml'), "asyncapi: 3.0.0\nx-s: { $ref: '../shared.yaml' }\n");
    expect((await crawl(contracts('doc.yaml'), [work])).errors).toEqual([]);
  });
});

describe('$ref chains', () => {
  it('refuses a chain of schemas deeper than the limit where it passes the limit, instead of overflowing the stack', async () => {
    const lines = [
      'asyncapi: 3.0.0',
      'x-root: { $ref: "#/components/schemas/S0" }',
      'components:',
      '  schemas:',
    ];
    for (let i = 0; i < 5_000; i++)
      lines.push(`    S${i}: { properties: { next: { $ref: "#/components/schemas/S${i + 1}" } } }`);
    lines.push('    S5000: { type: string }');
    await writeFile(contracts('chain.yaml'), `${lines.join('\n')}\n`);
    const files = new ContractFiles(work);
    await files.read(contracts('chain.yaml'));
    const problem = expansionProblem(files, contracts('chain.yaml'));
    expect(problem).toMatchObject({ code: 'ref-expansion' });
    expect(problem?.message).toContain(`nests deeper than ${MAX_EXPANDED_DEPTH} levels`);
    expect(problem?.pointer).toMatch(/^\/components\/schemas\/S\d+\//);
  });
});

describe('$ref fan-out', () => {
  /** A document whose schema L0 references L1 `width` times, L1 references L2 `width` times, and so on. */
  async function fanOut(width: number, depth: number): Promise<ContractFiles> {
    const lines = [
      'asyncapi: 3.0.0',
      'x-root: { $ref: "#/components/schemas/L0" }',
      'components:',
      '  schemas:',
    ];
    for (let level = 0; level <= depth; level++) {
      lines.push(`    L${level}:`, '      properties:');
      for (let i = 0; i < width; i++)
        lines.push(
          level < depth
            ? `        p${i}: { $ref: "#/components/schemas/L${level + 1}" }`
            : `        q${i}: { type: string }`,
        );
    }
    await writeFile(contracts('fan.yaml'), `${lines.join('\n')}\n`);
    const files = new ContractFiles(work);
    await files.read(contracts('fan.yaml'));
    return files;
  }

  it('counts a referenced schema wherever it is used, a recursive one once', async () => {
    const files = await fanOut(2, 1);
    // L1 = 1 + properties(1 + 2 × (1 + type 1)) = 6; L0 = 1 + properties(1 + 2 × 6) = 14.
    expect(expandedSize(files, contracts('fan.yaml')).heaviest?.size).toBe(14);
    await writeFile(contracts('loop.yaml'), 'asyncapi: 3.0.0\nx-a: { items: { $ref: "#/x-a" } }\n');
    const loop = new ContractFiles(work);
    await loop.read(contracts('loop.yaml'));
    expect(expandedSize(loop, contracts('loop.yaml')).size).toBeLessThan(10);
  });

  it('refuses a document over the budget at its heaviest $ref, and accepts one under it', async () => {
    const files = await fanOut(10, 5);
    const problem = expansionProblem(files, contracts('fan.yaml'));
    expect(problem).toMatchObject({ code: 'ref-expansion', pointer: '/x-root/$ref' });
    expect(problem?.message).toMatch(
      /expands to [\d,]+ nodes once every \$ref is copied in, over the limit of 200,000/,
    );
    // The bottom of the fan-out. Each level is written once under components and copied ten times per copy of
    // the level above; L0 twice (its definition and x-root): L5 = 2 × 10^5 + 11,111.
    expect(problem?.message).toContain(
      'the node copied most is contracts/fan.yaml#/components/schemas/L5 (22 nodes, 211,111 copies)',
    );
    expect(expansionProblem(await fanOut(3, 3), contracts('fan.yaml'))).toBeUndefined();
  });
});
