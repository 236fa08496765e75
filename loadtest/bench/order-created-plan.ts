/**
 * The load plan both load benchmarks start from: the platform's contracts, the order service's
 * `publishOrdersOrderCreated` at the smoke profile, and that operation's first example event.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../../generators/model/index.ts';
import { planRun, type RunPlan } from '../engine/plan-run.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function orderCreatedPlan(): Promise<RunPlan> {
  const model = (await loadModel([join(REPO_ROOT, 'asyncapi')], { root: REPO_ROOT })).model;
  return planRun({
    model,
    services: ['order'],
    settings: { profile: 'smoke', rateScale: 1 },
    generatedDir: join(REPO_ROOT, 'generated'),
    handlers: {},
    operations: ['publishOrdersOrderCreated'],
  });
}
