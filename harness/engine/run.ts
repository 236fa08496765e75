/** One plan on one driver: bursts and consumer steps in schedule order, then quiescence. Any broker mode. */
import { phasesOf } from './steps.ts';
import type { Quiescence, RunDriver, RunPlan } from './types.ts';

export async function runPlan(driver: RunDriver, plan: RunPlan): Promise<Quiescence> {
  for (const phase of phasesOf(plan.steps)) {
    if (phase.kind === 'burst') {
      await driver.burst(phase.steps);
    } else {
      // A consumer step happens once the bursts before it have been taken as far as they can go.
      await driver.settle();
      await driver.consumer(phase.step);
    }
  }
  return driver.quiesce();
}
