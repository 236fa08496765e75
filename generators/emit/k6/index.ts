/** k6 load-test emitter: `loadtest/<service>.k6.ts` per publishing service. */
export { k6Plugin } from './plugin.ts';
