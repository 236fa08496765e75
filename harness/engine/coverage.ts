/**
 * Coverage-directed schedules: the fault coverage gate must not depend on luck. With K fault kinds requested
 * that can happen on the operation, run i < K of a suite puts a *forcing segment* for kind i at the head of
 * its schedule (a few intents after which that fault surely happens: `crash consumer after commit · publish
 * e1`, `publish e1 · publish e2 · reorder e2 before e1`, ...), followed by a random tail; runs from K on are
 * the plain random schedules. So `--runs N` with N >= K covers every kind.
 *
 * The choice hangs on fast-check's run index, which its runner hands to the property's `generate` both in a
 * search and when `--seed/--path` replays (the path's first number is that index): the same seed and path
 * give the same schedule. Shrinking stays with the arbitrary that generated the value, and a forcing segment
 * can shrink away whole, so a counterexample found in a forced run is as short as any other.
 */
import fc from 'fast-check';
import { BROKER_FAULTS, type BrokerFault, type CrashPoint, type FaultKind } from './types.ts';
import { applicableFaults, type Intent, intentsArbitrary, KEYS, type ScheduleShape } from './schedule.ts';

/** A forcing segment: the intents, generated from the shape's payloads and keys, after which `kind` happens. */
export function forcingArbitrary(kind: FaultKind, shape: ScheduleShape): fc.Arbitrary<Intent[]> {
  const payload = fc.nat({ max: Math.max(0, shape.payloads - 1) });
  const key = shape.spec.ordering ? fc.nat({ max: KEYS - 1 }) : fc.constant(0);
  const publish = fc.record({ k: fc.constant('publish' as const), key, payload });
  // Every segment starts from a fresh run, so its first event is e1: `target: 0` names it.
  const before = (head: Intent) => publish.map((event): Intent[] => [head, event]);
  const crash = (point: CrashPoint) => before({ k: 'crash', point });
  const broker = (fault: BrokerFault) =>
    fc
      .tuple(publish, publish)
      .map(([first, second]): Intent[] => [first, { k: 'broker-fault', fault }, second]);
  switch (kind) {
    case 'duplicate':
      return publish.map((event): Intent[] => [event, { k: 'duplicate', target: 0, via: 'publisher-retry' }]);
    case 'redelivery':
      return publish.map((event): Intent[] => [event, { k: 'duplicate', target: 0, via: 'redelivery' }]);
    case 'reorder':
      // Same key: on an ordered subscription the guard must hold e2 (seq 2) until e1 is processed.
      return fc.record({ key, first: payload, second: payload }).map(({ key, first, second }): Intent[] => [
        { k: 'publish', key, payload: first },
        { k: 'publish', key, payload: second },
        { k: 'reorder', back: 0 },
      ]);
    case 'crash-before-handler':
      return crash('before-handler');
    case 'crash-after-handler':
      return crash('after-handler');
    case 'crash-after-commit':
      return crash('after-commit');
    case 'lost-confirm':
      return fc
        .record({ k: fc.constant('lose-confirm' as const), key, payload, stored: fc.boolean() })
        .map((event): Intent[] => [event]);
    case 'connection-drop':
      return before({ k: 'drop-connection' });
    case 'slow-handler':
      return before({ k: 'slow', target: 0 });
    case 'transient-failure':
      return fc
        .integer({ min: 1, max: Math.max(1, shape.spec.retry.maxRetries) })
        .chain((times) => before({ k: 'fail', target: 0, times }));
    case 'poison':
      return before({ k: 'poison', target: 0 });
    case 'invalid-payload':
      return fc
        .nat({ max: Math.max(0, shape.invalidPayloads - 1) })
        .map((index): Intent[] => [{ k: 'invalid', payload: index }]);
    default:
      if ((BROKER_FAULTS as readonly string[]).includes(kind)) return broker(kind as BrokerFault);
      throw new Error(`no forcing segment for fault kind ${kind}`);
  }
}

/** The most intents a forcing segment has (the tail gets what is left of maxIntents). */
const FORCING_MAX = 3;

/**
 * A forced run's schedule: the forcing segment, then a random tail. The tail leaves out what could keep the
 * fault from happening: a poison event never gets past its handler, so no crash after the handler would land.
 */
export function forcedArbitrary(kind: FaultKind, shape: ScheduleShape): fc.Arbitrary<Intent[]> {
  const afterHandler = kind === 'crash-after-handler' || kind === 'crash-after-commit';
  const tailShape: ScheduleShape = afterHandler
    ? { ...shape, faults: new Set([...shape.faults].filter((fault) => fault !== 'poison')) }
    : shape;
  const tail = intentsArbitrary(tailShape, {
    minLength: 0,
    maxLength: Math.max(0, (shape.maxIntents ?? 10) - FORCING_MAX),
  });
  return fc
    .tuple(new Droppable(forcingArbitrary(kind, shape)), tail)
    .map(([segment, rest]) => [...segment, ...rest]);
}

/** Generates its inner list as is; shrinks first to nothing (the whole segment dropped), then as the inner one. */
class Droppable<T> extends fc.Arbitrary<T[]> {
  readonly #inner: fc.Arbitrary<T[]>;

  constructor(inner: fc.Arbitrary<T[]>) {
    super();
    this.#inner = inner;
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T[]> {
    return this.#inner.generate(mrng, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is T[] {
    return Array.isArray(value) && (value.length === 0 || this.#inner.canShrinkWithoutContext(value));
  }

  shrink(value: T[], context: unknown): fc.Stream<fc.Value<T[]>> {
    if (value.length === 0) return fc.Stream.nil();
    return fc.Stream.of(new fc.Value<T[]>([], undefined)).join(this.#inner.shrink(value, context));
  }
}

/** Which arbitrary made a value, and its own context: shrinking goes back to the same arbitrary. */
interface Tagged {
  readonly arbitrary: fc.Arbitrary<Intent[]>;
  readonly context: unknown;
}

/**
 * fast-check's bias for a run index (its internal `runIdToFrequency`, to the bit): small values first, larger
 * ones later. The same arithmetic keeps the random runs exactly what fast-check's own asyncProperty generated.
 */
function biasFor(runId: number): number {
  return 2 + Math.trunc(Math.log(runId + 1) * Math.LOG10E);
}

/**
 * The suite's property: run `i < forced.length` draws its schedule from the forcing arbitrary of `forced[i]`,
 * every other run from `base`. Runs the predicate as fast-check's asyncProperty would.
 */
export class CoverageDirectedProperty implements fc.IAsyncProperty<[Intent[]]> {
  readonly #base: fc.Arbitrary<Intent[]>;
  readonly #forced: readonly fc.Arbitrary<Intent[]>[];
  readonly #predicate: (intents: Intent[]) => Promise<boolean>;

  constructor(
    shape: ScheduleShape,
    forced: readonly FaultKind[],
    predicate: (intents: Intent[]) => Promise<boolean>,
  ) {
    this.#base = intentsArbitrary(shape);
    this.#forced = forced.map((kind) => forcedArbitrary(kind, shape));
    this.#predicate = predicate;
  }

  isAsync(): true {
    return true;
  }

  generate(mrng: fc.Random, runId?: number): fc.Value<[Intent[]]> {
    const arbitrary = (runId !== undefined ? this.#forced[runId] : undefined) ?? this.#base;
    const value = arbitrary.generate(mrng, runId !== undefined ? biasFor(runId) : undefined);
    return tag(arbitrary, value);
  }

  shrink(value: fc.Value<[Intent[]]>): fc.Stream<fc.Value<[Intent[]]>> {
    const tagged = value.context as Tagged | undefined;
    if (!tagged) return fc.Stream.nil();
    return tagged.arbitrary
      .shrink(value.value_[0], tagged.context)
      .map((shrunk) => tag(tagged.arbitrary, shrunk));
  }

  async run(value: [Intent[]]): Promise<fc.PropertyFailure | null> {
    try {
      const ok = await this.#predicate(value[0]);
      return ok ? null : { error: new Error('Property failed by returning false') };
    } catch (error) {
      return { error };
    }
  }

  runBeforeEach = async (): Promise<void> => {};
  runAfterEach = async (): Promise<void> => {};
}

function tag(arbitrary: fc.Arbitrary<Intent[]>, value: fc.Value<Intent[]>): fc.Value<[Intent[]]> {
  const context: Tagged = { arbitrary, context: value.context };
  return new fc.Value<[Intent[]]>([value.value_], context);
}

/** The kinds the first runs force, in order: every requested kind that can happen on the operation. */
export function forcedKinds(shape: ScheduleShape): FaultKind[] {
  return applicableFaults(shape);
}
