/**
 * The Dapr side of asyncapi/ as a whole: every generated Dapr file validates against the CRD schemas, every route
 * has a handler, and every dead-letter topic is declared and read (by its DLQ monitor). A contract change that
 * leaves a dead-letter topic unread, or a route without a consumer, fails here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../model/index.ts';
import { emitDapr, repoRoot } from './__fixtures__/emit.ts';
import { daprFindings } from './checks.ts';
import { daprCrdDir, loadDaprCrdValidator } from './crd-validate.ts';

const crdDir = daprCrdDir(repoRoot);
const present = existsSync(crdDir);

describe.skipIf(!present)(
  present
    ? 'the platform in asyncapi/'
    : `the platform in asyncapi/ [skipped: ${crdDir} not found; set EVENTWIRE_SHARED]`,
  () => {
    it('has no Dapr finding: CRD schemas, routes with handlers, dead letters declared and read', async () => {
      const { model, errors } = await loadModel([join(repoRoot, 'asyncapi')]);
      expect(errors).toEqual([]);
      const files = [...(await emitDapr(model)).values()]
        .filter((f) => f.path.endsWith('.yaml'))
        .map((f) => ({ path: f.path, contents: f.contents }));
      expect(files.length).toBeGreaterThan(20);
      expect(daprFindings(model, files, loadDaprCrdValidator(crdDir))).toEqual([]);
    });
  },
);
