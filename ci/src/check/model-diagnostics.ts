/**
 * lint/invalid-extension and the other model diagnostics: the model builder validates the x-eventwire-*
 * extensions against asyncapi/extensions.schema.json and records what else it found in readable contracts;
 * check reports them as they are (rule `lint/invalid-extension`, or `model/<code>` with its own severity), so
 * `generate` and `check` print the same problem the same way.
 */
import type { CheckContext, CheckRule, RawFinding } from './context.ts';

/** The builder's own severity stands unless the rule has a default (lint/invalid-extension) or a setting. */
function run(context: CheckContext): RawFinding[] {
  return context.model.diagnostics.map(({ severity, ...d }) =>
    d.code.includes('/') ? d : { ...d, severity },
  );
}

export const modelDiagnosticsRule: CheckRule = { ids: ['lint/invalid-extension'], run };
