/**
 * `<service>/index.ts`: one import path for everything generated for a service. The user-owned handlers.ts is
 * not re-exported: it is the user's module, imported where the consumer is started.
 */
import type { EmitterPlugin } from '../../pipeline/plugin.ts';
import { printGroups } from './print.ts';
import { serviceView } from './service-view.ts';
import { emitPerService } from './per-service.ts';
import { exportAll } from './syntax.ts';

export const indexPlugin: EmitterPlugin = {
  name: 'code-index',
  description: 'Per-service barrel module (<service>/index.ts)',
  emit(model) {
    return emitPerService(model, 'code-index', (service) => {
      const view = serviceView(service);
      const statements = [
        exportAll('./types.ts', true),
        ...(view.messages.length > 0 ? [exportAll('./validators.js')] : []),
        exportAll('./contract.ts'),
        ...(view.publications.length > 0 ? [exportAll('./publisher.ts')] : []),
        ...(view.subscriptions.length > 0 ? [exportAll('./consumer.ts')] : []),
      ];
      return [
        {
          path: `${service.name}/index.ts`,
          contents: printGroups([statements]),
          ownership: 'generated' as const,
          sources: view.sources,
        },
      ];
    });
  },
};
