/**
 * The one-line text of every step, as a counterexample prints it:
 *   publish e1 key=k1 seq=1 · duplicate e1 · crash consumer after handler, before commit · restart consumer
 * and the grouping of a schedule into what the engine runs: bursts of broker steps, consumer steps between them.
 */
import {
  BEHAVIOUR_STEPS,
  BROKER_STEPS,
  type BehaviourStep,
  type BrokerFault,
  type BrokerStep,
  CONSUMER_STEPS,
  type ConsumerStep,
  type CrashPoint,
  type Step,
  type StepKind,
} from './types.ts';

export const CRASH_POINT_TEXT: Readonly<Record<CrashPoint, string>> = {
  'before-handler': 'before handler',
  'after-handler': 'after handler, before commit',
  'after-commit': 'after commit, before ack',
};

export const BROKER_FAULT_TEXT: Readonly<Record<BrokerFault, string>> = {
  'broker-restart': 'restart broker (killed, data kept)',
  'broker-pause': 'pause broker',
  'proxy-down': 'cut every connection to the broker',
  'proxy-reset': 'reset every connection to the broker',
  'proxy-latency': 'slow every connection to the broker',
};

function position(step: { key?: string; seq?: number }): string {
  return `${step.key !== undefined ? ` key=${step.key}` : ''}${step.seq !== undefined ? ` seq=${step.seq}` : ''}`;
}

const TEXT: { readonly [K in StepKind]: (step: Extract<Step, { kind: K }>) => string } = {
  publish: (step) => `publish ${step.event}${position(step)}`,
  'lose-confirm': (step) =>
    `publish ${step.event}${position(step)}, confirm lost (${step.stored ? 'broker kept it' : 'broker dropped it'})`,
  invalid: (step) => `publish ${step.event} with an invalid payload`,
  duplicate: (step) => `duplicate ${step.event}${step.via === 'redelivery' ? ' (broker redelivery)' : ''}`,
  reorder: (step) => `reorder ${step.event} before ${step.before}`,
  crash: (step) => `crash consumer ${CRASH_POINT_TEXT[step.point]}`,
  restart: () => 'restart consumer',
  'drop-connection': () => 'drop consumer connection',
  'broker-fault': (step) => BROKER_FAULT_TEXT[step.fault],
  slow: (step) => `slow ${step.event} (handler outlasts the processing timeout)`,
  fail: (step) => `fail ${step.event} ${step.times === 1 ? 'once' : `${step.times} times`}`,
  poison: (step) => `poison ${step.event} (handler always throws)`,
};

export function stepText(step: Step): string {
  return (TEXT[step.kind] as (step: Step) => string)(step);
}

/** The whole schedule on one line, steps separated by ` · `. */
export function scheduleText(steps: readonly Step[]): string {
  return steps.length === 0 ? '(no steps)' : steps.map(stepText).join(' · ');
}

export function isBrokerStep(step: Step): step is BrokerStep {
  return (BROKER_STEPS as readonly string[]).includes(step.kind);
}

export function isConsumerStep(step: Step): step is ConsumerStep {
  return (CONSUMER_STEPS as readonly string[]).includes(step.kind);
}

export function isBehaviourStep(step: Step): step is BehaviourStep {
  return (BEHAVIOUR_STEPS as readonly string[]).includes(step.kind);
}

/** What the engine runs, in order: a burst of broker steps, or one consumer step. Behaviour steps are not phases. */
export type Phase =
  | { readonly kind: 'burst'; readonly steps: readonly BrokerStep[] }
  | { readonly kind: 'consumer'; readonly step: ConsumerStep };

export function phasesOf(steps: readonly Step[]): Phase[] {
  const phases: Phase[] = [];
  let burst: BrokerStep[] = [];
  const flush = () => {
    if (burst.length > 0) phases.push({ kind: 'burst', steps: burst });
    burst = [];
  };
  for (const step of steps) {
    if (isBrokerStep(step)) burst.push(step);
    else if (isConsumerStep(step)) {
      flush();
      phases.push({ kind: 'consumer', step });
    }
  }
  flush();
  return phases;
}
