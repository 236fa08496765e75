// Written handlers for `eventwire test hello --handlers src/hello-handlers.ts` in the pack test: the harness
// runs them under injected faults (the scaffold in generated/hello/handlers.ts still throws, for the example).
import type { HelloHandlers } from '../generated/hello/consumer.ts';
import type { HelloPublisher } from '../generated/hello/publisher.ts';

const greeted = new Set<string>();

export function createHandlers(_deps: { readonly publisher: HelloPublisher }): HelloHandlers {
  return {
    async onGreetingSent(event) {
      greeted.add(event.data.greeting_id);
    },
  };
}
