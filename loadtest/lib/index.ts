/**
 * What generated load-test scripts import: `publish` for the iterations and `steady` / `peak` / `smoke` for the
 * scenarios, bound to the settings read from the environment.
 */
import { publish, settings } from './publish.ts';
import { peakScenario, smokeScenario, steadyScenario } from './scenarios.ts';

export type { LoadEvent, Publication } from './types.ts';
export { publish, settings };

export const steady = (exec: string, eventsPerHour: number) => steadyScenario(settings, exec, eventsPerHour);
export const peak = (exec: string, perSecond: number, when: { readonly afterSteady: boolean }) =>
  peakScenario(settings, exec, perSecond, when);
export const smoke = (exec: string) => smokeScenario(settings, exec);
