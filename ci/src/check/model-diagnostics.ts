/**
 * lint/invalid-extension and other model diagnostics: the model builder validates the x-eventwire-*
 * extensions against asyncapi/extensions.schema.json and records what it found; check reports it as findings
 * (`invalid-extension` as lint/invalid-extension, any other code as `model/<code>` with its own severity).
 */
import type { CheckContext, CheckRule, RawFinding } from './context.ts';

function run(context: CheckContext): RawFinding[] {
  return context.model.diagnostics.map((d) =>
    d.code === 'invalid-extension'
      ? {
          rule: 'lint/invalid-extension',
          file: d.source.file,
          pointer: d.source.pointer,
          message: d.message,
          suggestion: d.hint ?? 'see asyncapi/extensions.schema.json for the allowed fields and values',
        }
      : {
          rule: `model/${d.code}`,
          severity: d.severity,
          file: d.source.file,
          pointer: d.source.pointer,
          message: d.message,
          ...(d.hint ? { suggestion: d.hint } : {}),
        },
  );
}

export const modelDiagnosticsRule: CheckRule = { ids: ['lint/invalid-extension'], run };
