/** Per-spec compiled key readers, cached by spec identity (specs are constants in generated code). */
import type { SubscriptionSpec } from '../spec.ts';
import {
  compileIdempotencyKey,
  compileOrderingPosition,
  type KeyReader,
  type PositionReader,
} from './keys.ts';

export interface CompiledKeys {
  readonly idempotencyKey: KeyReader;
  readonly position?: PositionReader;
}

const cache = new WeakMap<SubscriptionSpec, CompiledKeys>();

export function compiledKeys(spec: SubscriptionSpec): CompiledKeys {
  let keys = cache.get(spec);
  if (!keys) {
    keys = {
      idempotencyKey: compileIdempotencyKey(spec),
      ...(spec.ordering ? { position: compileOrderingPosition(spec, spec.ordering) } : {}),
    };
    cache.set(spec, keys);
  }
  return keys;
}
