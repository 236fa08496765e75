/**
 * `node --import ./register.ts`: resolves the k6 built-in modules to the fakes in this folder, so generated
 * scripts and the harness run unchanged under Node. `k6/options` only has types; scripts import it type-only.
 */
import { registerHooks } from 'node:module';

const FAKES: Readonly<Record<string, string>> = {
  k6: 'k6.ts',
  'k6/http': 'http.ts',
  'k6/execution': 'execution.ts',
  'k6/crypto': 'crypto.ts',
  'k6/metrics': 'metrics.ts',
};

registerHooks({
  resolve(specifier, context, nextResolve) {
    const fake = FAKES[specifier];
    if (fake === undefined) return nextResolve(specifier, context);
    return { url: new URL(fake, import.meta.url).href, shortCircuit: true };
  },
});
